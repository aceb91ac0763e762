namespace Yardstick.Core.Workloads;

/// <summary>
/// Service level objectives over a window (<c>slo:</c>): every run reports how far it attained each objective and its
/// burn rate; trends show the error budget left in the window. An objective is a share of good requests:
/// <see cref="Availability"/> counts successful responses, each <see cref="Latency"/> objective responses at or under
/// its threshold.
/// </summary>
public sealed record SloSpec
{
    /// <summary>The window the error budget is counted over (default 30 days).</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromDays(30);

    /// <summary>Share of requests that must succeed (0.999 = 99.9 %); null when not an objective.</summary>
    public double? Availability { get; init; }

    public IReadOnlyList<LatencyObjective> Latency { get; init; } = [];
}

/// <summary>A latency objective: a share <see cref="Target"/> of requests must finish within <see cref="Threshold"/>.</summary>
public sealed record LatencyObjective(TimeSpan Threshold, double Target);
