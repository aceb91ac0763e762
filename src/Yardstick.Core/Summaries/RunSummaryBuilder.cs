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

    /// <summary>The run's requests as planned (names, methods, URLs as written, weights), for <see cref="RunSummary.PerRequest"/>.</summary>
    public IReadOnlyList<Load.RequestTemplate> Requests { get; init; } = [];
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
            ErrorBreakdown = Breakdown(merged.Errors),
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
            PerRequest = PerRequest(context, merged, seconds),
            Checks = Checks(merged.Checks),
            Storage = context.Storage,
            FailureReason = context.FailureReason,
        };
    }

    /// <summary>The named requests' figures, in the plan's order (requests the shards never saw get zero counts).</summary>
    public static IReadOnlyList<RequestSummary> PerRequest(RunSummaryContext context, MergedMeasurements merged, double seconds)
    {
        var byName = merged.PerRequest.ToDictionary(r => r.Name, StringComparer.Ordinal);
        var planned = context.Requests.Where(r => r.Name is not null).ToList();
        var names = planned.Select(r => r.Name!).Concat(byName.Keys.Where(n => !planned.Exists(p => p.Name == n))).ToList();
        return names.Select(name =>
        {
            var template = planned.Find(r => r.Name == name);
            var request = byName.GetValueOrDefault(name);
            return new RequestSummary
            {
                Name = name,
                Method = template?.Method ?? "GET",
                Url = template is null ? "" : Load.Safety.Redaction.RedactUrl(template.Url),
                Weight = template?.Weight ?? 1,
                Requests = request?.Requests ?? 0,
                Successes = request?.Successes ?? 0,
                Errors = request?.Errors.Total ?? 0,
                ErrorRate = request?.ErrorRate ?? 0,
                ErrorBreakdown = Breakdown(request?.Errors ?? ErrorCounts.None),
                LatencyMs = request is null ? new LatencySummary() : HistogramSummaries.Latency(request.Latency),
                ThroughputRps = request is not null && seconds > 0 ? request.Requests / seconds : 0,
                Share = request is not null && merged.Requests > 0 ? (double)request.Requests / merged.Requests : 0,
                StatusCodes = request?.StatusCodes ?? new Dictionary<int, long>(),
            };
        }).ToList();
    }

    private static ErrorBreakdown Breakdown(ErrorCounts errors) => new()
    {
        Timeout = errors.Timeout,
        Connect = errors.Connect,
        Http4xx = errors.Http4xx,
        Http5xx = errors.Http5xx,
        Other = errors.Other,
        Check = errors.Check,
    };

    /// <summary>The run's checks with pass rates.</summary>
    public static IReadOnlyList<CheckSummary> Checks(IEnumerable<CheckResult> checks) =>
        checks.Select(c => new CheckSummary
        {
            Name = c.Name,
            Request = c.Request,
            Expression = c.Expression,
            Passed = c.Passed,
            Failed = c.Failed,
            PassRate = c.Total == 0 ? 1 : (double)c.Passed / c.Total,
        }).ToList();
}
