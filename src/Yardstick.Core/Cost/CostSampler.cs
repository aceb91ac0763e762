using HdrHistogram;
using Yardstick.Core.Measurements;
using Yardstick.Core.Workloads;

namespace Yardstick.Core.Cost;

/// <summary>
/// Modeled cost of a set of measured shards (a whole run, or one sweep variant's shards): the usage profile from the
/// shard results, the plan's billing rule priced from the catalog, and a confidence interval for cost per request by a
/// moving-block bootstrap over per-second windows. Pure: the same shards give the same estimate.
/// </summary>
public static class CostSampler
{
    /// <summary>Durations come from the client's service time: it includes the network round trip, so it overstates server time.</summary>
    public const string ServiceTimeSource = "client service time (send to end of response; includes the network round trip)";

    /// <param name="spec">The workload's cost section.</param>
    /// <param name="shards">Measured shard results (successful ones; failed shards are skipped).</param>
    /// <param name="catalog">Unit prices.</param>
    /// <param name="seed">Bootstrap seed (use the run's, so the interval is reproducible).</param>
    /// <param name="allowDefaultPrices">Use region-agnostic default prices when the catalog lacks the region (reported as unconfirmed).</param>
    /// <exception cref="InputException">A needed price is missing (and defaults are not allowed), or the spec is invalid.</exception>
    public static CostEstimate Estimate(CostSpec spec, IReadOnlyList<ShardResult> shards, PricingCatalog catalog, int seed, bool allowDefaultPrices = true)
    {
        var measured = shards.Where(s => s.FailureReason is null).ToList();
        var merged = measured.Count > 0 ? ShardMerger.Merge(measured) : null;
        var durations = merged is null ? [] : DurationBuckets(merged.ServiceTime);
        var usage = UsageProfile.FromShards(measured, durations, ServiceTimeSource);
        var estimate = ModeledCost.Estimate(spec, usage, catalog, allowDefaultPrices);
        estimate = estimate with { Notes = [.. estimate.Notes, $"durations from the {ServiceTimeSource}"] };
        if (merged is null || estimate.Requests == 0)
        {
            return estimate;
        }

        var windows = spec.Plan == HostingPlan.Consumption
            ? CostWindows.ForConsumption(merged.Timeline, spec.ExecutionMemoryMB)
            : CostWindows.ForInstances(merged.Timeline, usage.Instances, spec.Plan == HostingPlan.Premium ? 1024 : spec.InstanceMemoryMB);
        if (windows.Count < 2 || windows.Sum(w => w.Requests) == 0)
        {
            return estimate with { Notes = [.. estimate.Notes, "no confidence interval: fewer than two one-second windows with requests"] };
        }

        var pricing = CostWindowPricing.FromEstimate(estimate, windows);
        return estimate with { PerRequestInterval = CostPerRequestBootstrap.Estimate(windows, pricing, seed) };
    }

    /// <summary>Recorded values of a latency histogram (µs) as duration buckets in ms.</summary>
    public static IReadOnlyList<DurationBucket> DurationBuckets(HistogramBase histogram) =>
        histogram.TotalCount == 0
            ? []
            : histogram.RecordedValues()
                .Select(v => new DurationBucket(histogram.HighestEquivalentValue(v.ValueIteratedTo) / 1000.0, v.CountAtValueIteratedTo))
                .Where(b => b.Count > 0)
                .ToList();
}
