using Yardstick.Core.Cost;
using Yardstick.Core.Workloads;
using static Yardstick.Core.Tests.Cost.CostTestData;

namespace Yardstick.Core.Tests.Cost;

// Method (AZURE-FACTS §2, functions-consumption-costs): GB-s = Σ MB-ms ÷ 1,024,000; executions = Σ count.
public sealed class MeteredCostTests
{
    [Fact]
    public void Estimate_ConsumptionMetrics_ConvertsMbMsToGbSecondsAndPrices()
    {
        // 1,024,000,000 MB-ms = 1,000 GB-s × $0.000016 = $0.016; 10,000 executions × $0.20/M = $0.002.
        var usage = new MeteredUsage
        {
            ResourceId = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/app",
            From = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
            To = new DateTimeOffset(2026, 1, 1, 1, 0, 0, TimeSpan.Zero),
            MetricTotals = new Dictionary<string, double>
            {
                [FunctionMetrics.ExecutionUnits] = 1_024_000_000,
                [FunctionMetrics.ExecutionCount] = 10_000,
            },
        };

        var estimate = MeteredCost.Estimate(new CostSpec { Plan = HostingPlan.Consumption }, usage, Catalog);

        Assert.Equal(CostEstimate.MeteredSource, estimate.Source);
        Assert.Equal(1000, estimate.LineItems.Single(l => l.Meter == PricingMeters.ExecutionTime).Quantity, 9);
        Assert.Equal(0.018, estimate.TotalUsd, 12);
        Assert.Equal(10_000, estimate.Requests);
        Assert.Equal(0.018 / 10_000, estimate.CostPerRequestUsd!.Value, 15);
        Assert.Equal(usage.From, estimate.From);
    }

    [Fact]
    public void Estimate_FlexWithoutAlwaysReadyData_OmitsAlwaysReadyMeters()
    {
        var usage = new MeteredUsage
        {
            ResourceId = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/app",
            MetricTotals = new Dictionary<string, double>
            {
                [FunctionMetrics.OnDemandExecutionUnits] = 2_048_000, // 2 GB-s
                [FunctionMetrics.OnDemandExecutionCount] = 20,
            },
        };

        var estimate = MeteredCost.Estimate(new CostSpec { Plan = HostingPlan.FlexConsumption }, usage, Catalog);

        Assert.Equal([PricingMeters.OnDemandExecutionTime, PricingMeters.OnDemandExecutions], estimate.LineItems.Select(l => l.Meter));
        Assert.Equal((2 * 0.000026) + (2 * 0.000004), estimate.TotalUsd, 15);
    }

    [Fact]
    public void Estimate_Premium_NotSupported()
    {
        Assert.False(MeteredCost.IsSupported(HostingPlan.Premium));
        Assert.Throws<NotSupportedException>(() => MeteredCost.Estimate(
            new CostSpec { Plan = HostingPlan.Premium },
            new MeteredUsage { ResourceId = "/subscriptions/s" },
            Catalog));
    }
}
