using Yardstick.Core.Cost;
using Yardstick.Core.Measurements;
using Yardstick.Core.Workloads;
using static Yardstick.Core.Tests.Cost.CostTestData;

namespace Yardstick.Core.Tests.Cost;

// Rules: Microsoft Learn flex-consumption-plan (AZURE-FACTS §1): instance memory × active time, minimum 1,000 ms,
// then rounded up to 100 ms; concurrent executions on one instance share it (Microsoft's IO-bound example:
// 10 concurrent requests on one 2 GB instance bill 2 GB × 3,600 s per hour). Per-window vs per-invocation
// application of the minimum is UNCONFIRMED; these tests pin our per-window choice.
public sealed class FlexBillingTests
{
    [Theory]
    [InlineData(0, 1000)]
    [InlineData(40, 1000)] // a 40 ms execution bills 1,000 ms
    [InlineData(1000, 1000)]
    [InlineData(1000.001, 1100)]
    [InlineData(1050, 1100)] // 100 ms rounding
    [InlineData(2345, 2400)]
    public void BilledWindowMicros_MinimumThenRounding(double activeMs, double billedMs) =>
        Assert.Equal((long)(billedMs * 1000), FlexBilling.BilledWindowMicros((long)(activeMs * 1000)));

    [Fact]
    public void BilledActiveTime_One40MsExecution_Bills1000Ms() =>
        Assert.Equal(TimeSpan.FromMilliseconds(1000), FlexBilling.BilledActiveTime([Ms(0, 40)]));

    [Fact]
    public void BilledActiveTime_TenConcurrentExecutionsOnOneInstance_BillTheInstanceOnce()
    {
        // Ten executions of 300–750 ms, all in flight at once on one instance: one window of 750 ms → 1,000 ms.
        var busy = Enumerable.Range(0, 10).Select(i => Ms(i * 5, 300 + (i * 50))).ToList();

        Assert.Equal(TimeSpan.FromMilliseconds(1000), FlexBilling.BilledActiveTime(busy));
    }

    [Fact]
    public void Quantities_TenConcurrentOnOneInstanceVersusTenInstances_TenfoldDifference()
    {
        var busy = Enumerable.Range(0, 10).Select(i => Ms(0, 500)).ToArray();
        var shared = new UsageProfile { Executions = 10, Instances = [Instance("a", 10, busy)] };
        var spread = new UsageProfile { Executions = 10, Instances = busy.Select((b, i) => Instance($"i{i}", 1, b)).ToList() };

        var sharedGbs = OnDemandGbSeconds(FlexBilling.Quantities(shared, 2048, 0));
        var spreadGbs = OnDemandGbSeconds(FlexBilling.Quantities(spread, 2048, 0));

        Assert.Equal(2.0, sharedGbs, 9); // 2 GB × 1 s
        Assert.Equal(20.0, spreadGbs, 9); // 10 instances × 2 GB × 1 s
    }

    [Fact]
    public void BilledActiveTime_WindowStartingInsidePreviousMinimum_JoinsIt()
    {
        // 40 ms at t=0 and 40 ms at t=300 ms: the second starts inside the first's billed second → 1,000 ms total.
        Assert.Equal(TimeSpan.FromMilliseconds(1000), FlexBilling.BilledActiveTime([Ms(0, 40), Ms(300, 340)]));

        // 40 ms at t=0 and at t=2,000 ms: two windows → 2,000 ms.
        Assert.Equal(TimeSpan.FromMilliseconds(2000), FlexBilling.BilledActiveTime([Ms(0, 40), Ms(2000, 2040)]));

        // Joining extends the window: [0, 40) + [900, 1,250) → one window of 1,250 ms → 1,300 ms.
        Assert.Equal(TimeSpan.FromMilliseconds(1300), FlexBilling.BilledActiveTime([Ms(0, 40), Ms(900, 1250)]));
    }

    [Fact]
    public void Estimate_OneInstanceBusyForAnHourAt2Gb_MatchesMicrosoftsIoBoundExample()
    {
        // Microsoft's example: 2 GB × 3,600 s = 7,200 GB-s; × $0.000026 (the example's on-demand rate) = $0.1872.
        // Executions: 36,000 × $0.40/M = $0.0144. Tolerance 1e-9 USD.
        var usage = new UsageProfile
        {
            Executions = 36_000,
            Instances = [Instance("only", 36_000, Ms(0, 3_600_000))],
            WallDuration = TimeSpan.FromHours(1),
        };
        var spec = new CostSpec { Plan = HostingPlan.FlexConsumption, Region = "eastus", InstanceMemoryMB = 2048 };

        var estimate = ModeledCost.Estimate(spec, usage, Catalog);

        var time = estimate.LineItems.Single(l => l.Meter == PricingMeters.OnDemandExecutionTime);
        Assert.Equal(7200, time.Quantity, 6);
        Assert.Equal(0.1872, time.Usd, 9);
        var executions = estimate.LineItems.Single(l => l.Meter == PricingMeters.OnDemandExecutions);
        Assert.Equal(3600, executions.Quantity, 9); // priced per 10 executions
        Assert.Equal(0.0144, executions.Usd, 9);
        Assert.Equal(0.2016, estimate.TotalUsd, 9);
        Assert.False(time.Unconfirmed); // on-demand rates are in Microsoft's own worked example
        Assert.Contains(estimate.Notes, n => n.Contains("UNCONFIRMED whether Azure applies it per invocation", StringComparison.Ordinal));
    }

    [Fact]
    public void Estimate_AlwaysReadyOne2GbInstanceFor30Days_BaselineAbout20Dollars74()
    {
        // AZURE-FACTS §1 (derived): 2 GB × 2,592,000 s × $0.000004 = $20.736 per 30 days. Tolerance $0.005.
        var usage = new UsageProfile { Executions = 0, WallDuration = TimeSpan.FromDays(30) };
        var spec = new CostSpec { Plan = HostingPlan.FlexConsumptionAlwaysReady, InstanceMemoryMB = 2048, AlwaysReadyInstances = 1 };

        var estimate = ModeledCost.Estimate(spec, usage, Catalog);

        var baseline = estimate.LineItems.Single(l => l.Meter == PricingMeters.AlwaysReadyBaseline);
        Assert.Equal(20.74, baseline.Usd, 0.005);
        Assert.Equal(5_184_000, baseline.Quantity, 3);
        Assert.True(baseline.Unconfirmed);
        Assert.Equal(20.74, estimate.TotalUsd, 0.005);
    }

    [Fact]
    public void Quantities_AlwaysReady_FirstInstancesAreAlwaysReadyRestOnDemand()
    {
        // Instance "ar" serves first (always-ready), "od" later (on-demand); each busy 2 s at 512 MB.
        var usage = new UsageProfile
        {
            Executions = 40,
            Instances = [Instance("od", 10, Ms(5000, 7000)), Instance("ar", 30, Ms(0, 2000))],
            WallDuration = TimeSpan.FromSeconds(10),
        };

        var q = FlexBilling.Quantities(usage, 512, 1).Meters.ToDictionary(m => m.Meter, m => m.BaseQuantity);

        Assert.Equal(1.0, q[PricingMeters.AlwaysReadyExecutionTime], 9); // 0.5 GB × 2 s
        Assert.Equal(1.0, q[PricingMeters.OnDemandExecutionTime], 9);
        Assert.Equal(30, q[PricingMeters.AlwaysReadyExecutions], 9);
        Assert.Equal(10, q[PricingMeters.OnDemandExecutions], 9);
        Assert.Equal(5.0, q[PricingMeters.AlwaysReadyBaseline], 9); // 1 × 0.5 GB × 10 s
    }

    [Fact]
    public void Quantities_NoInstanceData_BillsEachExecutionAsItsOwnWindow()
    {
        var usage = UsageProfile.FromDurations([40, 40, 1050], TimeSpan.FromSeconds(5));

        var result = FlexBilling.Quantities(usage, 2048, 0);

        Assert.Equal(2 * (1 + 1 + 1.1), OnDemandGbSeconds(result), 9);
        Assert.Contains(result.Notes, n => n.Contains("upper bound", StringComparison.Ordinal));
    }

    [Fact]
    public void Estimate_BadInstanceMemory_NamesTheField()
    {
        var spec = new CostSpec { Plan = HostingPlan.FlexConsumption, InstanceMemoryMB = 1024 };

        var error = Assert.Throws<InputException>(() => ModeledCost.Estimate(spec, new UsageProfile(), Catalog));

        Assert.Equal("cost.instanceMemoryMB", error.Field);
    }

    [Fact]
    public void MergeInstances_SameInstanceInTwoShards_UnionsBusyTime()
    {
        var merged = UsageProfile.MergeInstances([Instance("a", 5, Ms(0, 600)), Instance("a", 5, Ms(400, 1500)), Instance("b", 1, Ms(100, 200))]);

        var a = Assert.Single(merged, i => i.InstanceId == "a");
        Assert.Equal(10, a.Requests);
        Assert.Equal([Ms(0, 1500)], a.Busy);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), FlexBilling.BilledActiveTime(a.Busy));
    }

    [Fact]
    public void CostEstimate_YardstickJsonRoundTrip_KeepsEverything()
    {
        // Estimates travel as Durable payloads and land in summary.json.
        var usage = new UsageProfile { Executions = 10, Instances = [Instance("a", 10, Ms(0, 1500))], WallDuration = TimeSpan.FromSeconds(2) };
        var estimate = ModeledCost.Estimate(new CostSpec { Plan = HostingPlan.FlexConsumptionAlwaysReady, AlwaysReadyInstances = 1 }, usage, Catalog) with
        {
            PerRequestInterval = new CostPerRequestInterval { PointUsd = 1, LowerUsd = 0.5, UpperUsd = 2, Confidence = 0.95, Method = "m" },
        };

        var json = YardstickJson.Serialize(estimate);
        var back = YardstickJson.Deserialize<CostEstimate>(json);

        Assert.Equal(json, YardstickJson.Serialize(back));
        Assert.Contains("\"plan\":\"flexConsumptionAlwaysReady\"", json, StringComparison.Ordinal);
        Assert.Contains("\"unconfirmed\":true", json, StringComparison.Ordinal);
    }

    private static double OnDemandGbSeconds(BillingQuantities q) =>
        q.Meters.Single(m => m.Meter == PricingMeters.OnDemandExecutionTime).BaseQuantity;
}
