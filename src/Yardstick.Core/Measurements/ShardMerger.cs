using HdrHistogram;
using Yardstick.Core.Load;
using Yardstick.Core.Summaries;

namespace Yardstick.Core.Measurements;

/// <summary>Merges shard results exactly: the merge of K shards equals recording everything in one place.</summary>
public static class ShardMerger
{
    private const int MaxSampleErrors = 10;

    public static MergedMeasurements Merge(IEnumerable<ShardResult> shards) => Merge(shards, withTimeline: true);

    /// <param name="shards">The shard results.</param>
    /// <param name="withTimeline">False: leave <see cref="MergedMeasurements.Timeline"/> and instances empty (a round's
    /// summary needs neither, and merging the window histograms is most of a long run's merge).</param>
    private static MergedMeasurements Merge(IEnumerable<ShardResult> shards, bool withTimeline)
    {
        ArgumentNullException.ThrowIfNull(shards);
        var list = shards.ToList();
        var latency = LatencyHistograms.Create();
        var service = LatencyHistograms.Create();
        var lag = LatencyHistograms.Create();
        var errors = ErrorCounts.None;
        var statuses = new Dictionary<int, long>();
        var samples = new List<string>();
        long scheduled = 0, requests = 0, successes = 0, dropped = 0, sent = 0, received = 0;
        foreach (var shard in list)
        {
            scheduled += shard.ScheduledArrivals;
            requests += shard.Requests;
            successes += shard.Successes;
            dropped += shard.DroppedArrivals;
            sent += shard.BytesSent;
            received += shard.BytesReceived;
            errors = errors.Add(shard.Errors);
            latency.Add(HistogramCodec.Decode(shard.Latency));
            service.Add(HistogramCodec.Decode(shard.ServiceTime));
            lag.Add(HistogramCodec.Decode(shard.SchedulingLag));
            foreach (var (code, count) in shard.StatusCodes)
            {
                statuses[code] = statuses.GetValueOrDefault(code) + count;
            }

            foreach (var sample in shard.SampleErrors)
            {
                if (samples.Count < MaxSampleErrors && !samples.Contains(sample))
                {
                    samples.Add(sample);
                }
            }
        }

        var duration = MeasuredDuration(list);
        return new MergedMeasurements
        {
            Shards = list.Count,
            FailedShards = list.Count(s => s.FailureReason is not null),
            ScheduledArrivals = scheduled,
            Requests = requests,
            Successes = successes,
            Errors = errors,
            DroppedArrivals = dropped,
            BytesSent = sent,
            BytesReceived = received,
            Latency = latency,
            ServiceTime = service,
            SchedulingLag = lag,
            Timeline = withTimeline ? MergeTimeline(list.SelectMany(s => s.Timeline)) : [],
            Instances = withTimeline ? MergeInstances(list.SelectMany(s => s.Instances)) : [],
            PerRequest = MergeRequests(list.SelectMany(s => s.PerRequest)),
            Checks = MergeChecks(list.SelectMany(s => s.Checks)),
            StatusCodes = statuses,
            SampleErrors = samples,
            MeasuredDuration = duration,
            StartedAt = list.Count == 0 ? default : list.Min(s => s.StartedAt),
            MaxStartDelay = list.Count == 0 ? TimeSpan.Zero : list.Max(s => s.StartDelay),
            EndedAt = list.Count == 0 ? default : list.Max(s => s.EndedAt),
            ThroughputRps = duration > TimeSpan.Zero ? requests / duration.TotalSeconds : 0,
        };
    }

    /// <summary>One <see cref="RoundSummary"/> per measured (round, variant), in round then variant order.</summary>
    public static IReadOnlyList<RoundSummary> Rounds(IEnumerable<ShardResult> shards) =>
        shards.Where(s => s.Phase == RunPhase.Measured)
            .GroupBy(s => (s.Round, s.Variant))
            .OrderBy(g => g.Key.Round).ThenBy(g => g.Key.Variant, StringComparer.Ordinal)
            .Select(g =>
            {
                var merged = Merge(g, withTimeline: false);
                return new RoundSummary
                {
                    Round = g.Key.Round,
                    Variant = g.Key.Variant,
                    Requests = merged.Requests,
                    Errors = merged.Errors.Total,
                    ThroughputRps = merged.ThroughputRps,
                    LatencyMs = HistogramSummaries.Latency(merged.Latency),
                    StartedAt = merged.StartedAt,
                    EndedAt = merged.EndedAt,
                    PerRequest = merged.PerRequest.Select(r => new RoundRequestSummary
                    {
                        Name = r.Name,
                        Requests = r.Requests,
                        Errors = r.Errors.Total,
                        ThroughputRps = merged.MeasuredDuration > TimeSpan.Zero ? r.Requests / merged.MeasuredDuration.TotalSeconds : 0,
                        LatencyMs = HistogramSummaries.Latency(r.Latency),
                    }).ToArray(),
                };
            })
            .ToArray();

    /// <summary>Sum over distinct (phase, round, variant) of the longest shard duration of that round.</summary>
    public static TimeSpan MeasuredDuration(IEnumerable<ShardResult> shards) =>
        shards.GroupBy(s => (s.Phase, s.Round, s.Variant))
            .Select(g => g.Max(s => s.Duration))
            .Aggregate(TimeSpan.Zero, (sum, d) => sum + d);

    /// <summary>Merges windows by Unix second; window histograms are summed so percentiles stay exact.</summary>
    public static IReadOnlyList<TimelineWindow> MergeTimeline(IEnumerable<TimelineWindow> windows) =>
        windows.GroupBy(w => w.UnixSecond)
            .OrderBy(g => g.Key)
            .Select(g =>
            {
                var parts = g.ToList();
                if (parts.Count == 1)
                {
                    return parts[0];
                }

                HistogramBase? sum = null;
                foreach (var part in parts.Where(p => p.Histogram is { Base64.Length: > 0 }))
                {
                    var decoded = HistogramCodec.Decode(part.Histogram!);
                    if (sum is null)
                    {
                        sum = decoded;
                    }
                    else
                    {
                        sum.Add(decoded);
                    }
                }

                var (p50, p99, max) = sum is null ? (0, 0, 0) : TimelineRecorder.WindowStats(sum);
                return new TimelineWindow
                {
                    UnixSecond = g.Key,
                    Requests = parts.Sum(p => p.Requests),
                    Errors = parts.Sum(p => p.Errors),
                    Dropped = parts.Sum(p => p.Dropped),
                    InFlightMax = parts.Sum(p => p.InFlightMax),
                    LatencyP50Ms = p50,
                    LatencyP99Ms = p99,
                    LatencyMaxMs = max,
                    Histogram = sum is null ? null : HistogramCodec.Encode(sum),
                };
            })
            .ToArray();

    /// <summary>
    /// Merges named requests by name, in the order they first appear: counts summed, latency histograms and windows
    /// merged like the totals (exact).
    /// </summary>
    public static IReadOnlyList<MergedRequest> MergeRequests(IEnumerable<RequestResult> requests) =>
        requests.GroupBy(r => r.Name, StringComparer.Ordinal)
            .Select(g =>
            {
                var latency = LatencyHistograms.Create();
                var statuses = new Dictionary<int, long>();
                foreach (var part in g)
                {
                    latency.Add(HistogramCodec.Decode(part.Latency));
                    foreach (var (code, count) in part.StatusCodes)
                    {
                        statuses[code] = statuses.GetValueOrDefault(code) + count;
                    }
                }

                return new MergedRequest
                {
                    Name = g.Key,
                    Requests = g.Sum(r => r.Requests),
                    Successes = g.Sum(r => r.Successes),
                    Errors = g.Aggregate(ErrorCounts.None, (sum, r) => sum.Add(r.Errors)),
                    Latency = latency,
                    Timeline = MergeTimeline(g.SelectMany(r => r.Timeline)),
                    StatusCodes = statuses,
                };
            })
            .ToArray();

    /// <summary>Merges response checks by request and name, in the order they first appear: counts summed (exact).</summary>
    public static IReadOnlyList<CheckResult> MergeChecks(IEnumerable<CheckResult> checks) =>
        checks.GroupBy(c => (c.Request, c.Name))
            .Select(g => g.First() with { Passed = g.Sum(c => c.Passed), Failed = g.Sum(c => c.Failed) })
            .ToList();

    /// <summary>Merges instances by id: requests summed, busy intervals united, peaks summed (upper bound).</summary>
    public static IReadOnlyList<InstanceUsage> MergeInstances(IEnumerable<InstanceUsage> instances) =>
        instances.GroupBy(i => i.InstanceId, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new InstanceUsage
            {
                InstanceId = g.Key,
                Requests = g.Sum(i => i.Requests),
                MaxConcurrency = g.Sum(i => i.MaxConcurrency),
                Busy = InstanceUsageTracker.Union(g.SelectMany(i => i.Busy)),
            })
            .ToArray();
}
