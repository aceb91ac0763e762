using Yardstick.Core.Cost;
using Yardstick.Core.Load;
using Yardstick.Core.Measurements;
using Yardstick.Core.Workloads;

namespace Yardstick.Core.Tests.Cost;

public sealed class VariantCostModelTests
{
    private static readonly CostSpec Flex = new() { Plan = HostingPlan.FlexConsumption, Region = "eastus", InstanceMemoryMB = 2048 };

    private static SweepSpec Sweep(string parameter) => new() { Parameter = parameter, Values = ["x"] };

    [Theory]
    [InlineData("512", 512)]
    [InlineData("4096", 4096)]
    public void SpecFor_InstanceMemorySweep_BillsTheVariantsMemory(string value, int memoryMB)
    {
        Assert.Equal(Flex with { InstanceMemoryMB = memoryMB }, VariantCostModel.SpecFor(Flex, Sweep("instanceMemoryMB"), value));
    }

    [Theory]
    [InlineData("2", HostingPlan.FlexConsumptionAlwaysReady, 2)]
    [InlineData("http=1,durable=2", HostingPlan.FlexConsumptionAlwaysReady, 3)]
    [InlineData("0", HostingPlan.FlexConsumption, 0)]
    public void SpecFor_AlwaysReadySweep_BillsTheBaselineOfTheVariantsInstances(string value, HostingPlan plan, int instances)
    {
        var spec = VariantCostModel.SpecFor(Flex, Sweep("alwaysReady"), value);

        Assert.Equal((plan, instances), (spec.Plan, spec.AlwaysReadyInstances));
    }

    [Theory]
    [InlineData("appSetting:FEATURE", "on")]
    [InlineData("perInstanceConcurrency", "4")]
    [InlineData("maximumInstanceCount", "100")]
    public void SpecFor_SettingsThatDoNotChangeThePriceList_LeaveTheSpec(string parameter, string value)
    {
        Assert.Same(Flex, VariantCostModel.SpecFor(Flex, Sweep(parameter), value));
    }

    [Fact]
    public void Estimate_ConsumptionShards_BillsTheirServiceTimesByTheConsumptionRule()
    {
        // 40 executions of 40 ms bill the 100 ms minimum; 10 of 199.9 ms sit in a 128 µs histogram bucket (3 significant
        // digits) whose top, 199.935 ms, rounds up to 200 ms. At 128 MB: 40 × 0.1 s × 0.125 GB + 10 × 0.2 s × 0.125 GB
        // = 0.75 GB-s × $0.000016 = $0.000012, plus 50 executions × $0.20 per 1M = $0.00001; $0.000022 ÷ 50 = $4.4e-7.
        var service = LatencyHistograms.Create();
        service.RecordValueWithCount(40_000, 40);
        service.RecordValueWithCount(199_900, 10);
        var shard = new ShardResult
        {
            RunId = "r",
            Phase = RunPhase.Measured,
            Variant = "v",
            Duration = TimeSpan.FromSeconds(5),
            Requests = 50,
            Successes = 50,
            Latency = HistogramCodec.Encode(service),
            ServiceTime = HistogramCodec.Encode(service),
            SchedulingLag = EncodedHistogram.Empty,
            StartedAt = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000),
            EndedAt = DateTimeOffset.FromUnixTimeSeconds(1_700_000_005),
        };

        var estimate = VariantCostModel.Estimate(new CostSpec { Plan = HostingPlan.Consumption, Region = "eastus" }, [shard], CostTestData.Catalog);

        Assert.Equal(50, estimate.Requests);
        Assert.Equal(2.2e-5, estimate.TotalUsd, 12);
        Assert.Equal(4.4e-7, estimate.CostPerRequestUsd!.Value, 15);
        Assert.Equal(0.44, estimate.Per1MRequestsUsd!.Value, 9);
    }

    [Fact]
    public void DurationBuckets_Histogram_KeepsCountsAndNeverUnderstatesADuration()
    {
        var h = LatencyHistograms.Create();
        h.RecordValueWithCount(1_234, 3);
        h.RecordValueWithCount(987_654, 2);

        var buckets = VariantCostModel.DurationBuckets(h);

        Assert.Equal(5, buckets.Sum(b => b.Count));
        Assert.Equal(2, buckets.Count);
        Assert.InRange(buckets[0].DurationMs, 1.234, 1.234 * 1.001);
        Assert.InRange(buckets[1].DurationMs, 987.654, 987.654 * 1.001);
    }
}
