using Yardstick.Core.Summaries;
using Yardstick.Core.Verdicts;
using Yardstick.Core.Workloads;

namespace Yardstick.Orchestration.Analysis;

/// <summary>The verdict section of a run and the threshold texts it breached.</summary>
public sealed record AnalysisResult(VerdictSummary Verdict, IReadOnlyList<string> FailedThresholds);

/// <summary>
/// The analysis itself, free of storage: the workload's policy, the comparison with the baseline runs and the absolute
/// thresholds. <see cref="Activities.AnalyzeRunActivity"/> stores its result; <c>yardstick compare</c> only prints it.
/// </summary>
public static class RunAnalyzer
{
    /// <summary>
    /// The workload's policy: gated metrics from <c>compare.metrics</c>, else p50, p95, p99 and errorRate (+ throughput for
    /// the closed model, where throughput is an outcome rather than an input); margin and α from <c>compare</c>; the
    /// calibration's noise priors when one applies.
    /// </summary>
    public static VerdictPolicy Policy(Workload workload, StoredCalibration? calibration)
    {
        ArgumentNullException.ThrowIfNull(workload);
        var metrics = workload.Compare.Metrics.Count > 0
            ? workload.Compare.Metrics
            : workload.Load.Model == LoadModel.Closed ? [.. VerdictPolicy.DefaultMetrics, MetricKeys.Throughput] : VerdictPolicy.DefaultMetrics;
        return new VerdictPolicy(metrics, workload.Compare.Margin, workload.Compare.Alpha)
        {
            MinTailSamples = workload.Compare.MinTailSamples,
            Noise = calibration?.Result.ToNoisePriors() ?? new Dictionary<string, NoisePrior>(),
        };
    }

    /// <summary>The workload's thresholds, parsed (field <c>thresholds[i]</c> in errors).</summary>
    public static IReadOnlyList<Threshold> Thresholds(Workload workload) =>
        workload.Thresholds.Select((text, i) => ThresholdParser.Parse(text, $"thresholds[{i}]")).ToList();

    /// <summary>
    /// Compares <paramref name="candidate"/> with <paramref name="baseline"/> (no baseline → <c>no-baseline</c>, and the
    /// thresholds alone decide) and checks the workload's thresholds against the candidate.
    /// </summary>
    /// <param name="candidate">The run analysed; must have measured something.</param>
    /// <param name="baseline">Usable baseline runs (see <see cref="StoredRun.IsUsable"/>); may be empty.</param>
    /// <param name="workload">The candidate's validated workload: policy and thresholds.</param>
    /// <param name="calibration">A calibration that applies to the candidate, or null.</param>
    /// <param name="note">A sentence to add to the explanation (how the baseline was chosen, what was skipped).</param>
    public static AnalysisResult Analyze(StoredRun candidate, IReadOnlyList<StoredRun> baseline, Workload workload, StoredCalibration? calibration, string? note)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(baseline);
        var policy = Policy(workload, calibration);
        var verdict = VerdictEngine.Compare(
            baseline.SelectMany(b => b.Samples()).ToList(),
            candidate.Samples(),
            policy);
        var results = CheckThresholds(candidate, workload);
        var environment = EnvironmentNote(candidate, baseline);
        var notes = string.Join(' ', new[] { note, CalibrationNote(calibration), environment.Note }.Where(n => !string.IsNullOrWhiteSpace(n)));
        var summary = VerdictSummaries.From(verdict, results, baseline.Select(b => b.RunId).ToList(), notes.Length == 0 ? null : notes) with
        {
            EnvironmentDifferences = environment.Differences,
        };
        return Result(summary, results);
    }

    /// <summary>
    /// A paired A/B gate (<c>compare.against</c>): the candidate's and the reference's rounds of the same run, pair by
    /// pair (<see cref="PairedComparison"/>), and the thresholds against the candidate. No stored baseline is read. A run
    /// in which no pair completed (the reference never answered a round) is <c>no-baseline</c>, saying so.
    /// </summary>
    public static AnalysisResult AnalyzePaired(StoredRun candidate, Workload workload, StoredCalibration? calibration)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        var policy = Policy(workload, calibration);
        var pairs = RunMetricsFactory.Pairs(candidate.Summary, PairedSchedule.ReferenceVariant);
        var reference = candidate.Summary.Against ?? workload.Compare.Against;
        var verdict = pairs.Count > 0
            ? PairedComparison.Compare(pairs, policy)
            : VerdictEngine.Compare([], candidate.Samples(), policy);
        var results = CheckThresholds(candidate, workload);
        var note = pairs.Count > 0
            ? $"Reference {reference}: {pairs.Count} pair(s) of rounds in this run, no stored baseline."
            : $"Reference {reference} completed no round with its candidate pair, so nothing was compared.";
        if (CalibrationNote(calibration) is { } calibrated)
        {
            note += " " + calibrated;
        }

        return Result(VerdictSummaries.From(verdict, results, [], note) with { Reference = reference }, results);
    }

    /// <summary>The workload's absolute thresholds, checked against the candidate.</summary>
    private static IReadOnlyList<ThresholdResult> CheckThresholds(StoredRun candidate, Workload workload)
    {
        var thresholds = Thresholds(workload);
        return ThresholdEvaluator.Evaluate(thresholds, ThresholdValues.From(thresholds, candidate.Summary, candidate.Latency, candidate.RequestLatency));
    }

    private static string? CalibrationNote(StoredCalibration? calibration) =>
        calibration is null ? null : $"Noise priors from the calibration of {calibration.CreatedAt:yyyy-MM-dd} ({calibration.Result.Runs} A/A runs).";

    private static AnalysisResult Result(VerdictSummary summary, IReadOnlyList<ThresholdResult> results) =>
        new(summary, results.Where(r => !r.Passed).Select(r => r.Threshold.Text).ToList());

    /// <summary>
    /// The fields in which the candidate's environment differs from any baseline run's (each once), and the sentence
    /// for the explanation: "Measured in a different environment than baseline run X: logicalCores 2 vs 4." A note, never
    /// a failure; runs without a recorded environment (older summaries) are not compared.
    /// </summary>
    public static (IReadOnlyList<string> Differences, string? Note) EnvironmentNote(StoredRun candidate, IReadOnlyList<StoredRun> baseline)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(baseline);
        var differences = new List<string>();
        var differing = new List<string>();
        foreach (var run in baseline)
        {
            var found = Core.Environments.RunEnvironments.Differences(candidate.Summary.Environment, run.Summary.Environment);
            if (found.Count > 0)
            {
                differing.Add(run.RunId);
                differences.AddRange(found.Where(d => !differences.Contains(d, StringComparer.Ordinal)));
            }
        }

        if (differing.Count == 0)
        {
            return ([], null);
        }

        var runs = differing.Count == 1 ? $"baseline run {differing[0]}" : $"{differing.Count} of {baseline.Count} baseline runs";
        return (differences, $"Measured in a different environment than {runs}: {string.Join("; ", differences)}.");
    }
}
