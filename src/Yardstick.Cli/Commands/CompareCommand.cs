using System.CommandLine;
using Spectre.Console;
using Yardstick.Cli.Console;
using Yardstick.Cli.Hosting;
using Yardstick.Core;
using Yardstick.Reports;
using Yardstick.Core.Runs;
using Yardstick.Orchestration.Analysis;

namespace Yardstick.Cli.Commands;

/// <summary>
/// <c>yardstick compare &lt;runA&gt; &lt;runB&gt;</c>: an offline verdict of run B (candidate) against run A (baseline) from
/// their stored artifacts, under B's workload policy and thresholds (and a calibration that applies to B). Nothing is
/// written. Exit codes as <c>gate</c>: 0 pass, 1 regression or threshold breach, 3 run B failed, 4 inconclusive with
/// <c>--fail-on-inconclusive</c>.
/// </summary>
internal sealed class CompareCommand(CliContext context) : CommandBase(context)
{
    public const string TableFormat = "table";

    public override Command Build()
    {
        var runA = new Argument<string>("runA") { Description = "Baseline run id." };
        var runB = new Argument<string>("runB") { Description = "Candidate run id." };
        var format = new Option<string>("--format") { Description = "table (default), md (the report.md of B against A) or json (the verdict section).", DefaultValueFactory = _ => TableFormat };
        var failOnInconclusive = new Option<bool>("--fail-on-inconclusive") { Description = "Exit 4 when the verdict is inconclusive." };
        var storage = CommonOptions.Storage();
        var taskHub = CommonOptions.TaskHub();
        return Define(
            "compare",
            "Compare two stored runs offline: run B (candidate) against run A (baseline); same exit codes as gate.",
            async (parse, cancellationToken) =>
            {
                var outputFormat = parse.GetValue(format)?.Trim().ToLowerInvariant() switch
                {
                    TableFormat => TableFormat,
                    "md" or "markdown" => ReportFormats.Markdown,
                    "json" => ReportFormats.Json,
                    var other => throw new InputException("--format", $"'{other}' is not a compare format; expected table, md or json."),
                };
                await using var env = await CliEnvironment.StartAsync(
                    new CliEnvironmentOptions { Storage = parse.GetValue(storage), TaskHub = CommonOptions.CheckTaskHub(parse.GetValue(taskHub)), RunWorker = false },
                    cancellationToken);
                var reader = new RunArtifactReader(env.Artifacts);
                var baseline = await LoadAsync(env, reader, parse.GetValue(runA)!, "runA", cancellationToken);
                var candidate = await LoadAsync(env, reader, parse.GetValue(runB)!, "runB", cancellationToken);
                if (!baseline.IsUsable)
                {
                    throw new InputException("runA", $"run {baseline.RunId} is {baseline.Summary.Status} with {baseline.Summary.Requests} requests; it cannot serve as a baseline.");
                }

                if (candidate.Summary.Status is "failed" or "cancelled")
                {
                    var failed = new ExitDecision(ExitCodes.RunFailed, $"run {candidate.RunId} {candidate.Summary.Status}: {candidate.Summary.FailureReason ?? "no reason was given"}");
                    await GateDecision.ReportAsync(Context, "compare", failed);
                    return failed.ExitCode;
                }

                var workload = candidate.Plan?.Workload ?? throw new InputException("runB", $"run {candidate.RunId} has no stored plan.json, so its policy and thresholds are unknown.");
                var calibration = await new CalibrationStore(env.Artifacts).FindAsync(workload.Name, candidate.Plan.SettingsHash, workload.Compare.Environment, cancellationToken);
                var result = RunAnalyzer.Analyze(candidate, [baseline], workload, calibration, note: null);
                Render(outputFormat, candidate with { Summary = candidate.Summary with { Verdict = result.Verdict } }, baseline, result);

                var decision = GateDecision.Decide(result.Verdict.Overall, result.FailedThresholds, parse.GetValue(failOnInconclusive));
                await GateDecision.ReportAsync(Context, "compare", decision);
                return decision.ExitCode;
            },
            runA, runB, format, failOnInconclusive, storage, taskHub);
    }

    private void Render(string format, StoredRun candidate, StoredRun baseline, AnalysisResult result)
    {
        switch (format)
        {
            case ReportFormats.Markdown:
                // Raw text, not through the console's line wrapping: it is meant to be piped into a file or a comment.
                Out.Profile.Out.Writer.WriteLine(MarkdownReport.Render(RunReports.Build(candidate, baseline)));
                break;
            case ReportFormats.Json:
                Out.Profile.Out.Writer.WriteLine(YardstickJson.Serialize(result.Verdict, indented: true));
                break;
            default:
                Out.MarkupLine($"Run [bold]{candidate.RunId}[/] (candidate) against [bold]{baseline.RunId}[/] (baseline), workload [bold]{Markup.Escape(candidate.Summary.Workload)}[/].");
                VerdictView.Render(Out, result.Verdict);
                break;
        }
    }

    private static async Task<StoredRun> LoadAsync(CliEnvironment env, RunArtifactReader reader, string runId, string argument, CancellationToken cancellationToken)
    {
        if (!RunIds.IsValid(runId))
        {
            throw new InputException(argument, $"'{runId}' is not a run id (they look like 20261129-081502-3fa9c1).");
        }

        var record = await env.Runs.GetAsync(runId, cancellationToken)
            ?? throw new InputException(argument, $"no run '{runId}' on {env.StorageDescription}.");
        return await reader.ReadAsync(record.Workload, runId, cancellationToken)
            ?? throw new InputException(argument, $"run {runId} has no stored summary.json (status {record.Status.ToString().ToLowerInvariant()}).");
    }
}
