namespace Yardstick.Core.Verdicts;

/// <summary>
/// How a candidate is compared with its baseline. The decision rule (see <see cref="VerdictEngine"/>): per metric a
/// 1 - 2αᵢ interval (each bound one-sided at αᵢ, αᵢ from Holm's step-down over the gated metrics) is set against the
/// margin: regression when the interval lies above "no change" and the estimate is beyond the margin; equivalent when
/// the interval lies inside the margin; improvement symmetrically; otherwise inconclusive.
/// </summary>
/// <param name="Metrics">Gated metrics (<see cref="MetricKeys"/>), e.g. <see cref="DefaultMetrics"/>.</param>
/// <param name="Margin">Relative equivalence margin: ratios in [1 - m, 1 + m] count as "no practical change".</param>
/// <param name="Alpha">Family-wise rate of false regression claims across the gated metrics.</param>
public sealed record VerdictPolicy(IReadOnlyList<string> Metrics, double Margin = 0.05, double Alpha = 0.01)
{
    /// <summary>The workload default: p50, p95, p99 and error rate (add throughput for the closed model).</summary>
    public static IReadOnlyList<string> DefaultMetrics { get; } =
        [MetricKeys.P50, MetricKeys.P95, MetricKeys.P99, MetricKeys.ErrorRate];

    /// <summary>The default policy: <see cref="DefaultMetrics"/>, 5 % margin, α = 0.01.</summary>
    public static VerdictPolicy Default { get; } = new(DefaultMetrics);

    /// <summary>
    /// Absolute margin floor for error rates (a fraction: 0.001 = 0.1 percentage point). Error rates sit near zero, where a
    /// relative margin means nothing (5 % of 0 is 0), so the margin is max(<see cref="Margin"/> × baseline rate, floor).
    /// </summary>
    public double ErrorRateMarginFloor { get; init; } = 0.001;

    /// <summary>
    /// Run-to-run noise assumed when a comparison has too few runs to measure it (fewer than three per side) and no
    /// calibration covers the metric: the standard deviation of log run-level values (≈ a coefficient of variation).
    /// A single run cannot show its own run-level shift, so without this term within-run resampling would call
    /// ordinary cloud noise a regression. 0.03 (3 %) is typical of serverless run-to-run noise; calibrate to replace it.
    /// </summary>
    public double AssumedRunToRunCv { get; init; } = 0.03;

    /// <summary>
    /// Degrees of freedom granted to <see cref="AssumedRunToRunCv"/>: an assumption is not a measurement, so it enters
    /// like the result of a small calibration (10 ≈ eleven A/A runs) and Student's t widens the interval accordingly.
    /// This keeps single-run comparisons conservative when the assumed noise is right and tolerant when it is a little
    /// optimistic.
    /// </summary>
    public int AssumedRunToRunDegreesOfFreedom { get; init; } = 10;

    /// <summary>
    /// Measured run-to-run noise per metric (from <see cref="NoiseCalibration"/>). Multi-run comparisons pool it with the
    /// observed spread (its degrees of freedom add to theirs); single-run comparisons use it instead of
    /// <see cref="AssumedRunToRunCv"/>.
    /// </summary>
    public IReadOnlyDictionary<string, NoisePrior> Noise { get; init; } = new Dictionary<string, NoisePrior>();

    /// <summary>Bootstrap replicates for the window-block path. Only standard errors are taken from them, so 500 suffice (the variance estimate is within ±6 %).</summary>
    public int BootstrapIterations { get; init; } = 500;

    /// <summary>Block length in per-second windows; null picks it from the windows' autocorrelation.</summary>
    public int? BlockLength { get; init; }

    /// <summary>Windows a run needs before its windows are resampled; shorter runs are inconclusive.</summary>
    public int MinimumWindows { get; init; } = 10;

    /// <summary>
    /// Tail samples a gated latency quantile needs in every compared run (or round): requests × min(p, 1 - p), so 100
    /// means ≥ 10,000 requests per run for p99 and ≥ 2,000 for p95 (see <see cref="TailSampleFloor"/>). Below it the
    /// quantile is inconclusive. 0 turns the floor off.
    /// </summary>
    public int MinTailSamples { get; init; } = 100;

    /// <summary>
    /// Runs per side from which the rank method (Hodges–Lehmann ratio, Mann–Whitney interval) replaces Student's t on
    /// log values. Rank tests cannot reach small Holm-adjusted α with few runs (5 vs 5: p ≥ 1/252).
    /// </summary>
    public int RankMethodMinimumRuns { get; init; } = 10;

    /// <summary>Upper bound reported for <see cref="MetricVerdict.AdditionalRunsNeeded"/>.</summary>
    public int MaxAdditionalRuns { get; init; } = 100;

    /// <summary>Seed of the bootstrap; the same inputs and seed give the same verdict.</summary>
    public int Seed { get; init; } = 17;

    /// <summary>Throws an <see cref="InputException"/> naming the <c>compare.*</c> key at fault.</summary>
    public void Validate()
    {
        if (Metrics is null || Metrics.Count == 0)
        {
            throw new InputException("compare.metrics", "At least one gated metric is required.");
        }

        for (var i = 0; i < Metrics.Count; i++)
        {
            if (!MetricKeys.IsComparable(Metrics[i]))
            {
                throw new InputException($"compare.metrics[{i}]", $"Unknown metric '{Metrics[i]}'; expected one of {string.Join(", ", MetricKeys.Comparable)}.");
            }

            if (Metrics.Take(i).Contains(Metrics[i], StringComparer.Ordinal))
            {
                throw new InputException($"compare.metrics[{i}]", $"Metric '{Metrics[i]}' is listed twice.");
            }
        }

        Check(Margin > 0 && Margin < 1, "compare.margin", $"The margin must lie in (0, 1) (a fraction: 0.05 = 5 %); got {Margin}.");
        Check(Alpha > 0 && Alpha < 0.5, "compare.alpha", $"α must lie in (0, 0.5); got {Alpha}.");
        Check(ErrorRateMarginFloor >= 0 && ErrorRateMarginFloor < 1, "compare.errorRateMarginFloor", "The error-rate margin floor must lie in [0, 1).");
        Check(AssumedRunToRunCv >= 0 && AssumedRunToRunCv < 1, "compare.assumedRunToRunCv", "The assumed run-to-run CV must lie in [0, 1).");
        Check(AssumedRunToRunDegreesOfFreedom >= 1, "compare.assumedRunToRunDegreesOfFreedom", "The assumed run-to-run CV needs at least one degree of freedom.");
        Check(BootstrapIterations >= 50, "compare.bootstrapIterations", "At least 50 bootstrap iterations are needed.");
        Check(BlockLength is null or >= 1, "compare.blockLength", "The block length must be at least one window.");
        Check(MinimumWindows >= 2, "compare.minimumWindows", "At least two windows are needed to resample.");
        Check(MinTailSamples >= 0, "compare.minTailSamples", $"The tail-sample floor must be 0 (off) or more; got {MinTailSamples}.");
        Check(RankMethodMinimumRuns >= 3, "compare.rankMethodMinimumRuns", "The rank method needs at least three runs per side.");
        Check(MaxAdditionalRuns >= 1, "compare.maxAdditionalRuns", "The cap on additional runs must be at least 1.");
        foreach (var (metric, prior) in Noise)
        {
            Check(prior.LogStandardDeviation >= 0 && prior.DegreesOfFreedom >= 1, $"compare.noise.{metric}", "A noise prior needs a non-negative spread and at least one degree of freedom.");
        }
    }

    private static void Check(bool condition, string field, string message)
    {
        if (!condition)
        {
            throw new InputException(field, message);
        }
    }
}

/// <summary>
/// Run-to-run noise of one metric measured by an A/A calibration: the standard deviation of log run-level values and
/// the degrees of freedom it was estimated with (runs - 1).
/// </summary>
public sealed record NoisePrior(double LogStandardDeviation, int DegreesOfFreedom);
