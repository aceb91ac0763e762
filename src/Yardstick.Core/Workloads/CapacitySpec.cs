using Yardstick.Core.Load;

namespace Yardstick.Core.Workloads;

/// <summary>
/// A capacity search (<c>capacity:</c>, or <c>yardstick capacity --slo …</c>): open-model steps at rising rates, each a
/// measured round with its own warm-up (<c>load.warmup</c>, <c>load.duration</c>), geometric until a step breaks the SLO,
/// then bisection between the last passing and the first failing rate. See <c>Capacity.CapacitySearch</c>.
/// </summary>
public sealed record CapacitySpec
{
    /// <summary>Default growth factor between geometric steps.</summary>
    public const double DefaultGrowth = 2;

    /// <summary>Default relative width at which bisection stops.</summary>
    public const double DefaultPrecision = 0.05;

    /// <summary>Default number of steps (the search stops there even if the bracket is still wide).</summary>
    public const int DefaultMaxSteps = 12;

    /// <summary>Default error rate (a fraction) at which a step is stopped early (autostop).</summary>
    public const double DefaultAutoStopErrorRate = 0.5;

    /// <summary>Default multiple of the strictest latency SLO at which a step is stopped early (autostop).</summary>
    public const double DefaultAutoStopLatencyFactor = 10;

    /// <summary>The service-level objective a sustainable rate must meet, k6-style (<c>p(99) &lt; 300ms</c>, <c>errorRate &lt; 1%</c>).</summary>
    public IReadOnlyList<string> Slo { get; init; } = [];

    /// <summary>First step's rate; default <c>load.rate</c>.</summary>
    public Rate? StartRate { get; init; }

    /// <summary>The search never sends faster than this (a safety bound, and where the search ends if every step passes).</summary>
    public Rate? MaxRate { get; init; }

    /// <summary>Factor between geometric steps (&gt; 1).</summary>
    public double Growth { get; init; } = DefaultGrowth;

    /// <summary>Bisection stops when (first failing − last passing) ÷ last passing is at most this.</summary>
    public double Precision { get; init; } = DefaultPrecision;

    public int MaxSteps { get; init; } = DefaultMaxSteps;

    /// <summary>Scheduling lag p99 above which a step counts as generator-limited; default max(10 ms, 10 % of the strictest latency SLO).</summary>
    public TimeSpan? MaxLag { get; init; }

    /// <summary>A step whose error rate reaches this (after its first second) is stopped at once.</summary>
    public double AutoStopErrorRate { get; init; } = DefaultAutoStopErrorRate;

    /// <summary>A step whose live p99 exceeds this multiple of the strictest latency SLO is stopped at once.</summary>
    public double AutoStopLatencyFactor { get; init; } = DefaultAutoStopLatencyFactor;
}
