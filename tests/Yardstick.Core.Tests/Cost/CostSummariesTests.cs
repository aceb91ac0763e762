using Yardstick.Core.Cost;
using Yardstick.Core.Summaries;
using Yardstick.Core.Workloads;

namespace Yardstick.Core.Tests.Cost;

public sealed class CostSummariesTests
{
    private static readonly CostSpec Flex = new() { Plan = HostingPlan.FlexConsumption, Region = "EastUS" };

    [Fact]
    public void Build_ModeledOnly_HeadlineIsModeledWithItsInterval()
    {
        var modeled = CostSampler.Estimate(Flex, [CostSamplerTests.Shard()], CostTestData.Catalog, seed: 1);

        var summary = CostSummaries.Build(Flex, modeled, null, null, ["metered unavailable: no data"]);

        Assert.Equal("flexConsumption", summary.Plan);
        Assert.Equal("eastus", summary.Region);
        Assert.Equal("modeled", summary.Source);
        Assert.Equal(modeled.CostPerRequestUsd, summary.PerRequestUsd);
        Assert.Equal(modeled.PerRequestInterval!.LowerUsd, summary.PerRequestCiLowUsd);
        Assert.Null(summary.Metered);
        Assert.Equal(modeled.LineItems.Count, summary.Modeled!.Lines.Count);
        Assert.Contains("metered unavailable: no data", summary.Notes);
    }

    [Fact]
    public void Build_MeteredPresent_HeadlineIsMeteredAndModeledKeptBeside()
    {
        var modeled = CostSampler.Estimate(Flex, [CostSamplerTests.Shard()], CostTestData.Catalog, seed: 1);
        var usage = new MeteredUsage
        {
            ResourceId = "/subscriptions/s/resourceGroups/r/providers/Microsoft.Web/sites/app",
            MetricTotals = new Dictionary<string, double>
            {
                [FunctionMetrics.OnDemandExecutionUnits] = 2_048_000, // 2 GB-s
                [FunctionMetrics.OnDemandExecutionCount] = 10,
            },
        };
        var metered = MeteredCost.Estimate(Flex, usage, CostTestData.Catalog);

        var summary = CostSummaries.Build(Flex, modeled, metered, 0.001, null);

        Assert.Equal("metered", summary.Source);
        Assert.Equal(0.0000056, summary.PerRequestUsd!.Value, 12);
        Assert.Null(summary.PerRequestCiLowUsd); // a metered total carries no interval
        Assert.NotNull(summary.Modeled);
        Assert.Equal(0.000056, summary.Metered!.TotalUsd, 12);
        Assert.Equal(0.001, summary.BenchmarkCostUsd);

    }

    [Fact]
    public void Build_ServerModeled_BesideModeledNeverHeadline()
    {
        var modeled = CostSampler.Estimate(Flex, [CostSamplerTests.Shard()], CostTestData.Catalog, seed: 1);
        var serverModeled = ModeledCost.Estimate(Flex, ServerUsage.FromBuckets([new(40, 10)], TimeSpan.FromSeconds(2)), CostTestData.Catalog, allowDefaultPrices: true);
        var server = new ServerTelemetrySummary { Requests = 10, DurationP50Ms = 40, DurationP95Ms = 40, Instances = 1 };

        var summary = CostSummaries.Build(Flex, modeled, null, null, null, serverModeled, server);

        Assert.Equal("modeled", summary.Source);
        Assert.Equal(modeled.CostPerRequestUsd, summary.PerRequestUsd);
        Assert.Equal(serverModeled.TotalUsd, summary.ServerModeled!.TotalUsd);
        Assert.Same(server, summary.Server);
        Assert.Contains(summary.Notes, n => n.StartsWith("server-modeled: ", StringComparison.Ordinal) && n.Contains("instance header missing", StringComparison.Ordinal));
    }
}
