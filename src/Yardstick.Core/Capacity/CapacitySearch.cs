using Yardstick.Core.Verdicts;
using Yardstick.Core.Workloads;

namespace Yardstick.Core.Capacity;

/// <summary>What one capacity step measured (its measured round, after its own warm-up). Latencies in milliseconds.</summary>
/// <param name="Rate">The open-model rate the step asked for, requests/s.</param>
/// <param name="Latency">Latency from the intended start by canonical metric (<c>p50</c>, <c>p90</c>, <c>p95</c>, <c>p99</c>, <c>p99.9</c>, <c>max</c>, <c>mean</c>).</param>
/// <param name="ServiceTime">Service time (actual send to end of response) by the same metrics: what the target itself took.</param>
/// <param name="Requests">Exchanges that ended.</param>
/// <param name="Errors">Exchanges that failed (any kind).</param>
/// <param name="Scheduled">Arrivals that fell due (dropped ones included).</param>
/// <param name="Dropped">Arrivals dropped at the generator's in-flight cap.</param>
/// <param name="LagP99Ms">Scheduling lag p99 (intended start to hand-off to a connection).</param>
public sealed record CapacityStepMeasurement(
    double Rate,
    IReadOnlyDictionary<string, double> Latency,
    IReadOnlyDictionary<string, double> ServiceTime,
    long Requests,
    long Errors,
    long Scheduled,
    long Dropped,
    double LagP99Ms)
{
    public double ErrorRate => Requests == 0 ? 1 : (double)Errors / Requests;

    public double DroppedShare => Scheduled == 0 ? 0 : (double)Dropped / Scheduled;

    /// <summary>
    /// 95 % distribution-free intervals of the latency quantiles (<c>p50</c> … <c>p99.9</c>) from the step's own
    /// requests: the values at the Wilson bounds of the quantile's rank (<see cref="QuantileInterval"/>). Empty in
    /// measurements stored before they were recorded: those steps are judged without uncertainty.
    /// </summary>
    public IReadOnlyDictionary<string, QuantileBounds> LatencyIntervals { get; init; } = new Dictionary<string, QuantileBounds>();
}

/// <summary>A latency quantile's confidence interval, milliseconds.</summary>
public sealed record QuantileBounds(double Low, double High);

/// <summary>
/// The binomial (order-statistic) interval of a quantile: of n requests, the number at or below the true p-quantile
/// is Binomial(n, p), so the values at the ranks n·L and n·U — (L, U) the 95 % Wilson interval of the proportion p
/// observed in n — bound the quantile with about 95 % confidence, whatever the latency distribution. At p99 of 1,000
/// requests that is roughly the 98.2nd to the 99.5th percentile: one of the ten slowest requests, give or take.
/// </summary>
public static class QuantileInterval
{
    /// <summary>Two-sided 95 %.</summary>
    public const double Z = 1.959963984540054;

    /// <summary>The percentiles (0–100) whose values bound the <paramref name="percentile"/>-th with <paramref name="count"/> samples.</summary>
    public static (double Low, double High) Percentiles(double percentile, long count)
    {
        if (count <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "need at least one sample.");
        }

        var p = percentile / 100;
        var (low, high) = Statistics.WilsonScoreInterval.Bounds(p * count, count, Z);
        return (100 * low, 100 * high);
    }
}

public enum CapacityStepOutcome
{
    /// <summary>Every SLO held and the generator kept up.</summary>
    Pass,

    /// <summary>An SLO broke, and the target's own service time (not the generator) explains it.</summary>
    Fail,

    /// <summary>An SLO broke so badly (error rate or p99 far past the bound) that the search stopped at once.</summary>
    AutoStop,

    /// <summary>The generator was the limit (lag or dropped arrivals over their bound while the target's own service time met the SLO): never counted as the target's capacity.</summary>
    GeneratorLimited,
}

/// <summary>One judged step.</summary>
public sealed record CapacityStep(int Index, string Kind, CapacityStepMeasurement Measurement, CapacityStepOutcome Outcome, IReadOnlyList<string> Breaches)
{
    /// <summary>
    /// The outcome could go the other way within the step's sampling uncertainty (95 % intervals of its SLO metrics
    /// straddle a bound): a pass that might fail, or a fail that might pass. Such a step does not bound
    /// <see cref="CapacityResult.ConfidentLower"/> / <see cref="CapacityResult.ConfidentUpper"/>.
    /// </summary>
    public bool Borderline { get; init; }

    /// <summary>
    /// Modeled cost per 1M requests of this step alone (the workload's cost section priced over the step's measured
    /// shards); null without a cost section, or when the step could not be priced. Added after the search, when the run
    /// is stored: the search never looks at cost.
    /// </summary>
    public double? Per1MRequestsUsd { get; init; }
}

/// <summary>Why the search ended.</summary>
public enum CapacityStop
{
    /// <summary>Bisection narrowed the bracket to the precision.</summary>
    Converged,

    /// <summary>Every step up to <c>maxRate</c> passed: the capacity is at least <c>maxRate</c>.</summary>
    ReachedMaxRate,

    /// <summary>The first step already failed: the capacity is below the start rate.</summary>
    FirstStepFailed,

    /// <summary>A step breached badly (autostop).</summary>
    AutoStop,

    /// <summary>A step was limited by the generator: the search cannot see past it.</summary>
    GeneratorLimited,

    /// <summary>The step budget (<c>maxSteps</c>) ran out before the bracket was narrow enough.</summary>
    MaxSteps,
}

/// <summary>
/// The answer: the maximum sustainable rate (the highest passing rate) with its interval (up to the lowest failing
/// rate above it), and the knee (the first failing rate: where latency or errors turn). Null bounds mean "unknown".
/// </summary>
public sealed record CapacityResult
{
    /// <summary>Highest rate that passed (null when none did).</summary>
    public double? MaxSustainableRate { get; init; }

    /// <summary>The capacity lies in [<see cref="Lower"/>, <see cref="Upper"/>): last pass and first fail.</summary>
    public double? Lower { get; init; }

    /// <summary>Lowest failing (or autostopped) rate above <see cref="Lower"/>; null when no step failed.</summary>
    public double? Upper { get; init; }

    /// <summary>
    /// The capacity's interval with the steps' sampling uncertainty: the highest rate whose step passed beyond doubt
    /// (every SLO held at the pessimistic end of its 95 % interval), null when none did.
    /// </summary>
    public double? ConfidentLower { get; init; }

    /// <summary>The lowest rate above <see cref="ConfidentLower"/> whose step failed beyond doubt; null when none did.</summary>
    public double? ConfidentUpper { get; init; }

    /// <summary>The knee: the first rate at which the SLO broke (same as <see cref="Upper"/>).</summary>
    public double? Knee => Upper;

    public required CapacityStop Stop { get; init; }

    public required IReadOnlyList<CapacityStep> Steps { get; init; }

    /// <summary>One sentence with the numbers.</summary>
    public required string Explanation { get; init; }

    /// <summary>
    /// Modeled cost per 1M requests at the capacity: that of the passing step measured at
    /// <see cref="MaxSustainableRate"/> (the last one when several were), null when no step passed or it was not priced.
    /// </summary>
    public double? Per1MRequestsAtCapacityUsd { get; init; }

    /// <summary>
    /// This result with each step's modeled cost per 1M requests from <paramref name="per1MUsd"/> (null for a step it
    /// cannot price) and the cost at capacity taken from the step that set <see cref="MaxSustainableRate"/>.
    /// </summary>
    public CapacityResult WithStepCosts(Func<CapacityStep, double?> per1MUsd)
    {
        ArgumentNullException.ThrowIfNull(per1MUsd);
        var steps = Steps.Select(s => s with { Per1MRequestsUsd = per1MUsd(s) }).ToList();
        var atCapacity = MaxSustainableRate is { } rate
            ? steps.LastOrDefault(s => s.Outcome == CapacityStepOutcome.Pass && s.Measurement.Rate == rate)?.Per1MRequestsUsd
            : null;
        return this with { Steps = steps, Per1MRequestsAtCapacityUsd = atCapacity };
    }
}

/// <summary>
/// The capacity search's decisions, pure and deterministic given the step outcomes: geometric steps up from the start
/// rate (× <c>growth</c>, capped at <c>maxRate</c>) until a step fails, then bisection between the last passing and the
/// first failing rate until their relative gap is at most <c>precision</c> or <c>maxSteps</c> steps have run. A step
/// that breaches badly (error rate ≥ <c>autostop.errorRate</c>, or p99 ≥ <c>autostop.latencyFactor</c> × the strictest
/// latency SLO) ends the search at once; so does a generator-limited step (its lag p99 above <c>maxLag</c> or more than
/// 1 % of its arrivals dropped, while the target's own service time met the SLO), which is marked and never counted as
/// the target's capacity. The orchestration asks <see cref="NextRate"/>, runs the step, and gives back its measurement.
/// </summary>
public sealed class CapacitySearch
{
    /// <summary>Share of arrivals dropped at the in-flight cap above which a step is generator-limited (when the target met the SLO).</summary>
    public const double MaxDroppedShare = 0.01;

    private static readonly string[] LatencyMetrics = ["p50", "p90", "p95", "p99", "p99.9", "max", "mean"];

    private readonly List<Threshold> _slo;
    private readonly double _maxRate;
    private readonly double _growth;
    private readonly double _precision;
    private readonly int _maxSteps;
    private readonly double _maxLagMs;
    private readonly double _autoStopErrorRate;
    private readonly double? _autoStopP99Ms;
    private readonly List<CapacityStep> _steps = [];
    private double? _lastPass;
    private double? _firstFail;
    private CapacityStop? _stop;
    private double? _next;

    /// <param name="spec">The validated <c>capacity:</c> block.</param>
    /// <param name="startRate">The first step's rate (requests/s): <c>capacity.startRate</c>, else <c>load.rate</c>.</param>
    /// <param name="maxRate">The search's ceiling (requests/s): <c>capacity.maxRate</c>.</param>
    public CapacitySearch(CapacitySpec spec, double startRate, double maxRate)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (!(startRate > 0) || !(maxRate >= startRate))
        {
            throw new ArgumentOutOfRangeException(nameof(startRate), $"need 0 < start rate ({startRate}) ≤ max rate ({maxRate}).");
        }

        _slo = spec.Slo.Select(s => ThresholdParser.Parse(s, "capacity.slo")).ToList();
        _maxRate = maxRate;
        _growth = spec.Growth;
        _precision = spec.Precision;
        _maxSteps = spec.MaxSteps;
        _autoStopErrorRate = spec.AutoStopErrorRate;

        var latencyBounds = _slo.Where(t => LatencyMetrics.Contains(t.Metric)).Select(t => t.Value).ToList();
        double? strictest = latencyBounds.Count > 0 ? latencyBounds.Min() : null;
        _autoStopP99Ms = strictest * spec.AutoStopLatencyFactor;
        _maxLagMs = spec.MaxLag?.TotalMilliseconds ?? Math.Max(10, 0.1 * (strictest ?? 100));
        _next = startRate;
    }

    /// <summary>The scheduling-lag p99 bound in milliseconds (from <c>maxLag</c>, or max(10 ms, 10 % of the strictest latency SLO)).</summary>
    public double MaxLagMs => _maxLagMs;

    /// <summary>The rate of the next step (requests/s), or null when the search has ended.</summary>
    public double? NextRate => _next;

    public bool Done => _next is null;

    public IReadOnlyList<CapacityStep> Steps => _steps;

    /// <summary>Judges the step just run at <see cref="NextRate"/> and decides the next one.</summary>
    public CapacityStep Record(CapacityStepMeasurement measurement)
    {
        ArgumentNullException.ThrowIfNull(measurement);
        if (_next is not { } asked)
        {
            throw new InvalidOperationException("the search has ended; no step was due.");
        }

        var kind = _firstFail is null ? "step" : "bisect";
        var (outcome, breaches) = Judge(measurement);
        var step = new CapacityStep(_steps.Count, kind, measurement with { Rate = asked }, outcome, breaches) { Borderline = IsBorderline(measurement, outcome) };
        _steps.Add(step);

        switch (outcome)
        {
            case CapacityStepOutcome.Pass:
                _lastPass = asked;
                break;
            case CapacityStepOutcome.Fail:
                _firstFail = asked;
                break;
            case CapacityStepOutcome.AutoStop:
                _firstFail = asked;
                _stop = CapacityStop.AutoStop;
                break;
            case CapacityStepOutcome.GeneratorLimited:
                _stop = CapacityStop.GeneratorLimited;
                break;
        }

        _next = _stop is null ? Decide() : null;
        return step;
    }

    private double? Decide()
    {
        if (_firstFail is null)
        {
            // Still stepping up: every step so far passed.
            if (_lastPass >= _maxRate)
            {
                _stop = CapacityStop.ReachedMaxRate;
                return null;
            }

            if (_steps.Count >= _maxSteps)
            {
                _stop = CapacityStop.MaxSteps;
                return null;
            }

            return Math.Min(_maxRate, _lastPass!.Value * _growth);
        }

        if (_lastPass is null)
        {
            _stop = CapacityStop.FirstStepFailed;
            return null;
        }

        if ((_firstFail.Value - _lastPass.Value) / _lastPass.Value <= _precision)
        {
            _stop = CapacityStop.Converged;
            return null;
        }

        if (_steps.Count >= _maxSteps)
        {
            _stop = CapacityStop.MaxSteps;
            return null;
        }

        return (_lastPass.Value + _firstFail.Value) / 2;
    }

    /// <summary>The SLO verdict of one step, autostop first, then whether the generator (not the target) explains it.</summary>
    private (CapacityStepOutcome Outcome, IReadOnlyList<string> Breaches) Judge(CapacityStepMeasurement m)
    {
        var breaches = new List<string>();
        var targetBreaches = 0;
        foreach (var threshold in _slo)
        {
            var (actual, service) = Values(m, threshold.Metric);
            if (!threshold.IsSatisfiedBy(actual))
            {
                breaches.Add(threshold.Text);
                if (!threshold.IsSatisfiedBy(service))
                {
                    targetBreaches++;
                }
            }
        }

        var p99 = m.Latency.GetValueOrDefault("p99", double.NaN);
        if (m.ErrorRate >= _autoStopErrorRate)
        {
            breaches.Add($"autostop: error rate {m.ErrorRate:P1} ≥ {_autoStopErrorRate:P0}");
            return (CapacityStepOutcome.AutoStop, breaches);
        }

        if (_autoStopP99Ms is { } bound && p99 >= bound)
        {
            breaches.Add($"autostop: p99 {p99:0.#} ms ≥ {bound:0.#} ms");
            return (CapacityStepOutcome.AutoStop, breaches);
        }

        var lagging = m.LagP99Ms > _maxLagMs;
        var dropping = m.DroppedShare > MaxDroppedShare;
        if ((lagging || dropping) && targetBreaches == 0)
        {
            // The target's own service time met every SLO: whatever broke (or the rate it never received) is the generator's.
            if (lagging)
            {
                breaches.Add($"generator: scheduling lag p99 {m.LagP99Ms:0.#} ms > {_maxLagMs:0.#} ms");
            }

            if (dropping)
            {
                breaches.Add($"generator: {m.DroppedShare:P1} of arrivals dropped at the in-flight cap");
            }

            return (CapacityStepOutcome.GeneratorLimited, breaches);
        }

        return (breaches.Count == 0 ? CapacityStepOutcome.Pass : CapacityStepOutcome.Fail, breaches);
    }

    /// <summary>
    /// Whether the step's verdict could flip within its sampling uncertainty: a pass where some SLO fails at the
    /// pessimistic end of its 95 % interval (latency quantile's upper bound, error rate's Wilson upper bound), or a fail
    /// where every breached SLO holds at the optimistic end (a step without any error is never borderline on its error
    /// rate: see <see cref="Range"/>). Autostop and generator-limited steps are never borderline
    /// (they breach far past the bound, or do not count). Metrics without an interval (max, mean, or measurements stored
    /// before intervals were) count as exact.
    /// </summary>
    private bool IsBorderline(CapacityStepMeasurement m, CapacityStepOutcome outcome)
    {
        if (outcome is not (CapacityStepOutcome.Pass or CapacityStepOutcome.Fail))
        {
            return false;
        }

        var holdsAtWorst = true;
        var breachedAtBest = false;
        foreach (var threshold in _slo)
        {
            var (best, worst) = Range(m, threshold.Metric);
            holdsAtWorst &= threshold.IsSatisfiedBy(worst);
            breachedAtBest |= !threshold.IsSatisfiedBy(best);
        }

        return outcome == CapacityStepOutcome.Pass ? !holdsAtWorst : !breachedAtBest;
    }

    /// <summary>An SLO metric's 95 % range for the step, (best, worst) for an upper-bound SLO.</summary>
    private static (double Best, double Worst) Range(CapacityStepMeasurement m, string metric)
    {
        if (metric == "errorRate")
        {
            if (m.Requests == 0)
            {
                return (1, 1);
            }

            // No error at all is no evidence of breaking: a few seconds of load cannot show that a rate is below 1 %
            // (0 of 40 has a Wilson upper bound near 9 %), and the search asks where errors begin, not how rare they are.
            if (m.Errors == 0)
            {
                return (0, 0);
            }

            var (low, high) = Statistics.WilsonScoreInterval.Bounds(m.Errors, m.Requests, QuantileInterval.Z);
            return (low, high);
        }

        var value = m.Latency.GetValueOrDefault(metric, double.PositiveInfinity);
        return m.LatencyIntervals.TryGetValue(metric, out var bounds) ? (bounds.Low, bounds.High) : (value, value);
    }

    /// <summary>The step's value for an SLO metric: from the intended start, and the target's own share (service time; errors are the target's).</summary>
    private static (double Actual, double Service) Values(CapacityStepMeasurement m, string metric) => metric switch
    {
        "errorRate" => (m.ErrorRate, m.ErrorRate),
        _ => (m.Latency.GetValueOrDefault(metric, double.PositiveInfinity), m.ServiceTime.GetValueOrDefault(metric, double.PositiveInfinity)),
    };

    /// <summary>The answer so far (final once <see cref="Done"/>).</summary>
    public CapacityResult Result()
    {
        var stop = _stop ?? CapacityStop.MaxSteps;
        var (confidentLower, confidentUpper) = ConfidentBounds();
        return new CapacityResult
        {
            MaxSustainableRate = _lastPass,
            Lower = _lastPass,
            Upper = _firstFail,
            ConfidentLower = confidentLower,
            ConfidentUpper = confidentUpper,
            Stop = stop,
            Steps = _steps.ToList(),
            Explanation = Explain(stop) + ExplainUncertainty(confidentLower, confidentUpper),
        };
    }

    /// <summary>
    /// The bracket again with only the steps decided beyond their sampling uncertainty: the highest clear pass below
    /// every clear failure, and the lowest clear failure above it (autostops count as clear failures;
    /// generator-limited steps never count). Each step's interval is 95 % on its own, not simultaneous across steps.
    /// </summary>
    private (double? Lower, double? Upper) ConfidentBounds()
    {
        var clearFails = _steps.Where(s => s.Outcome is CapacityStepOutcome.Fail or CapacityStepOutcome.AutoStop && !s.Borderline).Select(s => s.Measurement.Rate).ToList();
        var lowestClearFail = clearFails.Count > 0 ? clearFails.Min() : double.PositiveInfinity;
        var clearPasses = _steps.Where(s => s.Outcome == CapacityStepOutcome.Pass && !s.Borderline && s.Measurement.Rate < lowestClearFail).Select(s => s.Measurement.Rate).ToList();
        double? lower = clearPasses.Count > 0 ? clearPasses.Max() : null;
        double? upper = clearFails.Where(r => r > (lower ?? 0)).Select(r => (double?)r).Min();
        return (lower, upper);
    }

    private string ExplainUncertainty(double? lower, double? upper)
    {
        // Without a borderline step the confident bounds are the bracket itself: nothing to add.
        var borderline = _steps.Where(s => s.Borderline).ToList();
        if (borderline.Count == 0)
        {
            return "";
        }

        static string R(double? r) => r is { } v ? $"{v:0.#}/s" : "?";
        var which = string.Join(", ", borderline.Select(s => $"{R(s.Measurement.Rate)} ({(s.Outcome == CapacityStepOutcome.Pass ? "a pass" : "a fail")})"));
        var range = (lower, upper) switch
        {
            ({ } l, { } u) => $"lies between {R(l)} and {R(u)}",
            ({ } l, null) => $"is at least {R(l)}",
            (null, { } u) => $"is below {R(u)}",
            _ => "could lie anywhere in the searched range",
        };
        return $" With each step's sampling uncertainty (95 % intervals of its SLO metrics) the capacity {range}: the step{(borderline.Count == 1 ? "" : "s")} at {which} could have gone the other way.";
    }

    private string Explain(CapacityStop stop)
    {
        static string R(double? r) => r is { } v ? $"{v:0.#}/s" : "?";
        var bracket = _lastPass is not null && _firstFail is not null ? $"between {R(_lastPass)} (last pass) and {R(_firstFail)} (first fail)" : null;
        return stop switch
        {
            CapacityStop.Converged => $"Maximum sustainable rate {R(_lastPass)}: the capacity lies {bracket}, within {_precision:P0}, after {_steps.Count} steps.",
            CapacityStop.ReachedMaxRate => $"Every step passed up to maxRate {R(_maxRate)}: the capacity is at least {R(_lastPass)}.",
            CapacityStop.FirstStepFailed => $"The first step ({R(_firstFail)}) already broke the SLO: the capacity is below the start rate.",
            CapacityStop.AutoStop => bracket is not null
                ? $"Autostop at {R(_firstFail)}: the step breached badly; the capacity lies {bracket}."
                : $"Autostop at {R(_firstFail)}: the step breached badly; no rate passed.",
            CapacityStop.GeneratorLimited => $"The generator was the limit at {R(_steps[^1].Measurement.Rate)} (not counted): the capacity is at least {R(_lastPass)}" + (_firstFail is not null ? $" and below {R(_firstFail)}." : "; use more shards or workers to look further."),
            _ => bracket is not null
                ? $"Step budget ({_maxSteps}) spent: the capacity lies {bracket}."
                : $"Step budget ({_maxSteps}) spent: the capacity is at least {R(_lastPass)}.",
        };
    }
}
