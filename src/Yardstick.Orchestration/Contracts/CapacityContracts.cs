using Yardstick.Core.Capacity;
using Yardstick.Core.Load;
using Yardstick.Core.Workloads;

namespace Yardstick.Orchestration.Contracts;

/// <summary>The <c>capacity:</c> block as the orchestrator needs it (plain values: it travels through Durable).</summary>
public sealed record CapacityPlan
{
    public IReadOnlyList<string> Slo { get; init; } = [];

    public double StartRate { get; init; }

    public double MaxRate { get; init; }

    public double Growth { get; init; } = CapacitySpec.DefaultGrowth;

    public double Precision { get; init; } = CapacitySpec.DefaultPrecision;

    public int MaxSteps { get; init; } = CapacitySpec.DefaultMaxSteps;

    public double? MaxLagMs { get; init; }

    public double AutoStopErrorRate { get; init; } = CapacitySpec.DefaultAutoStopErrorRate;

    public double AutoStopLatencyFactor { get; init; } = CapacitySpec.DefaultAutoStopLatencyFactor;

    /// <summary>The plan of a validated workload's <c>capacity:</c> block, or null without one.</summary>
    public static CapacityPlan? From(Workload workload)
    {
        if (workload.Capacity is not { } c)
        {
            return null;
        }

        var start = (c.StartRate ?? workload.Load.Rate ?? throw new InvalidOperationException("capacity: no start rate (validation lets none through)")).PerSecond;
        return new CapacityPlan
        {
            Slo = c.Slo,
            StartRate = start,
            MaxRate = c.MaxRate?.PerSecond ?? start,
            Growth = c.Growth,
            Precision = c.Precision,
            MaxSteps = c.MaxSteps,
            MaxLagMs = c.MaxLag?.TotalMilliseconds,
            AutoStopErrorRate = c.AutoStopErrorRate,
            AutoStopLatencyFactor = c.AutoStopLatencyFactor,
        };
    }

    /// <summary>A fresh search for this plan (deterministic: replaying the same step measurements gives the same steps).</summary>
    public CapacitySearch NewSearch() => new(
        new CapacitySpec
        {
            Slo = Slo,
            Growth = Growth,
            Precision = Precision,
            MaxSteps = MaxSteps,
            MaxLag = MaxLagMs is { } lag ? TimeSpan.FromMilliseconds(lag) : null,
            AutoStopErrorRate = AutoStopErrorRate,
            AutoStopLatencyFactor = AutoStopLatencyFactor,
        },
        StartRate,
        MaxRate);
}

/// <summary>Input of <c>MeasureCapacityStepActivity</c>: the measured round of one step.</summary>
public sealed record CapacityStepTask(string RunId, string Workload, int Step, int Shards, double Rate)
{
    /// <summary>The sweep variant the step ran under (a capacity study); empty without a sweep.</summary>
    public string Variant { get; init; } = "";
}
