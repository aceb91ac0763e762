using Yardstick.Core.Measurements;

namespace Yardstick.Core.Cost;

/// <summary>
/// Flex Consumption (FC1) billing. Source (AZURE-FACTS §1): Microsoft Learn flex-consumption-plan (snapshot
/// about 2026): an on-demand instance is billed for its memory × the time it is actively executing, plus
/// executions; "the minimum billable execution period is 1,000 ms; beyond that, time is rounded up to the
/// nearest 100 ms"; in Microsoft's IO-bound example 10 concurrent requests on one 2 GB instance bill as
/// 2 GB × 3,600 s per hour (concurrency does not multiply GB-s). Always-ready instances are billed a baseline
/// for their memory over wall time, their active execution time at the always-ready rate, and executions.
/// </summary>
/// <remarks>
/// UNCONFIRMED: whether the 1,000 ms minimum applies per invocation or per instance-active window. We apply it
/// per instance-active window (a maximal run of time with at least one request in flight on the instance),
/// which is what makes ten concurrent executions on one instance bill the instance once; and a window that
/// starts inside the billed minimum of the previous one joins it, so no instant is billed twice.
/// </remarks>
public static class FlexBilling
{
    public const long MinimumWindowMs = 1000;
    public const long RoundingMs = 100;

    /// <summary>Instance memory sizes Flex offers (MB).</summary>
    public static IReadOnlyList<int> InstanceMemorySizesMB { get; } = [512, 2048, 4096];

    /// <summary>Billed length of one active window: at least 1,000 ms, then rounded up to 100 ms.</summary>
    public static long BilledWindowMicros(long activeMicros)
    {
        const long minimum = MinimumWindowMs * 1000;
        const long step = RoundingMs * 1000;
        var rounded = (Math.Max(activeMicros, 0) + step - 1) / step * step;
        return Math.Max(minimum, rounded);
    }

    /// <summary>
    /// Billed active time of one instance from its busy intervals (sorted or not, overlapping or not): the
    /// union of the intervals, each window billed by <see cref="BilledWindowMicros"/>, a window that starts
    /// within the previous window's billed span joining it.
    /// </summary>
    public static TimeSpan BilledActiveTime(IEnumerable<BusyInterval> busy)
    {
        var windows = UsageProfile.Union(busy);
        long total = 0;
        var i = 0;
        while (i < windows.Count)
        {
            var start = windows[i].StartUnixMicros;
            var end = windows[i].EndUnixMicros;
            var billedEnd = start + BilledWindowMicros(end - start);
            var j = i + 1;
            while (j < windows.Count && windows[j].StartUnixMicros < billedEnd)
            {
                end = Math.Max(end, windows[j].EndUnixMicros);
                billedEnd = start + BilledWindowMicros(end - start);
                j++;
            }

            total += billedEnd - start;
            i = j;
        }

        return TimeSpan.FromMicroseconds(total);
    }

    /// <summary>
    /// Billed quantities for a run. The first <paramref name="alwaysReadyInstances"/> instances to serve (by
    /// first busy time) are taken as the always-ready ones; the rest are on-demand (an approximation: the
    /// platform does not tell which instance is which).
    /// </summary>
    public static BillingQuantities Quantities(UsageProfile usage, int instanceMemoryMB, int alwaysReadyInstances)
    {
        var notes = new List<string>
        {
            "flex: the 1,000 ms minimum is applied per instance-active window (UNCONFIRMED whether Azure applies it per invocation or per window)",
        };
        var memoryGb = instanceMemoryMB / 1024.0;
        alwaysReadyInstances = Math.Max(0, alwaysReadyInstances);

        double alwaysReadyActiveSeconds;
        double onDemandActiveSeconds;
        double alwaysReadyShare;
        var instances = usage.Instances.Where(i => i.Busy.Count > 0).ToList();
        if (instances.Count > 0)
        {
            var ordered = instances.OrderBy(i => i.Busy.Min(b => b.StartUnixMicros)).ToList();
            var ready = ordered.Take(alwaysReadyInstances).ToList();
            var onDemand = ordered.Skip(alwaysReadyInstances).ToList();
            alwaysReadyActiveSeconds = ready.Sum(i => BilledActiveTime(i.Busy).TotalSeconds);
            onDemandActiveSeconds = onDemand.Sum(i => BilledActiveTime(i.Busy).TotalSeconds);
            var requests = ordered.Sum(i => i.Requests);
            alwaysReadyShare = requests > 0 ? ready.Sum(i => i.Requests) / (double)requests : (ready.Count > 0 ? 1 : 0);
            notes.Add($"flex: instance active time from the busy intervals of {ordered.Count} instance(s) seen in the instance header");
            if (alwaysReadyInstances > 0 && onDemand.Count > 0)
            {
                notes.Add($"flex: the first {ready.Count} instance(s) to serve are taken as always-ready, the other {onDemand.Count} as on-demand");
            }
        }
        else
        {
            // No instance identity: bill each execution as its own window (an upper bound, concurrency ignored).
            var samples = usage.DurationSamples;
            var sampleSeconds = usage.Durations.Sum(b => b.Count * (BilledWindowMicros((long)Math.Ceiling(b.DurationMs * 1000)) / 1e6));
            var seconds = samples > 0
                ? sampleSeconds / samples * usage.Executions
                : usage.Executions * (MinimumWindowMs / 1000.0);
            alwaysReadyShare = alwaysReadyInstances > 0 ? 1 : 0;
            alwaysReadyActiveSeconds = seconds * alwaysReadyShare;
            onDemandActiveSeconds = seconds * (1 - alwaysReadyShare);
            if (usage.Executions > 0)
            {
                notes.Add("flex: no per-instance busy intervals (instance header missing): each execution billed as its own window of ≥ 1,000 ms, an upper bound that ignores shared instances");
            }
        }

        var alwaysReadyExecutions = Math.Round(usage.Executions * alwaysReadyShare);
        var meters = new List<MeterQuantity>
        {
            new(PricingMeters.OnDemandExecutionTime, onDemandActiveSeconds * memoryGb),
            new(PricingMeters.OnDemandExecutions, usage.Executions - alwaysReadyExecutions),
        };
        if (alwaysReadyInstances > 0)
        {
            meters.Add(new(PricingMeters.AlwaysReadyBaseline, alwaysReadyInstances * memoryGb * usage.WallDuration.TotalSeconds));
            meters.Add(new(PricingMeters.AlwaysReadyExecutionTime, alwaysReadyActiveSeconds * memoryGb));
            meters.Add(new(PricingMeters.AlwaysReadyExecutions, alwaysReadyExecutions));
            notes.Add($"flex: always-ready baseline for {alwaysReadyInstances} × {instanceMemoryMB} MB over the run's wall time ({usage.WallDuration.TotalSeconds:0.###} s)");
        }

        return new BillingQuantities(meters, notes);
    }
}
