using System.CommandLine;
using Spectre.Console;
using Yardstick.Cli.Hosting;
using Yardstick.Core;
using Yardstick.Reports;
using Yardstick.Core.Runs;
using Yardstick.Orchestration.Analysis;

namespace Yardstick.Cli.Commands;

/// <summary>
/// <c>yardstick report &lt;runId&gt; --format html|md|json|junit [--out path]</c>: a run's stored report (rendered from its
/// stored artifacts and stored when missing), written to <c>--out</c> or to standard output.
/// </summary>
internal sealed class ReportCommand(CliContext context) : CommandBase(context)
{
    public override Command Build()
    {
        var runId = new Argument<string>("runId") { Description = "Run id." };
        var format = new Option<string>("--format") { Description = "html (default), md, json (summary.json) or junit.", DefaultValueFactory = _ => ReportFormats.Html };
        var output = new Option<FileInfo?>("--out") { Description = "Write the report to this file (default: standard output)." };
        var failOnInconclusive = new Option<bool>("--fail-on-inconclusive") { Description = "JUnit: report inconclusive metrics as failures rather than skipped." };
        var storage = CommonOptions.Storage();
        var taskHub = CommonOptions.TaskHub();
        return Define(
            "report",
            "Write a stored run's report (html, md, json or junit), regenerating it from the run's artifacts when missing.",
            async (parse, cancellationToken) =>
            {
                var id = parse.GetValue(runId)!;
                var normalized = ReportFormats.Normalize(parse.GetValue(format));
                if (!RunIds.IsValid(id))
                {
                    throw new InputException("runId", $"'{id}' is not a run id (they look like 20261129-081502-3fa9c1).");
                }

                await using var env = await CliEnvironment.StartAsync(
                    new CliEnvironmentOptions { Storage = parse.GetValue(storage), TaskHub = CommonOptions.CheckTaskHub(parse.GetValue(taskHub)), RunWorker = false },
                    cancellationToken);
                var record = await env.Runs.GetAsync(id, cancellationToken)
                    ?? throw new InputException("runId", $"no run '{id}' on {env.StorageDescription}.");
                var body = await new RunReports(env.Artifacts).GetAsync(record.Workload, id, normalized, parse.GetValue(failOnInconclusive), cancellationToken)
                    ?? throw new InputException("runId", $"run {id} has no stored summary.json (status {record.Status.ToString().ToLowerInvariant()}), so there is nothing to report.");

                if (parse.GetValue(output) is { } file)
                {
                    file.Directory?.Create();
                    await File.WriteAllBytesAsync(file.FullName, body, cancellationToken);
                    Out.MarkupLine($"Wrote the {normalized} report of run [bold]{id}[/] to [bold]{Markup.Escape(file.FullName)}[/].");
                }
                else
                {
                    Out.Profile.Out.Writer.Write(System.Text.Encoding.UTF8.GetString(body));
                    Out.Profile.Out.Writer.WriteLine();
                }

                return ExitCodes.Pass;
            },
            runId, format, output, failOnInconclusive, storage, taskHub);
    }
}
