using Yardstick.Core.Cost;
using Yardstick.Core.Workloads;

namespace Yardstick.Core.Tests.Cost;

// Rules: azure.microsoft.com/pricing/details/functions as quoted in the Azure Stack usage FAQ (MicrosoftDocs,
// 2018-03-09) — memory rounded up to 128 MB, max 1,536 MB, time rounded up to 1 ms, minimum 100 ms and 128 MB.
// 160 MB → 256 MB: MicrosoftDocs functions-consumption-costs.md (ms.date 9/20/2019). See AZURE-FACTS §1.
public sealed class ConsumptionBillingTests
{
    [Theory]
    [InlineData(160, 256)] // Microsoft's own example
    [InlineData(0, 128)]
    [InlineData(1, 128)]
    [InlineData(128, 128)]
    [InlineData(129, 256)]
    [InlineData(1536, 1536)]
    [InlineData(2000, 1536)] // capped
    public void BilledMemoryMB_RoundsUpTo128AndCaps(int observed, int billed) =>
        Assert.Equal(billed, ConsumptionBilling.BilledMemoryMB(observed));

    [Theory]
    [InlineData(0, 100)]
    [InlineData(40, 100)] // 100 ms minimum
    [InlineData(99.9, 100)]
    [InlineData(100.2, 101)] // 1 ms rounding
    [InlineData(1234.0001, 1235)]
    public void BilledDurationMs_AppliesMinimumAndRounding(double duration, double billed) =>
        Assert.Equal(billed, ConsumptionBilling.BilledDurationMs(duration));

    [Fact]
    public void GbSeconds_160MbFor50Ms_Bills256MbFor100Ms()
    {
        // 256 MB / 1024 × 0.100 s = 0.025 GB-s (hand computation from the rules above).
        Assert.Equal(0.025, ConsumptionBilling.GbSeconds(50, 160), 12);
    }

    [Fact]
    public void Estimate_MillionOneSecondExecutionsAt512Mb_Costs8Dollars20()
    {
        // 1,000,000 × 1 s × 0.5 GB = 500,000 GB-s × $0.000016 = $8.00; 1M executions × $0.20/M = $0.20.
        // Prices: the catalog's East US figures (AZURE-FACTS §1, UNCONFIRMED-official). Tolerance 1e-9 USD.
        var usage = new UsageProfile { Executions = 1_000_000, Durations = [new DurationBucket(1000, 1_000_000)], WallDuration = TimeSpan.FromHours(1) };
        var spec = new CostSpec { Plan = HostingPlan.Consumption, Region = "eastus", ExecutionMemoryMB = 512 };

        var estimate = ModeledCost.Estimate(spec, usage, CostTestData.Catalog);

        Assert.Equal(8.20, estimate.TotalUsd, 9);
        var time = Assert.Single(estimate.LineItems, l => l.Meter == PricingMeters.ExecutionTime);
        Assert.Equal(500_000, time.Quantity, 6);
        var executions = Assert.Single(estimate.LineItems, l => l.Meter == PricingMeters.Executions);
        Assert.Equal(1, executions.Quantity, 12); // in "1M executions"
        Assert.Equal(8.20 / 1_000_000, estimate.CostPerRequestUsd!.Value, 15);
        Assert.Equal(8.20, estimate.Per1MRequestsUsd!.Value, 9);
        Assert.True(estimate.Unconfirmed);
        Assert.Contains(estimate.Notes, n => n.Contains("UNCONFIRMED", StringComparison.Ordinal) && n.Contains("eastus", StringComparison.Ordinal));
        Assert.Equal(CostEstimate.ModeledSource, estimate.Source);
    }

    [Fact]
    public void Estimate_ShortExecutions_BillTheMinimum100Ms()
    {
        // 1,000 executions of 5 ms at 128 MB bill 1,000 × 0.125 GB × 0.1 s = 12.5 GB-s.
        var usage = UsageProfile.FromDurations(Enumerable.Repeat(5.0, 1000), TimeSpan.FromSeconds(10));
        var spec = new CostSpec { Plan = HostingPlan.Consumption, ExecutionMemoryMB = 128 };

        var estimate = ModeledCost.Estimate(spec, usage, CostTestData.Catalog);

        Assert.Equal(12.5, estimate.LineItems.Single(l => l.Meter == PricingMeters.ExecutionTime).Quantity, 9);
    }

    [Fact]
    public void Estimate_DurationsAreASample_ScalesToAllExecutions()
    {
        // 10 sampled durations of 200 ms stand for 1,000 executions: 1,000 × 0.125 GB × 0.2 s = 25 GB-s.
        var usage = new UsageProfile { Executions = 1000, Durations = [new DurationBucket(200, 10)] };
        var spec = new CostSpec { Plan = HostingPlan.Consumption };

        var estimate = ModeledCost.Estimate(spec, usage, CostTestData.Catalog);

        Assert.Equal(25, estimate.LineItems.Single(l => l.Meter == PricingMeters.ExecutionTime).Quantity, 9);
    }

    [Fact]
    public void Estimate_FreeGrantOn_SubtractsMonthlyGrant()
    {
        // 500,000 GB-s − 400,000 free = 100,000 × $0.000016 = $1.60; 1M executions − 1M free = $0.
        var usage = new UsageProfile { Executions = 1_000_000, Durations = [new DurationBucket(1000, 1)] };
        var marginal = new CostSpec { Plan = HostingPlan.Consumption, ExecutionMemoryMB = 512 };
        var withGrant = marginal with { IncludeFreeGrant = true };

        var off = ModeledCost.Estimate(marginal, usage, CostTestData.Catalog);
        var on = ModeledCost.Estimate(withGrant, usage, CostTestData.Catalog);

        Assert.Equal(8.20, off.TotalUsd, 9);
        Assert.False(off.FreeGrantIncluded);
        Assert.Equal(1.60, on.TotalUsd, 9);
        Assert.True(on.FreeGrantIncluded);
        Assert.Equal(400_000, on.LineItems.Single(l => l.Meter == PricingMeters.ExecutionTime).FreeGrantQuantity, 6);
        Assert.Contains(on.Notes, n => n.Contains("free grant", StringComparison.Ordinal));
    }
}
