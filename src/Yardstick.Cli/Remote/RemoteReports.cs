using Spectre.Console;

namespace Yardstick.Cli.Remote;

/// <summary>
/// Downloads a finished run's reports through <c>GET /api/runs/{id}/report?format=</c>: into <c>--out</c>, to
/// <c>--json</c>, and <c>report.md</c> appended to <c>$GITHUB_STEP_SUMMARY</c> when that is set. A report that cannot be
/// fetched is a warning, not a different verdict: the exit code already says what the run showed.
/// </summary>
internal sealed class RemoteReports(YardstickApiClient client, IAnsiConsole console, TextWriter error)
{
    /// <summary>API format → file name in <c>--out</c>.</summary>
    public static readonly IReadOnlyList<(string Format, string FileName)> Files =
    [
        ("md", "report.md"),
        ("junit", "junit.xml"),
        ("html", "report.html"),
        ("json", "summary.json"),
    ];

    public const string StepSummaryVariable = "GITHUB_STEP_SUMMARY";

    /// <returns>The number of reports that could not be fetched or written.</returns>
    public async Task<int> SaveAsync(string runId, DirectoryInfo? outDir, FileInfo? json, string? stepSummary, CancellationToken cancellationToken)
    {
        var wanted = Files.Where(f => outDir is not null
                || (f.Format == "md" && !string.IsNullOrWhiteSpace(stepSummary))
                || (f.Format == "json" && json is not null))
            .ToList();
        var failures = 0;
        foreach (var (format, fileName) in wanted)
        {
            byte[] body;
            try
            {
                body = await client.GetReportAsync(runId, format, cancellationToken);
            }
            catch (RemoteApiException e)
            {
                failures++;
                await error.WriteLineAsync($"yardstick: warning: {fileName} not saved: {e.Message}");
                continue;
            }

            try
            {
                if (outDir is not null)
                {
                    outDir.Create();
                    await File.WriteAllBytesAsync(Path.Combine(outDir.FullName, fileName), body, cancellationToken);
                }

                if (format == "json" && json is not null)
                {
                    json.Directory?.Create();
                    await File.WriteAllBytesAsync(json.FullName, body, cancellationToken);
                }

                if (format == "md" && !string.IsNullOrWhiteSpace(stepSummary))
                {
                    // The job summary is shared by every step of the job: append, never overwrite.
                    await File.AppendAllTextAsync(stepSummary, System.Text.Encoding.UTF8.GetString(body).TrimEnd() + "\n\n", cancellationToken);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                failures++;
                await error.WriteLineAsync($"yardstick: warning: {fileName} not written: {e.Message}");
            }
        }

        if (outDir is not null && failures < wanted.Count)
        {
            console.MarkupLine($"Reports saved in [bold]{Markup.Escape(outDir.FullName)}[/].");
        }

        return failures;
    }
}
