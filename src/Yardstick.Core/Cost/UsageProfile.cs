using Yardstick.Core.Measurements;

namespace Yardstick.Core.Cost;

/// <summary>
/// What the billing rules need from a run's measurements: how many executions, how long each took (a list or
/// histogram buckets), which instance was busy when (per-instance busy intervals, from the instance header),
/// and the run's wall duration (for always-ready baselines and Premium instances).
/// </summary>
public sealed record UsageProfile
{
    /// <summary>Executions that reached the app (the executions meter counts these).</summary>
    public long Executions { get; init; }

    /// <summary>
    /// Execution durations as buckets (a plain list is buckets of count 1). They may be a sample: the billing
    /// rules scale them to <see cref="Executions"/>.
    /// </summary>
    public IReadOnlyList<DurationBucket> Durations { get; init; } = [];

    /// <summary>Where the durations come from, for the notes (client service time overstates server time by the network round trip).</summary>
    public string DurationSource { get; init; } = "client service time";

    /// <summary>Per serving instance: requests and coalesced busy intervals (merged across shards).</summary>
    public IReadOnlyList<InstanceUsage> Instances { get; init; } = [];

    /// <summary>Wall-clock time the run held the target (union of the measured windows).</summary>
    public TimeSpan WallDuration { get; init; }

    /// <summary>Total count in <see cref="Durations"/>.</summary>
    public long DurationSamples => Durations.Sum(b => b.Count);

    /// <summary>A profile from a plain list of per-execution durations.</summary>
    public static UsageProfile FromDurations(IEnumerable<double> durationsMs, TimeSpan wallDuration, IReadOnlyList<InstanceUsage>? instances = null)
    {
        var buckets = durationsMs.Select(d => new DurationBucket(d, 1)).ToList();
        return new UsageProfile
        {
            Executions = buckets.Count,
            Durations = buckets,
            Instances = instances ?? [],
            WallDuration = wallDuration,
        };
    }

    /// <summary>
    /// A profile from measured shards: executions are the exchanges that got an HTTP response (connect failures
    /// never reached the app), instances are merged across shards, and the wall duration is the union of the
    /// shards' [start, end] windows (so gaps between rounds are not billed as wall time).
    /// </summary>
    public static UsageProfile FromShards(IReadOnlyList<ShardResult> shards, IReadOnlyList<DurationBucket> durations, string durationSource)
    {
        var executions = shards.Sum(s => Math.Max(0, s.Requests - s.Errors.Connect));
        var windows = shards
            .Where(s => s.EndedAt > s.StartedAt)
            .Select(s => new BusyInterval(s.StartedAt.ToUnixTimeMilliseconds() * 1000, s.EndedAt.ToUnixTimeMilliseconds() * 1000))
            .ToList();
        return new UsageProfile
        {
            Executions = executions,
            Durations = durations,
            DurationSource = durationSource,
            Instances = MergeInstances(shards.SelectMany(s => s.Instances)),
            WallDuration = TimeSpan.FromMicroseconds(Union(windows).Sum(w => w.EndUnixMicros - w.StartUnixMicros)),
        };
    }

    /// <summary>
    /// One usage per instance id: requests summed, busy intervals unioned (several shards may load the same
    /// instance at once: its busy time is the union, not the sum).
    /// </summary>
    public static IReadOnlyList<InstanceUsage> MergeInstances(IEnumerable<InstanceUsage> usages) =>
        usages
            .GroupBy(u => u.InstanceId, StringComparer.Ordinal)
            .Select(g => new InstanceUsage
            {
                InstanceId = g.Key,
                Requests = g.Sum(u => u.Requests),
                MaxConcurrency = g.Max(u => u.MaxConcurrency),
                Busy = Union(g.SelectMany(u => u.Busy)),
            })
            .OrderBy(u => u.Busy.Count > 0 ? u.Busy[0].StartUnixMicros : long.MaxValue)
            .ThenBy(u => u.InstanceId, StringComparer.Ordinal)
            .ToList();

    /// <summary>Sorted, non-overlapping union of half-open intervals (touching intervals join).</summary>
    public static IReadOnlyList<BusyInterval> Union(IEnumerable<BusyInterval> intervals)
    {
        var sorted = intervals.Where(i => i.EndUnixMicros >= i.StartUnixMicros).OrderBy(i => i.StartUnixMicros).ToList();
        var result = new List<BusyInterval>(sorted.Count);
        foreach (var interval in sorted)
        {
            if (result.Count > 0 && interval.StartUnixMicros <= result[^1].EndUnixMicros)
            {
                var last = result[^1];
                result[^1] = last with { EndUnixMicros = Math.Max(last.EndUnixMicros, interval.EndUnixMicros) };
            }
            else
            {
                result.Add(interval);
            }
        }

        return result;
    }
}

/// <summary><paramref name="Count"/> executions that each took <paramref name="DurationMs"/>.</summary>
public readonly record struct DurationBucket(double DurationMs, long Count);
