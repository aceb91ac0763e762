using Yardstick.Core.Measurements;
using Yardstick.Core.Ports;
using Yardstick.Core.Summaries;

namespace Yardstick.Core.Cost;

/// <summary>
/// The run as the app saw it (App Insights <c>AppRequests</c>): a <see cref="UsageProfile"/> for the billing rules
/// built from server durations instead of the client's service time (which includes the network round trip), and
/// the figures shown beside the cost (request count, duration p50/p95, distinct instances). Pure.
/// </summary>
public static class ServerUsage
{
    /// <summary>The durations' source, for the notes.</summary>
    public const string DurationSource = "server durations (App Insights AppRequests DurationMs)";

    /// <summary>
    /// A profile from one row per request: executions = Σ ItemCount; durations weighted by ItemCount; per role
    /// instance, busy intervals [TimeGenerated, TimeGenerated + DurationMs) — App Insights stamps a request with its
    /// start time — so Flex instance active time comes from the server too. Rows without a role instance still count
    /// as executions and durations.
    /// </summary>
    public static UsageProfile FromRequests(IReadOnlyList<ServerRequest> requests, TimeSpan wallDuration)
    {
        var durations = requests
            .Where(r => r.DurationMs is >= 0)
            .GroupBy(r => r.DurationMs!.Value)
            .Select(g => new DurationBucket(g.Key, g.Sum(r => Math.Max(1, r.ItemCount))))
            .OrderBy(b => b.DurationMs)
            .ToList();
        var instances = requests
            .Where(r => !string.IsNullOrEmpty(r.RoleInstance) && r.DurationMs is >= 0)
            .GroupBy(r => r.RoleInstance!, StringComparer.Ordinal)
            .Select(g =>
            {
                var intervals = g.Select(r => Interval(r.Timestamp, r.DurationMs!.Value)).ToList();
                return new InstanceUsage
                {
                    InstanceId = g.Key,
                    Requests = g.Sum(r => Math.Max(1, r.ItemCount)),
                    MaxConcurrency = MaxOverlap(intervals),
                    Busy = UsageProfile.Union(intervals),
                };
            })
            .OrderBy(u => u.Busy.Count > 0 ? u.Busy[0].StartUnixMicros : long.MaxValue)
            .ThenBy(u => u.InstanceId, StringComparer.Ordinal)
            .ToList();
        return new UsageProfile
        {
            Executions = requests.Sum(r => Math.Max(1, r.ItemCount)),
            Durations = durations,
            DurationSource = DurationSource,
            Instances = instances,
            WallDuration = wallDuration,
        };
    }

    /// <summary>
    /// A profile from 1 ms duration buckets only (runs too large to fetch row by row): no per-instance busy
    /// intervals, so Flex falls back to billing each execution as its own window (an upper bound, noted by the rule).
    /// </summary>
    public static UsageProfile FromBuckets(IReadOnlyList<DurationBucket> buckets, TimeSpan wallDuration) => new()
    {
        Executions = buckets.Sum(b => b.Count),
        Durations = buckets.Where(b => b.Count > 0).OrderBy(b => b.DurationMs).ToList(),
        DurationSource = DurationSource + ", rounded up to 1 ms",
        WallDuration = wallDuration,
    };

    /// <summary>
    /// The <c>cost.server</c> figures of a profile built by <see cref="FromRequests"/> or <see cref="FromBuckets"/>;
    /// <paramref name="instances"/> is the distinct role instances (from the rows, or the first-seen query for aggregates).
    /// </summary>
    public static ServerTelemetrySummary Summarize(UsageProfile usage, int instances, DateTimeOffset from, DateTimeOffset to, string detail) => new()
    {
        Requests = usage.Executions,
        DurationP50Ms = Quantile(usage.Durations, 0.50),
        DurationP95Ms = Quantile(usage.Durations, 0.95),
        Instances = instances,
        From = from,
        To = to,
        Detail = detail,
    };

    /// <summary>
    /// Nearest-rank quantile of weighted durations: the smallest duration whose cumulative count reaches
    /// ⌈p × N⌉ (N the total count); null when empty. Exact for the recorded values, no interpolation.
    /// </summary>
    public static double? Quantile(IReadOnlyList<DurationBucket> buckets, double p)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(p, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(p, 1);
        var sorted = buckets.Where(b => b.Count > 0).OrderBy(b => b.DurationMs).ToList();
        var total = sorted.Sum(b => b.Count);
        if (total == 0)
        {
            return null;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(p * total));
        long cumulative = 0;
        foreach (var bucket in sorted)
        {
            cumulative += bucket.Count;
            if (cumulative >= rank)
            {
                return bucket.DurationMs;
            }
        }

        return sorted[^1].DurationMs;
    }

    private static BusyInterval Interval(DateTimeOffset start, double durationMs)
    {
        var startMicros = (start.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
        return new BusyInterval(startMicros, startMicros + (long)Math.Ceiling(durationMs * 1000));
    }

    /// <summary>Most requests in flight at once on one instance (a sweep over start/end events; ends before starts at ties).</summary>
    private static int MaxOverlap(IReadOnlyList<BusyInterval> intervals)
    {
        var events = intervals
            .SelectMany(i => new[] { (At: i.StartUnixMicros, Delta: 1), (At: i.EndUnixMicros, Delta: -1) })
            .OrderBy(e => e.At)
            .ThenBy(e => e.Delta);
        int current = 0, max = 0;
        foreach (var (_, delta) in events)
        {
            current += delta;
            max = Math.Max(max, current);
        }

        return max;
    }
}
