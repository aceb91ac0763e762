using Yardstick.Core.Cost;
using Yardstick.Core.Summaries;
using Yardstick.Core.Workloads;

namespace Yardstick.Core.Tests.Cost;

public sealed class SweepRecommendationTests
{
    private static VariantSummary Variant(string name, double p95, double? costPerRequest, double errorRate = 0, long requests = 1000) => new()
    {
        Variant = name,
        Requests = requests,
        Errors = (long)Math.Round(errorRate * requests),
        ErrorRate = errorRate,
        LatencyMs = new LatencySummary { P50 = p95 / 2, P95 = p95, P99 = p95 * 1.5 },
        CostPerRequestUsd = costPerRequest,
        Per1MRequestsUsd = costPerRequest * 1_000_000,
    };

    [Fact]
    public void Choose_CheaperVariantWithinTheMargin_IsRecommendedOverTheFastest()
    {
        // Power-tuning shape: more memory is faster but dearer. 2048 is 4 % slower than 4096 (inside 5 %) and cheaper.
        var variants = new[] { Variant("512", 180, 1.0e-6), Variant("2048", 52, 1.6e-6), Variant("4096", 50, 3.0e-6) };

        var choice = SweepRecommendation.Choose(variants, margin: 0.05);

        Assert.True(choice.ByCost);
        Assert.Equal("2048", choice.Recommended!.Variant);
        Assert.Equal("4096", choice.Fastest!.Variant);
        Assert.Equal("512", choice.Cheapest!.Variant);
        Assert.Contains("within 5 % of the fastest (50.00 ms, so at most 52.50 ms)", choice.Rule, StringComparison.Ordinal);
    }

    [Fact]
    public void Choose_NoCheaperVariantWithinTheMargin_RecommendsTheFastest()
    {
        var variants = new[] { Variant("512", 180, 1.0e-6), Variant("2048", 60, 1.6e-6), Variant("4096", 50, 3.0e-6) };

        Assert.Equal("4096", SweepRecommendation.Choose(variants, margin: 0.05).Recommended!.Variant);
        Assert.Equal("2048", SweepRecommendation.Choose(variants, margin: 0.25).Recommended!.Variant);
    }

    [Fact]
    public void Annotate_MarksTheFrontAndExactlyOneRecommendation_OnTheFront()
    {
        var variants = new[] { Variant("a", 180, 1.0e-6), Variant("b", 190, 1.5e-6), Variant("c", 52, 1.6e-6), Variant("d", 50, 3.0e-6) };

        var annotated = SweepRecommendation.Annotate(variants, margin: 0.05);

        Assert.Equal([true, false, true, true], annotated.Select(v => v.OnParetoFront));
        var recommended = Assert.Single(annotated, v => v.Recommended);
        Assert.Equal("c", recommended.Variant);
        Assert.True(recommended.OnParetoFront);
    }

    [Fact]
    public void Annotate_EqualCosts_OnlyTheFastestIsOnTheFrontAndRecommended()
    {
        // A Consumption bill under the 100 ms minimum is the same whatever the latency.
        var variants = new[] { Variant("0", 3, 2.2e-7), Variant("10", 13, 2.2e-7), Variant("30", 33, 2.2e-7) };

        var annotated = SweepRecommendation.Annotate(variants, margin: 0.05);

        Assert.Equal([true, false, false], annotated.Select(v => v.OnParetoFront));
        Assert.Equal([true, false, false], annotated.Select(v => v.Recommended));
    }

    [Fact]
    public void Choose_WithoutCost_RecommendsTheFastestAndRanksOnLatencyAndErrors()
    {
        var variants = new[] { Variant("1", 40, null), Variant("4", 20, null, errorRate: 0.001), Variant("16", 25, null) };

        var choice = SweepRecommendation.Choose(variants, margin: 0.05);
        var annotated = SweepRecommendation.Annotate(variants, margin: 0.05);

        Assert.False(choice.ByCost);
        Assert.Equal("4", choice.Recommended!.Variant);
        Assert.Null(choice.Cheapest);
        Assert.Equal([false, true, true], annotated.Select(v => v.OnParetoFront));
    }

    [Fact]
    public void Choose_FastButFailingVariant_IsNotRecommended()
    {
        // Failing fast is not fast: 8 % errors against 0 % is more than 1 percentage point worse.
        var variants = new[] { Variant("ok", 50, 2.0e-6), Variant("broken", 5, 1.0e-6, errorRate: 0.08) };

        var choice = SweepRecommendation.Choose(variants, margin: 0.05);

        Assert.Equal("ok", choice.Recommended!.Variant);
        Assert.Equal("ok", choice.Fastest!.Variant);
        Assert.Equal(["broken"], choice.Disqualified);
    }

    [Fact]
    public void Annotate_UnmeasuredVariant_IsNeitherOnTheFrontNorRecommended_AndCostStillDecides()
    {
        var variants = new[] { Variant("a", 50, 2.0e-6), Variant("b", 0, null, requests: 0), Variant("c", 51, 1.0e-6) };

        var annotated = SweepRecommendation.Annotate(variants, margin: 0.05);

        Assert.Equal([true, false, true], annotated.Select(v => v.OnParetoFront));
        Assert.Equal("c", Assert.Single(annotated, v => v.Recommended).Variant);
    }

    [Fact]
    public void Choose_NothingMeasured_RecommendsNothing()
    {
        var choice = SweepRecommendation.Choose([Variant("a", 0, null, requests: 0)], margin: 0.05);

        Assert.Null(choice.Recommended);
        Assert.Contains("No variant was measured", choice.Rule, StringComparison.Ordinal);
    }

    // Strategies (sweep.recommend): the power-tuning shape again, 512 cheap and slow, 4096 fast and dear.
    private static VariantSummary[] Shape() => [Variant("512", 180, 1.0e-6), Variant("2048", 60, 1.6e-6), Variant("4096", 50, 3.0e-6)];

    [Fact]
    public void Choose_CostStrategy_RecommendsTheCheapest_AndSaysWhatTheFastestCosts()
    {
        var choice = SweepRecommendation.Choose(Shape(), 0.05, new RecommendSpec { Strategy = RecommendStrategy.Cost });

        Assert.Equal(("512", RecommendStrategy.Cost), (choice.Recommended!.Variant, choice.Strategy));
        Assert.Equal("Strategy cost: the cheapest variant is recommended, 512 at $1.0000 per 1M requests (p95 180.00 ms; the fastest, 4096, costs $3.0000).", choice.Rule);
    }

    [Fact]
    public void Choose_SpeedStrategy_RecommendsTheFastest()
    {
        var choice = SweepRecommendation.Choose(Shape(), 0.05, new RecommendSpec { Strategy = RecommendStrategy.Speed });

        Assert.Equal("4096", choice.Recommended!.Variant);
        Assert.Equal("Strategy speed: the fastest variant is recommended, 4096 with p95 50.00 ms at $3.0000 per 1M requests (the cheapest, 512, has p95 180.00 ms).", choice.Rule);
    }

    [Theory]
    // Scores (cost ÷ $3, p95 ÷ 180 ms): 512 → w·0.333 + (1−w)·1, 2048 → w·0.533 + (1−w)·0.333, 4096 → w·1 + (1−w)·0.278.
    [InlineData(0.5, "2048", "0.433")]
    [InlineData(0.9, "512", "0.400")]
    [InlineData(0.0, "4096", "0.278")]
    [InlineData(1.0, "512", "0.333")]
    public void Choose_BalancedStrategy_MinimisesTheWeightedScore_AndShowsIt(double weight, string expected, string score)
    {
        var choice = SweepRecommendation.Choose(Shape(), 0.05, new RecommendSpec { Strategy = RecommendStrategy.Balanced, Weight = weight });

        Assert.Equal(expected, choice.Recommended!.Variant);
        Assert.StartsWith($"Strategy balanced (cost weight {weight.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture)}): {expected} has the lowest score of 3, {score} = ", choice.Rule, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(RecommendStrategy.Cost)]
    [InlineData(RecommendStrategy.Speed)]
    [InlineData(RecommendStrategy.Balanced)]
    public void Annotate_AnyStrategy_RecommendsAVariantOnTheFront(RecommendStrategy strategy)
    {
        // 1024 is dominated by 2048 (dearer and slower): no strategy may pick it.
        VariantSummary[] variants = [.. Shape(), Variant("1024", 70, 1.7e-6)];

        var annotated = SweepRecommendation.Annotate(variants, 0.05, new RecommendSpec { Strategy = strategy, Weight = 0.5 });

        var recommended = Assert.Single(annotated, v => v.Recommended);
        Assert.True(recommended.OnParetoFront);
        Assert.False(annotated.Single(v => v.Variant == "1024").OnParetoFront);
    }

    [Fact]
    public void Choose_CostStrategyWithoutCost_FallsBackToTheFastest_AndSaysWhy()
    {
        var choice = SweepRecommendation.Choose([Variant("a", 80, null), Variant("b", 40, null)], 0.05, new RecommendSpec { Strategy = RecommendStrategy.Cost });

        Assert.Equal("b", choice.Recommended!.Variant);
        Assert.Equal("Without a cost section the fastest variant is recommended (strategy cost needs cost): b, lowest p95 (40.00 ms).", choice.Rule);
    }
}
