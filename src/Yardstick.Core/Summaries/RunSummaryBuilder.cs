using Yardstick.Core.Measurements;

namespace Yardstick.Core.Summaries;

/// <summary>What a run summary needs besides the measurements.</summary>
public sealed record RunSummaryContext
{
    public required string RunId { get; init; }

    public required string Workload { get; init; }

    public required string Status { get; init; }

    public DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset CompletedAt { get; init; }

    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    public string SettingsKey { get; init; } = "default";

    /// <summary>"open" or "closed".</summary>
    public string Model { get; init; } = "open";

    public int ShardsSucceeded { get; init; }

    public int ShardsTotal { get; init; }

    public StorageLocations? Storage { get; init; }

    public string? FailureReason { get; init; }
}

/// <summary>Builds <c>summary.json</c> from merged shard measurements.</summary>
public static class RunSummaryBuilder
{
    public static RunSummary Build(RunSummaryContext context, MergedMeasurements? merged, IReadOnlyList<RoundSummary> rounds)
    {
        if (merged is null)
        {
            return new RunSummary
            {
                RunId = context.RunId,
                Workload = context.Workload,
                Status = context.Status,
                StartedAt = context.StartedAt,
                CompletedAt = context.CompletedAt,
                Tags = context.Tags,
                SettingsKey = context.SettingsKey,
                Model = context.Model,
                LatencyMs = new LatencySummary(),
                SchedulingLagMs = new LagSummary(),
                ShardsSucceeded = context.ShardsSucceeded,
                ShardsTotal = context.ShardsTotal,
                Storage = context.Storage,
                FailureReason = context.FailureReason,
            };
        }

        var seconds = merged.MeasuredDuration.TotalSeconds;
        return new RunSummary
        {
            RunId = context.RunId,
            Workload = context.Workload,
            Status = context.Status,
            StartedAt = context.StartedAt,
            CompletedAt = context.CompletedAt,
            Tags = context.Tags,
            SettingsKey = context.SettingsKey,
            Model = context.Model,
            Requests = merged.Requests,
            Successes = merged.Successes,
            Errors = merged.Errors.Total,
            ErrorRate = merged.ErrorRate,
            ErrorBreakdown = new ErrorBreakdown
            {
                Timeout = merged.Errors.Timeout,
                Connect = merged.Errors.Connect,
                Http4xx = merged.Errors.Http4xx,
                Http5xx = merged.Errors.Http5xx,
                Other = merged.Errors.Other,
            },
            LatencyMs = HistogramSummaries.Latency(merged.Latency),
            ServiceTimeMs = HistogramSummaries.Latency(merged.ServiceTime),
            ThroughputRps = merged.ThroughputRps,
            // Open model: the rate the plan asked for, to set beside the achieved throughput.
            TargetRps = context.Model == "open" && seconds > 0 ? merged.ScheduledArrivals / seconds : null,
            DroppedArrivals = merged.DroppedArrivals,
            SchedulingLagMs = HistogramSummaries.Lag(merged.SchedulingLag),
            DurationSeconds = seconds,
            MaxShardStartDelayMs = merged.MaxStartDelay.TotalMilliseconds,
            ShardsSucceeded = context.ShardsSucceeded,
            ShardsTotal = context.ShardsTotal,
            Rounds = rounds,
            Storage = context.Storage,
            FailureReason = context.FailureReason,
        };
    }
}
