namespace Yardstick.Core.Summaries;

/// <summary>
/// The <c>cost.server</c> section of <c>summary.json</c>: the run's measured window as the app saw it, from
/// Application Insights <c>AppRequests</c> in the target's Log Analytics workspace. Optional (additive): present
/// only when <c>target.azure.logAnalyticsWorkspaceId</c> is set, the host has Azure access and the query answered.
/// </summary>
public sealed record ServerTelemetrySummary
{
    /// <summary>Requests App Insights recorded in the window (Σ <c>ItemCount</c>, so sampled records count for what they stand for).</summary>
    public long Requests { get; init; }

    /// <summary>Server duration p50 (ms), nearest rank over the requests' <c>DurationMs</c>.</summary>
    public double? DurationP50Ms { get; init; }

    /// <summary>Server duration p95 (ms), nearest rank.</summary>
    public double? DurationP95Ms { get; init; }

    /// <summary>Distinct <c>AppRoleInstance</c> values that served in the window.</summary>
    public int Instances { get; init; }

    /// <summary>Start of the queried window (the measured window, client clock).</summary>
    public DateTimeOffset From { get; init; }

    /// <summary>End of the queried window.</summary>
    public DateTimeOffset To { get; init; }

    /// <summary>
    /// <c>requests</c> (one row per request: durations and per-instance busy intervals) or <c>aggregates</c>
    /// (1 ms duration buckets and instance counts, for runs too large to fetch row by row).
    /// </summary>
    public string Detail { get; init; } = "requests";
}
