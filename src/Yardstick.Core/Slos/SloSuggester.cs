using Yardstick.Core.Statistics;
using Yardstick.Core.Workloads;

namespace Yardstick.Core.Slos;

/// <summary>One accepted run of the history an SLO is suggested from (a row of the Runs table).</summary>
public sealed record SloHistoryRun(string RunId, DateTimeOffset At, double P95Ms, double P99Ms, long Requests, long Errors);

/// <summary>A suggested latency target and how it was derived.</summary>
/// <param name="Quantile"><c>p95</c> or <c>p99</c>.</param>
/// <param name="MedianMs">The median of the runs' values.</param>
/// <param name="GeometricMeanMs">exp(mean of log values).</param>
/// <param name="LogSd">Night-to-night standard deviation of the log values (≈ relative spread).</param>
/// <param name="ToleranceFactor">k of the one-sided tolerance bound.</param>
/// <param name="BoundMs">exp(mean + k·sd) of the log values.</param>
/// <param name="TargetMs">The bound rounded up to two significant digits: the suggested threshold.</param>
public sealed record LatencySuggestion(string Quantile, double MedianMs, double GeometricMeanMs, double LogSd, double ToleranceFactor, double BoundMs, double TargetMs);

/// <summary>The suggested error-rate objective and its budget.</summary>
/// <param name="MeanRate">Mean of the runs' error rates.</param>
/// <param name="SdRate">Their standard deviation.</param>
/// <param name="PooledRate">All errors ÷ all requests.</param>
/// <param name="UpperBound">max(mean + k·sd, one-sided upper Wilson bound of the pooled rate at the same confidence).</param>
/// <param name="Objective">The availability objective (0.995 = 99.5 %): given, or the highest standard level whose allowance covers the bound.</param>
/// <param name="ObjectiveGiven">True when the caller chose the objective (<c>--objective</c>).</param>
/// <param name="AllowedRate">1 − objective: the threshold on a run's error rate.</param>
/// <param name="RequestsPerWindow">Requests the benchmark sends per SLO window at the history's pace.</param>
/// <param name="BudgetRequests">Allowed failed requests per window: allowed rate × requests per window.</param>
/// <param name="ExpectedBurnRate">Pooled rate ÷ allowed rate: the burn rate of an unchanged build.</param>
public sealed record ErrorRateSuggestion(
    double MeanRate,
    double SdRate,
    double PooledRate,
    double UpperBound,
    double Objective,
    bool ObjectiveGiven,
    double AllowedRate,
    double RequestsPerWindow,
    double BudgetRequests,
    double ExpectedBurnRate);

/// <summary>What <c>yardstick slo suggest</c> proposes, with everything needed to check the derivation.</summary>
public sealed record SloSuggestion
{
    public required string Workload { get; init; }

    /// <summary>Runs the suggestion was derived from, oldest first.</summary>
    public required IReadOnlyList<string> RunIds { get; init; }

    public DateTimeOffset From { get; init; }

    public DateTimeOffset To { get; init; }

    /// <summary>Share of unchanged nights each bound is meant to cover.</summary>
    public double Coverage { get; init; }

    /// <summary>Confidence that a bound covers that share.</summary>
    public double Confidence { get; init; }

    public required LatencySuggestion P95 { get; init; }

    public required LatencySuggestion P99 { get; init; }

    public required ErrorRateSuggestion ErrorRate { get; init; }

    /// <summary>The thresholds to paste into the workload (<c>thresholds:</c>).</summary>
    public required IReadOnlyList<string> Thresholds { get; init; }

    /// <summary>The objectives to paste into the workload (<c>slo:</c>).</summary>
    public required SloSpec Slo { get; init; }

    /// <summary>How the figures were derived, in sentences.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}

/// <summary>
/// Proposes SLO thresholds from a workload's accepted runs ("nights"). Each latency target is a one-sided normal
/// <b>tolerance bound</b> on the log of the runs' p95 (p99): exp(mean + k·sd), with k such that the bound exceeds
/// <see cref="Coverage"/> (99 %) of the nights of an unchanged build with <see cref="Confidence"/> (90 %) confidence —
/// an upper confidence bound on a high quantile of the night-to-night distribution, so it carries both the uncertainty of
/// the typical night (few nights → larger k) and the measured spread between nights (sd). Latencies are log-normal
/// across nights to a good approximation (run-to-run noise is multiplicative). The bound is then rounded up to two
/// significant digits. The error-rate allowance is the same bound on the runs' error rates (at least the pooled rate's
/// one-sided Wilson bound), rounded up to the next standard objective (99.99 %, 99.95 %, 99.9 %, 99.5 %, 99 %, 98 %,
/// 95 %, 90 %). With three thresholds each covering 99 % of nights, at least 97 % of unchanged nights meet all of them
/// (Bonferroni); the simulation tests check that at least 95 % do.
/// </summary>
public static class SloSuggester
{
    public const double Coverage = 0.99;
    public const double Confidence = 0.90;
    public const int MinimumRuns = 5;

    /// <summary>Standard availability objectives, tightest first.</summary>
    public static readonly double[] StandardObjectives = [0.9999, 0.9995, 0.999, 0.995, 0.99, 0.98, 0.95, 0.90];

    /// <param name="workload">The workload's name.</param>
    /// <param name="runs">Accepted runs, any order (at least <see cref="MinimumRuns"/>).</param>
    /// <param name="historyDays">The span the runs were taken from (for the requests per window).</param>
    /// <param name="objective">An availability objective to use instead of the suggested one (0.999 = 99.9 %).</param>
    /// <param name="window">The SLO window of the suggested <c>slo:</c> block (default 30 days).</param>
    /// <exception cref="InputException">Fewer than <see cref="MinimumRuns"/> runs, or an objective outside (0, 1).</exception>
    public static SloSuggestion Suggest(string workload, IReadOnlyList<SloHistoryRun> runs, double historyDays, double? objective = null, TimeSpan? window = null)
    {
        if (runs.Count < MinimumRuns)
        {
            throw new InputException("workload", $"{workload} has {runs.Count} accepted run(s) in the last {historyDays:0.#} days; at least {MinimumRuns} are needed to suggest an SLO (more give tighter targets).");
        }

        if (objective is { } given && !(given is > 0 and < 1))
        {
            throw new InputException("--objective", $"{given * 100:0.#####}% is outside (0%, 100%); write for example 99.9%.");
        }

        var ordered = runs.OrderBy(r => r.At).ToList();
        var k = NormalToleranceFactor.OneSided(ordered.Count, Coverage, Confidence);
        var p95 = Latency("p95", ordered.Select(r => r.P95Ms).ToList(), k);
        var p99 = Latency("p99", ordered.Select(r => r.P99Ms).ToList(), k);
        var slo = window ?? TimeSpan.FromDays(30);
        var errors = ErrorRate(ordered, k, historyDays, objective, slo);

        var thresholds = new List<string>
        {
            $"p(95) < {DurationMs(p95.TargetMs)}",
            $"p(99) < {DurationMs(p99.TargetMs)}",
            $"errorRate < {Percent(errors.AllowedRate)}",
        };
        var notes = new List<string>
        {
            $"Latency targets: the one-sided tolerance bound exp(mean + k·sd) of the log p95 (p99) across {ordered.Count} runs, k = {k:0.###} (covers {Coverage:P0} of unchanged runs with {Confidence:P0} confidence: the mean's uncertainty and the run-to-run spread together), rounded up to two significant digits.",
            $"Error rate: the same bound on the runs' error rates (at least the pooled rate's one-sided Wilson bound), {Percent(errors.UpperBound)}; " + (errors.ObjectiveGiven
                ? $"the objective {Percent(errors.Objective)} was given."
                : $"the tightest standard objective whose allowance covers it is {Percent(errors.Objective)}."),
            $"Error budget: {Percent(errors.AllowedRate)} of about {errors.RequestsPerWindow:N0} benchmark requests per {slo.TotalDays:0.#} days = {errors.BudgetRequests:N0} failed requests; an unchanged build burns it at {errors.ExpectedBurnRate:0.##}×.",
        };
        if (errors.ObjectiveGiven && errors.UpperBound > errors.AllowedRate)
        {
            notes.Add($"History reaches {Percent(errors.UpperBound)} errors on bad nights, above the {Percent(errors.AllowedRate)} the objective allows: expect some nights to breach it.");
        }

        return new SloSuggestion
        {
            Workload = workload,
            RunIds = ordered.Select(r => r.RunId).ToList(),
            From = ordered[0].At,
            To = ordered[^1].At,
            Coverage = Coverage,
            Confidence = Confidence,
            P95 = p95,
            P99 = p99,
            ErrorRate = errors,
            Thresholds = thresholds,
            Slo = new SloSpec
            {
                Window = slo,
                Availability = errors.Objective,
                Latency = [new LatencyObjective(TimeSpan.FromMilliseconds(p95.TargetMs), 0.95), new LatencyObjective(TimeSpan.FromMilliseconds(p99.TargetMs), 0.99)],
            },
            Notes = notes,
        };
    }

    /// <summary>Rounds up to two significant digits (47.31 → 48, 4.111 → 4.2, 1234 → 1300).</summary>
    public static double RoundUp2(double value)
    {
        if (value <= 0 || !double.IsFinite(value))
        {
            return value;
        }

        var scale = Math.Pow(10, Math.Floor(Math.Log10(value)) - 1);
        var scaled = value / scale;
        // Guard against 48.000000001 rounding up to 49.
        var up = Math.Ceiling(scaled - 1e-9);
        return Math.Round(up * scale, 12);
    }

    /// <summary>A millisecond value as a threshold duration (<c>48ms</c>, <c>4.2ms</c>, <c>0.35ms</c>).</summary>
    public static string DurationMs(double ms) => ms.ToString("0.######", System.Globalization.CultureInfo.InvariantCulture) + "ms";

    /// <summary>A share as a percentage (<c>0.5%</c>, <c>99.95%</c>).</summary>
    public static string Percent(double share) => (share * 100).ToString("0.####", System.Globalization.CultureInfo.InvariantCulture) + "%";

    private static LatencySuggestion Latency(string quantile, List<double> values, double k)
    {
        var logs = values.Select(v => Math.Log(Math.Max(v, 1e-6))).ToList();
        var mean = logs.Average();
        var sd = StandardDeviation(logs, mean);
        var bound = Math.Exp(mean + (k * sd));
        var sorted = values.Order().ToList();
        var median = sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
        return new LatencySuggestion(quantile, median, Math.Exp(mean), sd, k, bound, RoundUp2(bound));
    }

    private static ErrorRateSuggestion ErrorRate(List<SloHistoryRun> runs, double k, double historyDays, double? objective, TimeSpan window)
    {
        var rates = runs.Select(r => r.Requests > 0 ? (double)r.Errors / r.Requests : 0).ToList();
        var mean = rates.Average();
        var sd = StandardDeviation(rates, mean);
        var requests = runs.Sum(r => r.Requests);
        var errors = runs.Sum(r => r.Errors);
        var pooled = requests > 0 ? (double)errors / requests : 0;
        var z = MathNet.Numerics.Distributions.Normal.InvCDF(0, 1, Confidence);
        var wilson = requests > 0 ? WilsonScoreInterval.Bounds(errors, requests, z).Upper : 1;
        var upper = Math.Max(mean + (k * sd), wilson);

        var chosen = objective ?? StandardObjectives.FirstOrDefault(level => 1 - level >= upper - 1e-15, 1 - RoundUp2(upper));
        var allowed = Math.Round(1 - chosen, 12);
        var perWindow = historyDays > 0 ? requests / historyDays * window.TotalDays : requests;
        return new ErrorRateSuggestion(mean, sd, pooled, upper, chosen, objective is not null, allowed, perWindow, allowed * perWindow, allowed > 0 ? pooled / allowed : double.PositiveInfinity);
    }

    private static double StandardDeviation(List<double> values, double mean) =>
        values.Count < 2 ? 0 : Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
}
