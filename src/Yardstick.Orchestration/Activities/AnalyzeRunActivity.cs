using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Yardstick.Core;
using Yardstick.Core.Ports;
using Yardstick.Core.Summaries;
using Yardstick.Core.Trends;
using Yardstick.Reports;
using Yardstick.Core.Runs;
using Yardstick.Orchestration.Analysis;
using Yardstick.Orchestration.Contracts;
using Yardstick.Orchestration.Hosting;

namespace Yardstick.Orchestration.Activities;

/// <summary>
/// The last step of a run: resolves the baseline (<see cref="BaselineResolver"/>), compares the run with it and checks
/// the workload's thresholds (<see cref="RunAnalyzer"/>), then writes the <c>Verdicts</c> rows, the verdict on the run's
/// row, the <c>verdict</c> section of <c>summary.json</c>, and <c>report.html</c>, <c>report.md</c> and <c>junit.xml</c>.
/// No baseline → <c>no-baseline</c>, and the thresholds alone decide. A failed (or cancelled) run gets no verdict and no
/// threshold checks — what it measured is incomplete — but its reports are still written. Idempotent: every write is an
/// overwrite or an upsert keyed by the run id, and a repeated analysis sees the same baseline (only runs created before
/// the candidate form a rolling baseline).
/// </summary>
public sealed class AnalyzeRunActivity(
    IArtifactStore artifacts,
    IRunStore runs,
    IBaselineStore baselines,
    IVerdictStore verdicts,
    PlanReader plans,
    YardstickHostOptions options,
    ILogger<AnalyzeRunActivity> logger) : TaskActivity<AnalyzeRequest, RunOutcome>
{
    public const string ThresholdMethod = "threshold";

    public override async Task<RunOutcome> RunAsync(TaskActivityContext context, AnalyzeRequest input)
    {
        var cancellationToken = options.Shutdown;
        var plan = input.Plan;
        var outcome = input.Outcome;
        var reader = new RunArtifactReader(artifacts);
        var reports = new RunReports(artifacts);
        var candidate = await reader.ReadAsync(plan.Workload, plan.RunId, cancellationToken)
            ?? throw new InvalidOperationException($"Run {plan.RunId}: summary.json is missing, so the run cannot be analysed.");

        if (outcome.Status is RunStatus.Failed or RunStatus.Cancelled)
        {
            await reports.WriteAsync(RunReports.Build(candidate, baseline: null), cancellationToken);
            Log.AnalysisSkipped(logger, plan.RunId, outcome.Status.ToString());
            return outcome with { Verdict = null, FailedThresholds = [] };
        }

        var stored = candidate.Plan ?? await plans.GetAsync(plan.Workload, plan.RunId, cancellationToken);
        var workload = stored.Workload;
        var key = new BaselineKey(plan.Workload, candidate.Summary.SettingsKey, workload.Compare.Environment);
        var calibration = await new CalibrationStore(artifacts).FindAsync(plan.Workload, stored.SettingsHash, workload.Compare.Environment, cancellationToken);

        // A paired gate decides from its own pairs of rounds; every other run from the stored baseline.
        var (baselineRuns, note) = workload.Compare.Against is null
            ? await LoadBaselineAsync(key, plan, stored, input.Baseline, input.AllowDatasetChange, reader, cancellationToken)
            : ([], null);
        var result = workload.Compare.Against is null
            ? RunAnalyzer.Analyze(candidate, baselineRuns, workload, calibration, note)
            : RunAnalyzer.AnalyzePaired(candidate, workload, calibration);
        var row = await runs.GetAsync(plan.RunId, cancellationToken);
        var drift = await DriftAsync(plan, row, RunAnalyzer.Policy(workload, calibration), workload.Compare.Margin, cancellationToken);
        var verdict = result.Verdict with { Drift = drift };
        var summary = candidate.Summary with { Verdict = verdict };
        await artifacts.PutAsync(plan.Workload, plan.RunId, ReportFormats.SummaryBlobName, YardstickJson.ToUtf8(summary, indented: true), "application/json", cancellationToken);
        await verdicts.UpsertAsync(Rows(plan.RunId, verdict), cancellationToken);
        var driftMetrics = drift is null ? null : string.Join(',', drift.Metrics.Select(m => m.Metric).Distinct());
        if (row is not null)
        {
            await runs.UpsertAsync(row with { Verdict = verdict.Overall, Drift = driftMetrics }, cancellationToken);
        }

        await reports.WriteAsync(RunReports.Build(candidate with { Summary = summary }, baselineRuns.FirstOrDefault()), cancellationToken);
        Log.Analyzed(logger, plan.RunId, verdict.Overall, baselineRuns.Count, result.FailedThresholds.Count);
        if (drift is not null)
        {
            Log.DriftFound(logger, plan.RunId, driftMetrics!);
        }

        return outcome with { Verdict = verdict.Overall, FailedThresholds = result.FailedThresholds, Drift = drift?.Metrics.Select(m => m.Metric).Distinct().ToList() ?? [] };
    }

    /// <summary>
    /// The <c>drift</c> verdict (<see cref="DriftCheck"/>) over the workload's recent history. Reads the Runs partition of
    /// the workload, row-key range of the <see cref="DriftCheck.WindowDays"/> days up to this run, filtered server-side to
    /// the run's settings hash (<see cref="IRunStore.ListWindowAsync"/>); only runs created before this one count, so a
    /// repeated analysis sees the same history. Sweeps are not checked (their variants share one run).
    /// </summary>
    private async Task<DriftSummary?> DriftAsync(RunPlan plan, RunRecord? row, Core.Verdicts.VerdictPolicy policy, double margin, CancellationToken cancellationToken)
    {
        if (row is null || plan.Variants.Any(v => v.Length > 0))
        {
            return null;
        }

        var window = new RunWindow(plan.Workload, row.CreatedAt.AddDays(-DriftCheck.WindowDays), row.CreatedAt.AddSeconds(1), row.SettingsHash.Length > 0 ? row.SettingsHash : null);
        var history = await runs.ListWindowAsync(window, cancellationToken);
        return DriftCheck.Check(history, row, policy.Metrics, margin);
    }

    /// <summary>One row per gated metric and one per threshold (kind <c>pass</c> or <c>fail</c>, method <c>threshold</c>).</summary>
    public static IReadOnlyList<VerdictRow> Rows(string runId, VerdictSummary verdict) =>
        verdict.Metrics
            .Select(m => new VerdictRow(runId, m.Metric, m.Kind, m.Baseline, m.Candidate, m.Ratio, m.CiLow, m.CiHigh, m.PValue, m.Method, m.Explanation, verdict.BaselineRunIds))
            .Concat(verdict.Thresholds.Select(t => new VerdictRow(runId, t.Threshold, t.Passed ? "pass" : "fail", null, t.Actual, null, null, null, null, ThresholdMethod, t.Explanation, [])))
            .ToList();

    private static string TraceText(Core.Replay.TraceSummary? trace) =>
        trace is null ? "none" : $"{trace.File}, {trace.Arrivals} arrivals, sha256 {trace.Sha256[..Math.Min(12, trace.Sha256.Length)]}";

    private static string DatasetText(Core.Summaries.DatasetSummary? dataset) =>
        dataset is null ? "none" : $"{dataset.File}, {dataset.Rows} rows, sha256 {dataset.Sha256[..Math.Min(12, dataset.Sha256.Length)]}";

    private async Task<(List<StoredRun> Runs, string? Note)> LoadBaselineAsync(BaselineKey key, RunPlan plan, StoredPlan stored, string? requested, bool allowDatasetChange, RunArtifactReader reader, CancellationToken cancellationToken)
    {
        if (plan.Variants.Any(v => v.Length > 0))
        {
            return ([], "Sweeps are compared variant by variant in the sweep report, not against one baseline.");
        }

        var selection = await new BaselineResolver(baselines, runs, artifacts)
            .ResolveAsync(key, plan.RunId, stored.SettingsHash, requested, stored.Workload.Compare.Baseline, cancellationToken);
        var loaded = new List<StoredRun>();
        var notes = new List<string>();
        if (selection.Note is { } selectionNote)
        {
            notes.Add(selectionNote);
        }

        foreach (var runId in selection.RunIds)
        {
            // A baseline run named by id may belong to another workload (comparing two workloads on purpose).
            var workload = selection.Source == "run" ? (await runs.GetAsync(runId, cancellationToken))?.Workload ?? key.Workload : key.Workload;
            var run = await reader.ReadAsync(workload, runId, cancellationToken);
            if (run is { IsUsable: true, Plan: { } checkedPlan } && Core.Workloads.WorkloadFingerprint.ChecksText(checkedPlan.Workload) is var baseChecks
                && baseChecks != Core.Workloads.WorkloadFingerprint.ChecksText(stored.Workload))
            {
                // A failed check is an error: other checks count other errors (and a body check reads bodies the other did not).
                var these = Core.Workloads.WorkloadFingerprint.ChecksText(stored.Workload);
                notes.Add($"Baseline run {runId} was measured with other response checks ({(baseChecks.Length == 0 ? "none" : baseChecks)}; this run {(these.Length == 0 ? "none" : these)}), so it was not compared; promote a baseline measured with these checks.");
            }
            else if (run is { IsUsable: true, Plan: { } traced } && traced.Trace?.Sha256 != stored.Trace?.Sha256 && !allowDatasetChange)
            {
                // Another trace replays other arrivals: the same rule as another dataset.
                notes.Add($"Baseline run {runId} replayed another trace ({TraceText(traced.Trace)}; this run {TraceText(stored.Trace)}), so it was not compared; pass --allow-dataset-change to compare anyway.");
            }
            else if (run is { IsUsable: true, Plan: { } basePlan } && basePlan.Dataset?.Sha256 != stored.Dataset?.Sha256 && !allowDatasetChange)
            {
                // Other rows make other requests: a latency shift would be the data's, not the build's.
                notes.Add($"Baseline run {runId} was measured on another dataset ({DatasetText(basePlan.Dataset)}; this run {DatasetText(stored.Dataset)}), so it was not compared; pass --allow-dataset-change to compare anyway.");
            }
            else if (run is { IsUsable: true })
            {
                loaded.Add(run);
                if (run.Plan is { SettingsHash.Length: > 0 } baselinePlan && stored.SettingsHash.Length > 0 && baselinePlan.SettingsHash != stored.SettingsHash)
                {
                    // Allowed (a promoted baseline is a human decision), but the reader should know the shapes differ.
                    notes.Add($"Baseline run {runId} was measured with other settings (hash {baselinePlan.SettingsHash}, this run {stored.SettingsHash}): target, load shape or cost settings differ.");
                }

                if (run.Plan is { } otherTrace && otherTrace.Trace?.Sha256 != stored.Trace?.Sha256)
                {
                    notes.Add($"Baseline run {runId} replayed another trace ({TraceText(otherTrace.Trace)}; this run {TraceText(stored.Trace)}); compared anyway (--allow-dataset-change).");
                }

                if (run.Plan is { } otherPlan && otherPlan.Dataset?.Sha256 != stored.Dataset?.Sha256)
                {
                    notes.Add($"Baseline run {runId} was measured on another dataset ({DatasetText(otherPlan.Dataset)}; this run {DatasetText(stored.Dataset)}); compared anyway (--allow-dataset-change).");
                }
            }
            else
            {
                notes.Add(run is null ? $"Baseline run {runId} was not found, so it was left out." : $"Baseline run {runId} is {run.Summary.Status} with {run.Summary.Requests} requests, so it was left out.");
            }
        }

        return (loaded, notes.Count == 0 ? null : string.Join(' ', notes));
    }
}
