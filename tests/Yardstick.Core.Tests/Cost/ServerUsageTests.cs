using Yardstick.Core.Cost;
using Yardstick.Core.Ports;
using Yardstick.Core.Workloads;

namespace Yardstick.Core.Tests.Cost;

public sealed class ServerUsageTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    // Reference: the nearest-rank worked example of Wikipedia "Percentile" (ordered list 15, 20, 35, 40, 50):
    // P5 = 15, P30 = 20, P40 = 20, P50 = 35, P100 = 50. Exact (no tolerance: the method returns recorded values).
    [InlineData(0.05, 15)]
    [InlineData(0.30, 20)]
    [InlineData(0.40, 20)]
    [InlineData(0.50, 35)]
    [InlineData(1.00, 50)]
    public void Quantile_WikipediaNearestRankExample_MatchesReference(double p, double expected)
    {
        var buckets = new[] { 50.0, 15, 40, 20, 35 }.Select(d => new DurationBucket(d, 1)).ToList();

        Assert.Equal(expected, ServerUsage.Quantile(buckets, p));
    }

    [Fact]
    public void Quantile_WeightedBuckets_CountsEachWeight()
    {
        // 90 requests of 10 ms and 10 of 200 ms: rank 95 of 100 falls in the 200 ms bucket, rank 50 in the 10 ms one.
        IReadOnlyList<DurationBucket> buckets = [new(200, 10), new(10, 90)];

        Assert.Equal(10, ServerUsage.Quantile(buckets, 0.50));
        Assert.Equal(200, ServerUsage.Quantile(buckets, 0.95));
        Assert.Null(ServerUsage.Quantile([], 0.5));
    }

    [Fact]
    public void FromRequests_SampledRecordsAndOverlaps_WeightsInstancesAndBusyUnion()
    {
        IReadOnlyList<ServerRequest> requests =
        [
            new() { Timestamp = T0, DurationMs = 100, RoleInstance = "a" },
            new() { Timestamp = T0.AddMilliseconds(50), DurationMs = 100, RoleInstance = "a" }, // overlaps the first
            new() { Timestamp = T0.AddMilliseconds(500), DurationMs = 20, RoleInstance = "b", ItemCount = 3 }, // stands for 3
            new() { Timestamp = T0.AddMilliseconds(600), DurationMs = null, RoleInstance = "b" }, // no duration: counts, no interval
        ];

        var usage = ServerUsage.FromRequests(requests, TimeSpan.FromSeconds(1));

        Assert.Equal(6, usage.Executions);
        Assert.Equal(5, usage.DurationSamples); // 2 × 100 ms + 3 × 20 ms
        Assert.Equal(ServerUsage.DurationSource, usage.DurationSource);
        var a = usage.Instances.Single(i => i.InstanceId == "a");
        Assert.Equal(2, a.MaxConcurrency);
        Assert.Equal(TimeSpan.FromMilliseconds(150), a.ActiveTime); // [0, 150) ms: the union, not 200 ms
        var b = usage.Instances.Single(i => i.InstanceId == "b");
        Assert.Equal(3, b.Requests);
        Assert.Equal(TimeSpan.FromMilliseconds(20), b.ActiveTime);
        var summary = ServerUsage.Summarize(usage, 2, T0, T0.AddSeconds(1), "requests");
        Assert.Equal(20, summary.DurationP50Ms); // ranks 1-3 are 20 ms, 4-5 are 100 ms
        Assert.Equal(100, summary.DurationP95Ms);
        Assert.Equal(6, summary.Requests);
    }

    [Fact]
    public void FromBuckets_ConsumptionRule_BillsServerDurationsWithTheMinimum()
    {
        // Consumption: each execution ≥ 100 ms at 128 MB (ConsumptionBilling's source). Server durations of 40 ms
        // and 250 ms: 0.125 GB × (0.1 s × 10 + 0.25 s × 10) = 0.4375 GB-s.
        var spec = new CostSpec { Plan = HostingPlan.Consumption, ExecutionMemoryMB = 128 };
        var usage = ServerUsage.FromBuckets([new(40, 10), new(250, 10)], TimeSpan.FromSeconds(10));

        var estimate = ModeledCost.Estimate(spec, usage, CostTestData.Catalog, allowDefaultPrices: true);

        Assert.Equal(20, estimate.Requests);
        var time = estimate.LineItems.Single(l => l.Meter == PricingMeters.ExecutionTime);
        Assert.Equal(0.4375, time.Quantity * PricingUnits.BaseUnitsPer(time.Unit), 9);
        Assert.Contains(estimate.Notes, n => n.Contains(ServerUsage.DurationSource, StringComparison.Ordinal));
    }
}
