using System.Globalization;
using MathNet.Numerics.Distributions;
using Yardstick.Core.Load;
using Yardstick.Core.Ports;
using Yardstick.Core.Workloads;

namespace Yardstick.Core.Verdicts;

/// <summary>The shape of a planned comparison, known before any run: how long each measured round is and how many samples each side gets.</summary>
/// <param name="RoundDuration">Measured duration per round (<c>load.duration</c>); a single-round run has one per-second window per second.</param>
/// <param name="Repeat">Measured rounds per run (<c>compare.repeat</c>); with two or more, every round is one run-level sample without windows.</param>
/// <param name="BaselineRuns">Runs forming the baseline: 1 for <c>current</c> or a run id, N for <c>rolling(N)</c>; each is assumed to have <paramref name="Repeat"/> rounds too.</param>
public sealed record ComparisonPlan(TimeSpan RoundDuration, int Repeat = 1, int BaselineRuns = 1)
{
    /// <summary>The plan of a workload's gate: its duration, <c>compare.repeat</c> and <c>compare.baseline</c> (or <paramref name="baselineOverride"/>, a mode or a run id).</summary>
    public static ComparisonPlan From(Workload workload, string? baselineOverride = null)
    {
        ArgumentNullException.ThrowIfNull(workload);
        var mode = baselineOverride ?? workload.Compare.Baseline;
        var runs = BaselineModes.TryParse(mode, out var rolling) && rolling is { } n ? n : 1;
        return new ComparisonPlan(workload.Load.Duration, Math.Max(1, workload.Compare.Repeat), runs)
        {
            RequestsPerSample = PlannedRequests(workload.Load),
            Recycled = workload.Compare.Recycle,
        };
    }

    /// <summary><c>compare.recycle</c>: every round runs on a new target process with its own warm-up.</summary>
    public bool Recycled { get; init; }

    /// <summary>
    /// Requests one sample (a run, or a round of a repeated run) is planned to send: open model rate × duration, or the
    /// area under the stages' ramp; null for the closed model, whose request count depends on the latency it meets.
    /// </summary>
    public double? RequestsPerSample { get; init; }

    private static double? PlannedRequests(LoadSpec load)
    {
        if (load.Model != LoadModel.Open)
        {
            return null;
        }

        if (load.Stages.Count > 0)
        {
            double total = 0;
            var previous = load.StartRate?.PerSecond ?? 0;
            foreach (var stage in load.Stages)
            {
                total += (previous + stage.Target.PerSecond) / 2 * stage.Duration.TotalSeconds;
                previous = stage.Target.PerSecond;
            }

            return total;
        }

        return load.Rate is { } rate ? rate.PerSecond * load.Duration.TotalSeconds : null;
    }

    /// <summary>Samples the candidate run gives the verdict engine: one per round from two rounds on, else the run itself.</summary>
    public int CandidateSamples => Repeat >= 2 ? Repeat : 1;

    /// <summary>Samples the baseline gives (every baseline run split like the candidate).</summary>
    public int BaselineSamples => BaselineRuns * CandidateSamples;

    /// <summary>Per-second windows of one sample: whole seconds of a single-round run; rounds of a repeated run carry none.</summary>
    public int WindowsPerSample => Repeat >= 2 ? 0 : (int)Math.Floor(RoundDuration.TotalSeconds);
}

/// <summary>What the design can do for one gated metric.</summary>
/// <param name="Metric">The gated metric key.</param>
/// <param name="CanDecide">False when no outcome of the runs can give this metric a verdict other than inconclusive.</param>
/// <param name="Reason">Why it cannot decide and what would fix it (null when it can).</param>
/// <param name="DetectableShift">
/// The smallest relative shift in the worse direction the comparison could call a regression: the larger of the margin
/// and the half-width of the first Holm step's interval (at that size a regression is called about half the time). Null
/// where it cannot decide, and for error rates (their interval depends on the rate itself).
/// </param>
/// <param name="Calibrated">True when a stored calibration gave the run-to-run noise; false when the policy's assumed value did.</param>
public sealed record MetricDesign(string Metric, bool CanDecide, string? Reason, double? DetectableShift, bool Calibrated);

/// <summary>
/// What a comparison's design can detect, before anything runs — so a gate that can never decide is caught at
/// <c>validate</c> and at the start of <c>run</c>/<c>gate</c>, not after the load. It follows <see cref="VerdictEngine"/>'s
/// own paths:
/// <list type="bullet">
/// <item>Fewer than three samples on both sides: each run's per-second windows are resampled, so every run needs at least
/// <see cref="VerdictPolicy.MinimumWindows"/> of them (a single-round run of that many seconds; rounds of a repeated run
/// carry none) — unless a stored calibration covers the metric, which then decides it alone. Metrics that are not derived from windows (cold start, cost) are read against the run-to-run noise.</item>
/// <item>A whole-run latency quantile whose planned requests per sample (open model) leave fewer than
/// <see cref="VerdictPolicy.MinTailSamples"/> requests beyond it (see <see cref="TailSampleFloor"/>) cannot be decided.</item>
/// <item>Three or more samples on a side: run-level values; a metric measured once per run (cold start, cost) then has one
/// value per run, and with one run per side and no calibration its noise is unknown.</item>
/// </list>
/// The detectable shift is the first Holm step's (α / number of gated metrics) one-sided Student bound on the standard
/// error of the log ratio that run-to-run noise alone gives: √(1/n_baseline + 1/n_candidate) × σ, σ and its degrees of
/// freedom from the calibration when one applies, else <see cref="VerdictPolicy.AssumedRunToRunCv"/> with
/// <see cref="VerdictPolicy.AssumedRunToRunDegreesOfFreedom"/> (run-level: n_b + n_c - 2). Within-run noise adds to it,
/// so the figure is a floor: a run can only do worse.
/// </summary>
public static class ComparisonDesign
{
    /// <summary>Metrics measured once per run, not per round (see <see cref="RunMetricsFactory"/>).</summary>
    private static readonly HashSet<string> PerRunMetrics = new(StringComparer.Ordinal) { MetricKeys.ColdStartP50, MetricKeys.CostPerRequest };

    /// <summary>Assesses every gated metric of <paramref name="policy"/> for <paramref name="plan"/>.</summary>
    /// <exception cref="InputException">The policy is invalid.</exception>
    public static IReadOnlyList<MetricDesign> Assess(ComparisonPlan plan, VerdictPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentOutOfRangeException.ThrowIfLessThan(plan.Repeat, 1, nameof(plan));
        ArgumentOutOfRangeException.ThrowIfLessThan(plan.BaselineRuns, 1, nameof(plan));
        ArgumentOutOfRangeException.ThrowIfLessThan(plan.RoundDuration, TimeSpan.Zero, nameof(plan));
        policy.Validate();
        var runLevel = Math.Max(plan.BaselineSamples, plan.CandidateSamples) >= 3;
        var level = policy.Alpha / policy.Metrics.Count;
        return [.. policy.Metrics.Select(metric => Assess(metric, plan, policy, runLevel, level))];
    }

    /// <summary>
    /// One line per metric for people: what cannot be decided and why, else the shift it detects ("with 8 s runs and 1
    /// run per side this gate cannot decide p95: …"; "… detects ≥ 12 % shifts on p50 at α 0.01 …").
    /// </summary>
    /// <param name="plan">The planned comparison.</param>
    /// <param name="policy">The policy <paramref name="metrics"/> were assessed with.</param>
    /// <param name="metrics">The result of <see cref="Assess(ComparisonPlan, VerdictPolicy)"/>.</param>
    /// <param name="calibrationRead">
    /// False where no stored calibration could be looked up (<c>validate</c> reads no stored data; a remote gate's is in the
    /// app): the assumed noise is then named as a stand-in, not as the absence of a calibration.
    /// </param>
    public static IReadOnlyList<string> Describe(ComparisonPlan plan, VerdictPolicy policy, IReadOnlyList<MetricDesign> metrics, bool calibrationRead = true)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(metrics);
        var shape = Shape(plan);
        var alpha = policy.Alpha.ToString("0.###", CultureInfo.InvariantCulture);
        var lines = new List<string>();
        foreach (var m in metrics.Where(m => !m.CanDecide))
        {
            lines.Add($"with {shape} this gate cannot decide {m.Metric}: {m.Reason}");
        }

        var detecting = metrics.Where(m => m.DetectableShift is not null).ToList();
        foreach (var group in detecting.GroupBy(m => m.Calibrated))
        {
            var source = group.Key
                ? "with the stored calibration"
                : calibrationRead
                    ? $"with no calibration (assumed {Percent(policy.AssumedRunToRunCv)} run-to-run noise; `yardstick calibrate` measures it)"
                    : $"with the assumed {Percent(policy.AssumedRunToRunCv)} run-to-run noise (no stored calibration was read here)";
            var shifts = string.Join(", ", group.Select(m => $"≥ {Percent(m.DetectableShift!.Value)} on {m.Metric}"));
            lines.Add($"with {shape} and {source} it detects shifts {shifts} at α {alpha}");
        }

        if (metrics.Any(m => m.CanDecide && m.DetectableShift is null))
        {
            var rates = string.Join(", ", metrics.Where(m => m.CanDecide && m.DetectableShift is null).Select(m => m.Metric));
            lines.Add($"{rates}: judged on request and error counts, margin max({Percent(policy.Margin)} of the baseline rate, {(policy.ErrorRateMarginFloor * 100).ToString("0.###", CultureInfo.InvariantCulture)} pp)");
        }

        return lines;
    }

    private static MetricDesign Assess(string metric, ComparisonPlan plan, VerdictPolicy policy, bool runLevel, double level)
    {
        // A whole-run quantile whose planned tail is below the floor is inconclusive whatever the runs show (a named
        // request's share of a mix is not known before the run). As in the engine, another reason comes first.
        var design = AssessNoise(metric, plan, policy, runLevel, level);
        if (design.CanDecide && plan.RequestsPerSample is { } planned && MetricKeys.Split(metric).Request is null
            && TailSampleFloor.TailFraction(metric) is { } fraction && TailSampleFloor.Count(planned, fraction) < policy.MinTailSamples)
        {
            var unit = plan.Repeat >= 2 ? "round" : "run";
            var needed = TailSampleFloor.RequestsNeeded(policy.MinTailSamples, fraction);
            return CannotDecide(metric,
                $"it would rest on about {N(TailSampleFloor.Count(planned, fraction))} tail samples per {unit} ({N((long)Math.Round(planned))} planned requests × {(fraction * 100).ToString("0.##", CultureInfo.InvariantCulture)} %) and the verdict needs ≥ {N(policy.MinTailSamples)}: plan ≥ {N(needed)} requests per {unit} (load.rate × load.duration), or lower compare.minTailSamples",
                policy.Noise.ContainsKey(metric));
        }

        return design;
    }

    private static MetricDesign AssessNoise(string metric, ComparisonPlan plan, VerdictPolicy policy, bool runLevel, double level)
    {
        var baseMetric = MetricKeys.Base(metric);
        var perRun = PerRunMetrics.Contains(baseMetric);
        var (x, y) = perRun ? (plan.BaselineRuns, 1) : (plan.BaselineSamples, plan.CandidateSamples);
        var calibrated = policy.Noise.TryGetValue(metric, out var prior);
        double sigma, df;
        if (runLevel)
        {
            if (!calibrated && x + y - 2 < 1)
            {
                return CannotDecide(metric,
                    $"it is measured once per run, and with one run per side and no calibration its run-to-run noise is unknown; calibrate the workload (`yardstick calibrate`) or compare against rolling(N)",
                    calibrated);
            }

            if (metric == MetricKeys.ErrorRate || MetricKeys.Scale(metric) == IntervalScale.Difference)
            {
                return new MetricDesign(metric, true, null, null, calibrated);
            }

            (sigma, df) = calibrated ? (prior!.LogStandardDeviation, x + y - 2 + prior.DegreesOfFreedom) : (policy.AssumedRunToRunCv, Math.Max(1, x + y - 2));
        }
        else
        {
            // Too short to resample: decided with a calibration's run-to-run noise when one covers the metric, else never.
            if (MetricKeys.DerivableFromWindows(metric) && plan.WindowsPerSample < policy.MinimumWindows
                && !(calibrated && MetricKeys.Scale(metric) == IntervalScale.Ratio))
            {
                return CannotDecide(metric, WindowReason(plan, policy), calibrated);
            }

            if (MetricKeys.Scale(metric) == IntervalScale.Difference)
            {
                return new MetricDesign(metric, true, null, null, calibrated);
            }

            (sigma, df) = calibrated ? (prior!.LogStandardDeviation, prior.DegreesOfFreedom) : (policy.AssumedRunToRunCv, policy.AssumedRunToRunDegreesOfFreedom);
            if (!MetricKeys.DerivableFromWindows(metric) && sigma <= 0)
            {
                return CannotDecide(metric, "it has no per-second windows and no run-to-run noise estimate; calibrate the workload", calibrated);
            }
        }

        var se = sigma * Math.Sqrt((1.0 / x) + (1.0 / y));
        var half = StudentT.InvCDF(0, 1, df, 1 - level) * se;
        var shift = MetricKeys.Direction(metric) == MetricDirection.HigherIsWorse
            ? Math.Max(Math.Exp(half) - 1, policy.Margin)
            : Math.Max(1 - Math.Exp(-half), policy.Margin);
        return new MetricDesign(metric, true, null, shift, calibrated);
    }

    private static string WindowReason(ComparisonPlan plan, VerdictPolicy policy)
    {
        var seconds = policy.MinimumWindows.ToString(CultureInfo.InvariantCulture);
        return plan.Repeat >= 2
            ? $"its {plan.Repeat} rounds per run carry no per-second windows, and a run-level comparison needs at least 3 samples on a side: set compare.repeat to 3 or more, or to 1 with load.duration ≥ {seconds}s"
            : $"needs ≥ {seconds} s runs (the verdict resamples at least {seconds} per-second windows of each run); set load.duration to {seconds}s or more, or compare.repeat to 3 or more";
    }

    private static MetricDesign CannotDecide(string metric, string reason, bool calibrated) => new(metric, false, reason, null, calibrated);

    private static string Shape(ComparisonPlan plan)
    {
        var duration = DurationText.Format(plan.RoundDuration);
        var unit = plan.Repeat >= 2 ? "round" : "run";
        var perSide = plan.BaselineSamples == plan.CandidateSamples
            ? $"{Count(plan.CandidateSamples, unit)} per side"
            : $"{Count(plan.BaselineSamples, "baseline " + unit)} and {Count(plan.CandidateSamples, "candidate " + unit)}";
        return plan.Repeat >= 2
            ? $"{duration} rounds and {perSide} (each round one sample{(plan.Recycled ? ", on a new target process with its own warm-up" : "")})"
            : $"{duration} runs and {perSide}";
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Count(int n, string noun) => n.ToString(CultureInfo.InvariantCulture) + " " + noun + (n == 1 ? "" : "s");

    private static string Percent(double fraction) =>
        (fraction * 100).ToString(fraction < 0.1 ? "0.#" : "0", CultureInfo.InvariantCulture) + " %";
}
