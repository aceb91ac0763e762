using Yardstick.Testing;
using Yardstick.Core.Cost;
using Yardstick.Core.Load;
using Yardstick.Core.Measurements;
using Yardstick.Core.Workloads;

namespace Yardstick.Core.Tests.Cost;

/// <summary>
/// Modeled cost from shard results, priced with the checked-in East US catalog (AZURE-FACTS §1: Flex on demand
/// $0.000026/GB-s and $0.40 per 1M executions; Consumption $0.000016/GB-s and $0.20 per 1M). Expected figures are
/// worked by hand below; tolerance 1e-12 USD (floating-point sums only).
/// </summary>
public sealed class CostSamplerTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeSeconds(1_790_000_000);

    [Fact]
    public void Estimate_FlexTenShortRequestsOnOneInstance_BillsTheInstanceOnceAtTheOneSecondMinimum()
    {
        // 10 requests of 40 ms, all inside [0.8 s, 1.2 s) on one 2 GB instance: one active window of 400 ms, billed
        // 1,000 ms → 2 GB-s × 0.000026 = 0.000052; executions 10 × 0.0000004 = 0.000004; total 0.000056.
        var spec = new CostSpec { Plan = HostingPlan.FlexConsumption, Region = "eastus", InstanceMemoryMB = 2048 };

        var estimate = CostSampler.Estimate(spec, [Shard()], CostTestData.Catalog, seed: 7);

        Assert.Equal(CostEstimate.ModeledSource, estimate.Source);
        Assert.Equal(10, estimate.Requests);
        Assert.Equal(0.000056, estimate.TotalUsd, 12);
        Assert.Equal(0.0000056, estimate.CostPerRequestUsd!.Value, 12);
        Assert.Equal(5.6, estimate.Per1MRequestsUsd!.Value, 9);
        var interval = estimate.PerRequestInterval!;
        Assert.InRange(interval.PointUsd, interval.LowerUsd, interval.UpperUsd);
        Assert.Equal(estimate.CostPerRequestUsd!.Value, interval.PointUsd, 12);
        Assert.Contains("moving-block bootstrap", interval.Method, StringComparison.Ordinal);
    }

    [Fact]
    public void Estimate_ConsumptionFortyMsExecutions_BillsTheHundredMsMinimumAt128MB()
    {
        // Each 40 ms execution bills 100 ms × 0.125 GB = 0.0125 GB-s; 10 → 0.125 GB-s × 0.000016 = 0.000002;
        // executions 10 × 0.0000002 = 0.000002; total 0.000004.
        var spec = new CostSpec { Plan = HostingPlan.Consumption, Region = "eastus", ExecutionMemoryMB = 128 };

        var estimate = CostSampler.Estimate(spec, [Shard()], CostTestData.Catalog, seed: 7);

        Assert.Equal(0.000004, estimate.TotalUsd, 12);
        Assert.Contains(estimate.Notes, n => n.Contains("client service time", StringComparison.Ordinal));
    }

    [Fact]
    public void Estimate_SameShards_SameEstimate()
    {
        var spec = new CostSpec { Plan = HostingPlan.FlexConsumption, Region = "eastus" };

        var a = CostSampler.Estimate(spec, [Shard()], CostTestData.Catalog, seed: 3);
        var b = CostSampler.Estimate(spec, [Shard()], CostTestData.Catalog, seed: 3);

        Assert.Equal(a.PerRequestInterval, b.PerRequestInterval);
    }

    [Fact]
    public void Estimate_FailedShardsOnly_NoRequestsNoCostPerRequest()
    {
        var spec = new CostSpec { Plan = HostingPlan.FlexConsumption, Region = "eastus" };

        var estimate = CostSampler.Estimate(spec, [Shard() with { FailureReason = "refused" }], CostTestData.Catalog, seed: 3);

        Assert.Equal(0, estimate.Requests);
        Assert.Null(estimate.CostPerRequestUsd);
    }

    [Fact]
    public void BenchmarkCost_TwoTenSecondShardsAt2GB_FlexOnDemandRate()
    {
        // 2 executions × 10 s × 2 GB = 40 GB-s × 0.000026 = 0.00104; executions 2 × 0.0000004 = 0.0000008.
        var estimate = BenchmarkCost.Estimate([new(TimeSpan.FromSeconds(10)), new(TimeSpan.FromSeconds(10))], 2048, "eastus", CostTestData.Catalog);

        Assert.Equal(0.0010408, estimate.TotalUsd, 12);
        Assert.Contains("upper bound", estimate.Note, StringComparison.Ordinal);
    }

    /// <summary>10 requests of 40 ms: 7 end in the first second, 3 in the next; instance i1 busy [0.8 s, 1.2 s).</summary>
    internal static ShardResult Shard() => TestShards.TenRequestsOf40Ms("run-cost", T0);
}
