using HdrHistogram;
using Yardstick.Core.Measurements;
using Yardstick.Core.Ports;
using Yardstick.Core.Workloads;

namespace Yardstick.Core.Cost;

/// <summary>
/// Modeled cost of one sweep variant: the workload's cost section adjusted to what the variant sets (instance memory,
/// always-ready instances), priced over that variant's own measured shards.
/// </summary>
public static class VariantCostModel
{
    /// <summary>
    /// The cost section as billed under <paramref name="variant"/>: an <c>instanceMemoryMB</c> sweep bills its memory, an
    /// <c>alwaysReady</c> sweep its always-ready instance count (summed over groups; 0 bills on-demand Flex). Other
    /// parameters change how the app behaves, not the price list, so their effect reaches the bill through the
    /// measurements (durations, instances).
    /// </summary>
    public static CostSpec SpecFor(CostSpec spec, SweepSpec? sweep, string variant)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (sweep is null || string.IsNullOrEmpty(variant))
        {
            return spec;
        }

        var flex = spec.Plan is HostingPlan.FlexConsumption or HostingPlan.FlexConsumptionAlwaysReady;
        return TargetSetting.Parse(sweep.Parameter, variant) switch
        {
            InstanceMemorySetting memory when flex => spec with { InstanceMemoryMB = memory.MemoryMB },
            AlwaysReadyTargetSetting ready when flex => ready.Groups.Sum(g => g.InstanceCount) is var count and > 0
                ? spec with { Plan = HostingPlan.FlexConsumptionAlwaysReady, AlwaysReadyInstances = count }
                : spec with { Plan = HostingPlan.FlexConsumption, AlwaysReadyInstances = 0 },
            _ => spec,
        };
    }

    /// <summary>
    /// Modeled cost of <paramref name="shards"/> (one variant's measured shards) under <paramref name="spec"/>. Execution
    /// durations are the client service times (from the actual send), which overstate server time by the round trip.
    /// Region prices missing from the catalog fall back to its defaults, with a note.
    /// </summary>
    public static CostEstimate Estimate(CostSpec spec, IReadOnlyList<ShardResult> shards, PricingCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(shards);
        var serviceTime = LatencyHistograms.Create();
        foreach (var shard in shards)
        {
            serviceTime.Add(HistogramCodec.Decode(shard.ServiceTime));
        }

        var usage = UsageProfile.FromShards(shards, DurationBuckets(serviceTime), "client service time");
        return ModeledCost.Estimate(spec, usage, catalog, allowDefaultPrices: true);
    }

    /// <summary>A microsecond histogram as duration buckets in ms (each bucket at its highest equivalent value: never under-billed).</summary>
    public static IReadOnlyList<DurationBucket> DurationBuckets(HistogramBase histogram)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        return histogram.RecordedValues()
            .Where(v => v.CountAtValueIteratedTo > 0)
            .Select(v => new DurationBucket(histogram.HighestEquivalentValue(v.ValueIteratedTo) / 1000.0, v.CountAtValueIteratedTo))
            .ToList();
    }
}
