using Yardstick.Core.Cost;
using Yardstick.Core.Measurements;
using Yardstick.Core.Workloads;
using static Yardstick.Core.Tests.Cost.CostTestData;

namespace Yardstick.Core.Tests.Cost;

public sealed class CostPerRequestBootstrapTests
{
    private static readonly CostWindowPricing Pricing = new(DriverUsd: 0.000026, PerRequestUsd: 0.0000004, FixedUsdPerWindow: 0);

    [Fact]
    public void Estimate_ConstantCostPerRequest_ZeroWidthIntervalAtTheValue()
    {
        // Every window: 100 requests and 2 GB-s → cost per request = (2 × 0.000026 + 100 × 0.0000004) / 100.
        var windows = Enumerable.Repeat(new CostWindowSample(100, 2), 60).ToList();
        var expected = ((2 * 0.000026) + (100 * 0.0000004)) / 100;

        var interval = CostPerRequestBootstrap.Estimate(windows, Pricing, seed: 1);

        Assert.Equal(expected, interval.PointUsd, 15);
        Assert.Equal(expected, interval.LowerUsd, 15);
        Assert.Equal(expected, interval.UpperUsd, 15);
    }

    [Fact]
    public void Estimate_SameSeed_SameInterval_DifferentSeed_DifferentInterval()
    {
        var windows = NoisyWindows(new Random(7), 120);

        var a = CostPerRequestBootstrap.Estimate(windows, Pricing, seed: 42);
        var b = CostPerRequestBootstrap.Estimate(windows, Pricing, seed: 42);
        var c = CostPerRequestBootstrap.Estimate(windows, Pricing, seed: 43);

        Assert.Equal(a, b);
        Assert.NotEqual(a.LowerUsd, c.LowerUsd);
    }

    [Fact]
    public void Estimate_NoisyWindows_IntervalBracketsPointAndWidensWithConfidence()
    {
        var windows = NoisyWindows(new Random(11), 300);

        var ci90 = CostPerRequestBootstrap.Estimate(windows, Pricing, seed: 5, confidence: 0.90);
        var ci99 = CostPerRequestBootstrap.Estimate(windows, Pricing, seed: 5, confidence: 0.99);

        Assert.True(ci90.LowerUsd < ci90.PointUsd && ci90.PointUsd < ci90.UpperUsd, $"{ci90}");
        Assert.True(ci99.UpperUsd - ci99.LowerUsd > ci90.UpperUsd - ci90.LowerUsd);
        Assert.Contains("moving-block bootstrap over 300 windows", ci90.Method, StringComparison.Ordinal);
    }

    [Fact]
    public void Estimate_NoRequests_Throws() =>
        Assert.Throws<ArgumentException>(() => CostPerRequestBootstrap.Estimate([new CostWindowSample(0, 1)], Pricing, seed: 1));

    [Fact]
    public void FromEstimate_CalibratedWindows_AddUpToTheEstimatesPerRequestCost()
    {
        // Flex, one instance busy the first 2.5 s of a 4 s timeline: windows from the timeline and busy intervals,
        // priced by calibration, must reproduce the modeled cost per request as the point estimate.
        var instance = Instance("a", 40, Ms(1_000_000, 1_002_500));
        var timeline = Enumerable.Range(0, 4).Select(s => new TimelineWindow { UnixSecond = 1000 + s, Requests = 10, LatencyP50Ms = 20 }).ToList();
        var usage = new UsageProfile { Executions = 40, Instances = [instance], WallDuration = TimeSpan.FromSeconds(4) };
        var estimate = ModeledCost.Estimate(new CostSpec { Plan = HostingPlan.FlexConsumption }, usage, Catalog);

        var windows = CostWindows.ForInstances(timeline, [instance], 2048);
        var interval = CostPerRequestBootstrap.Estimate(windows, CostWindowPricing.FromEstimate(estimate, windows), seed: 3);

        Assert.Equal([2.0, 2.0, 1.0, 0.0], windows.Select(w => w.Driver)); // GB-s per second at 2 GB
        Assert.Equal(estimate.CostPerRequestUsd!.Value, interval.PointUsd, 15);
        Assert.True(interval.LowerUsd <= interval.PointUsd && interval.PointUsd <= interval.UpperUsd);
    }

    private static List<CostWindowSample> NoisyWindows(Random random, int count) =>
        Enumerable.Range(0, count)
            .Select(_ => new CostWindowSample(50 + random.Next(100), 0.5 + (random.NextDouble() * 3)))
            .ToList();
}
