using Yardstick.Core.Measurements;

namespace Yardstick.Core.Cost;

/// <summary>Builds per-second <see cref="CostWindowSample"/>s from a run's timeline for the cost-per-request interval.</summary>
public static class CostWindows
{
    /// <summary>
    /// Flex (and Premium, where the driver is ignored): requests per second from the timeline; driver = GB-s of
    /// instance active time inside the second (the union of busy intervals per instance × instance memory; the
    /// 1,000 ms minimum is left to the calibrated pricing, which spreads the billed total over the driver).
    /// </summary>
    public static IReadOnlyList<CostWindowSample> ForInstances(IReadOnlyList<TimelineWindow> timeline, IReadOnlyList<InstanceUsage> instances, int instanceMemoryMB)
    {
        var memoryGb = instanceMemoryMB / 1024.0;
        var intervals = instances.SelectMany(i => UsageProfile.Union(i.Busy)).ToList();
        return Ordered(timeline)
            .Select(w =>
            {
                var start = w.UnixSecond * 1_000_000;
                var end = start + 1_000_000;
                long activeMicros = 0;
                foreach (var interval in intervals)
                {
                    var overlap = Math.Min(end, interval.EndUnixMicros) - Math.Max(start, interval.StartUnixMicros);
                    activeMicros += Math.Max(0, overlap);
                }

                return new CostWindowSample(w.Requests, activeMicros / 1e6 * memoryGb);
            })
            .ToList();
    }

    /// <summary>
    /// Consumption: requests per second from the timeline; driver = requests × the billed GB-s of an execution
    /// of the window's median latency (a proxy: the timeline keeps per-window quantiles, not every duration).
    /// </summary>
    public static IReadOnlyList<CostWindowSample> ForConsumption(IReadOnlyList<TimelineWindow> timeline, int memoryMB) =>
        Ordered(timeline)
            .Select(w => new CostWindowSample(w.Requests, w.Requests * ConsumptionBilling.GbSeconds(w.LatencyP50Ms, memoryMB)))
            .ToList();

    /// <summary>One sample per measured round (for repeated rounds, the unit of replication).</summary>
    public static IReadOnlyList<CostWindowSample> ForRounds(IEnumerable<(long Requests, double Driver)> rounds) =>
        rounds.Select(r => new CostWindowSample(r.Requests, r.Driver)).ToList();

    private static IEnumerable<TimelineWindow> Ordered(IReadOnlyList<TimelineWindow> timeline) =>
        timeline.GroupBy(w => w.UnixSecond)
            .Select(g => new TimelineWindow
            {
                UnixSecond = g.Key,
                Requests = g.Sum(w => w.Requests),
                LatencyP50Ms = g.Sum(w => w.Requests) > 0 ? g.Sum(w => w.LatencyP50Ms * w.Requests) / g.Sum(w => w.Requests) : 0,
            })
            .OrderBy(w => w.UnixSecond);
}
