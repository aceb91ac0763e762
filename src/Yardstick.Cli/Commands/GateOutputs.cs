using Spectre.Console;
using Yardstick.Core.Ports;
using Yardstick.Reports;
using Yardstick.Orchestration.Analysis;

namespace Yardstick.Cli.Commands;

/// <summary>
/// Saves a finished run's reports where a pipeline wants them: <c>--out DIR</c> gets <c>report.md</c>, <c>report.html</c>,
/// <c>junit.xml</c> and <c>summary.json</c>; <c>report.md</c> is appended to <c>$GITHUB_STEP_SUMMARY</c> when that is set.
/// The same file names as the remote gate's (<see cref="Remote.RemoteReports"/>). A report that cannot be written is a
/// warning: the exit code already says what the run showed.
/// </summary>
internal sealed class GateOutputs(IArtifactStore artifacts, CliContext context)
{
    public const string StepSummaryVariable = Remote.RemoteReports.StepSummaryVariable;

    /// <returns>The number of reports that could not be produced or written.</returns>
    public async Task<int> SaveAsync(string workload, string runId, DirectoryInfo? outDir, string? stepSummary, bool failOnInconclusive, CancellationToken cancellationToken)
    {
        var reports = new RunReports(artifacts);
        var wanted = Remote.RemoteReports.Files
            .Where(f => outDir is not null || (f.Format == ReportFormats.Markdown && !string.IsNullOrWhiteSpace(stepSummary)))
            .ToList();
        var failures = 0;
        foreach (var (format, fileName) in wanted)
        {
            var body = await reports.GetAsync(workload, runId, format, failOnInconclusive, cancellationToken);
            if (body is null)
            {
                failures++;
                await context.Error.WriteLineAsync($"yardstick: warning: {fileName} not saved: run {runId} has no stored summary.");
                continue;
            }

            try
            {
                if (outDir is not null)
                {
                    outDir.Create();
                    await File.WriteAllBytesAsync(Path.Combine(outDir.FullName, fileName), body, cancellationToken);
                }

                if (format == ReportFormats.Markdown && !string.IsNullOrWhiteSpace(stepSummary))
                {
                    // The job summary is shared by every step of the job: append, never overwrite.
                    await File.AppendAllTextAsync(stepSummary, System.Text.Encoding.UTF8.GetString(body).TrimEnd() + "\n\n", cancellationToken);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                failures++;
                await context.Error.WriteLineAsync($"yardstick: warning: {fileName} not written: {e.Message}");
            }
        }

        if (outDir is not null && failures < wanted.Count)
        {
            context.Console.MarkupLine($"Reports saved in [bold]{Markup.Escape(outDir.FullName)}[/].");
        }

        return failures;
    }
}
