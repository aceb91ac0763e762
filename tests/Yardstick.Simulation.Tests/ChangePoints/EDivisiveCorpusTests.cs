using Xunit.Abstractions;
using Yardstick.Core.Statistics.ChangePoints;

namespace Yardstick.Simulation.Tests.ChangePoints;

/// <summary>
/// E-divisive means against series with known answers (see this project's README, "Change points"): a step, a slow creep,
/// a change of variance, outliers and no change, each over many seeds; the false-positive rate over 1,000 no-change series;
/// the smallest step found at 30 nights of 3 % noise; and a series shaped like the one Daly et al. (ICPE 2020) describe.
/// </summary>
public sealed class EDivisiveCorpusTests(ITestOutputHelper output)
{
    private static readonly ChangePointOptions Options = new();

    [Fact]
    public void Detect_OneThousandNoChangeSeries_FalsePositiveRateAtMostAlpha()
    {
        const int series = 1000;
        var flagged = Count(series, seed => EDivisiveMeans.Detect(NightlySeries.NoChange(1_000_000 + seed), Options).ChangePoints.Count > 0);

        var rate = (double)flagged / series;
        output.WriteLine($"no change, 90 nights, 3 % noise: {flagged} of {series} series with a change point ({rate:P1}; α = {Options.SignificanceLevel:P0})");
        Assert.True(rate <= Options.SignificanceLevel * 1.5, $"false-positive rate {rate:P2} beyond 1.5 α");
    }

    [Fact]
    public void Detect_TenPercentStepAtNight45_FindsExactlyOneChangePointAtTheStep()
    {
        var exact = 0;
        for (var seed = 0; seed < 100; seed++)
        {
            var found = EDivisiveMeans.Detect(NightlySeries.Step(2_000_000 + seed, 90, 45, 0.10), Options).ChangePoints;
            Assert.True(found.Count == 1, $"seed {seed}: {found.Count} change points ({string.Join(", ", found.Select(c => c.Index))})");
            Assert.InRange(found[0].Index, 43, 47);
            exact += found[0].Index == 45 ? 1 : 0;
        }

        output.WriteLine($"+10 % step at night 45 of 90: found in 100 of 100, at exactly night 45 in {exact}");
        Assert.True(exact >= 80, $"exact location in only {exact} of 100");
    }

    [Fact]
    public void Detect_SlowCreepOfHalfAPercentPerNight_FindsAChangeAfterTheCreepStarts()
    {
        // 0.5 % a night from night 30: each night is within the noise of the last, the total after 60 nights is +35 %. A
        // creep has no single night of change, so the first split may land a few nights early (a least-squares split of a
        // ramp sits inside the flat part when the noise happens to rise there); it must not land deep in the flat part.
        var first = new List<int>();
        for (var seed = 0; seed < 50; seed++)
        {
            var found = EDivisiveMeans.Detect(NightlySeries.Creep(3_000_000 + seed, 90, 30, 0.005), Options).ChangePoints;
            Assert.True(found.Count >= 1, $"seed {seed}: the creep went unnoticed");
            Assert.All(found, c => Assert.True(c.Index >= 20, $"seed {seed}: change point at {c.Index}, deep in the flat part before the creep began at 30"));
            first.Add(found[0].Index);
        }

        output.WriteLine($"creep +0.5 %/night from night 30 of 90: found in 50 of 50; first change point at nights {first.Min()}–{first.Max()} (median {first.Order().ElementAt(25)})");
    }

    [Fact]
    public void Detect_NoiseGrowsFromTwoToTwelvePercent_FindsTheVarianceChange()
    {
        var near = 0;
        for (var seed = 0; seed < 100; seed++)
        {
            var found = EDivisiveMeans.Detect(NightlySeries.VarianceChange(4_000_000 + seed, 90, 45, 0.02, 0.12), Options).ChangePoints;
            near += found.Any(c => Math.Abs(c.Index - 45) <= 8) ? 1 : 0;
        }

        output.WriteLine($"noise 2 % → 12 % at night 45 of 90: a change point within 8 nights of it in {near} of 100");
        Assert.True(near >= 80, $"variance change found near night 45 in only {near} of 100");
    }

    [Fact]
    public void Detect_ThreeSingleNightOutliers_FindsNoChangePoint()
    {
        var flagged = Count(200, seed => EDivisiveMeans.Detect(NightlySeries.Outliers(5_000_000 + seed, 90, [20, 50, 71], 1.8), Options).ChangePoints.Count > 0);

        output.WriteLine($"3 single-night outliers (×1.8) in 90 nights: {flagged} of 200 series with a change point");
        Assert.True(flagged <= 4, $"outliers produced change points in {flagged} of 200 series");
    }

    [Fact]
    public void Detect_ThirtyNightsOfThreePercentNoise_SmallestStepFoundNineTimesInTen()
    {
        // The README's sensitivity figure: a step in the middle of 30 nights; found = a change point within 2 nights of it.
        var rates = new List<(double Step, double Rate)>();
        foreach (var step in new[] { 0.02, 0.03, 0.04, 0.05, 0.06, 0.08, 0.10 })
        {
            var found = Count(200, seed => EDivisiveMeans.Detect(NightlySeries.Step(6_000_000 + seed, 30, 15, step), Options).ChangePoints.Any(c => Math.Abs(c.Index - 15) <= 2));
            rates.Add((step, found / 200.0));
            output.WriteLine($"30 nights, 3 % noise, step +{step:P0} at night 15: found in {found / 200.0:P0}");
        }

        var smallest = rates.First(r => r.Rate >= 0.9).Step;
        output.WriteLine($"smallest step found in ≥ 90 % of series: +{smallest:P0}");
        Assert.True(smallest <= 0.08, $"smallest step found nine times in ten is +{smallest:P0}");
        Assert.True(rates.First(r => r.Step == 0.02).Rate < 0.5, "a +2 % step under 3 % noise cannot be found reliably in 30 nights; finding it says the test is broken");
    }

    [Fact]
    public void Detect_SeriesShapedLikeDalyEtAl_FindsTheRegressionAndTheFix()
    {
        // Reconstructed from the shape the paper describes, not its data: a throughput series (ops/s, higher is better)
        // with ≈ 5 % run-to-run noise and occasional single-run dips, a regression of about 15 % that stays for a while,
        // then a fix that restores most of it.
        var random = new SimulationRandom(7_000_000);
        var series = Enumerable.Range(0, 120).Select(night =>
        {
            var level = night < 50 ? 21_000 : night < 85 ? 17_900 : 20_400;
            var dip = night is 17 or 63 or 101 ? 0.75 : 1.0;
            return level * dip * Math.Exp(random.Gaussian() * 0.05);
        }).ToArray();

        var found = EDivisiveMeans.Detect(series, Options).ChangePoints.Select(c => c.Index).ToList();

        output.WriteLine($"Daly-shaped series: change points at {string.Join(", ", found)}");
        Assert.Equal(2, found.Count);
        Assert.InRange(found[0], 48, 52);
        Assert.InRange(found[1], 83, 87);
        var regression = ChangeMagnitude.Of(series, found, found[0]);
        Assert.InRange(regression.Change, -0.20, -0.10);
    }

    private static int Count(int series, Func<int, bool> flagged)
    {
        var count = 0;
        Parallel.For(0, series, seed =>
        {
            if (flagged(seed))
            {
                Interlocked.Increment(ref count);
            }
        });
        return count;
    }
}
