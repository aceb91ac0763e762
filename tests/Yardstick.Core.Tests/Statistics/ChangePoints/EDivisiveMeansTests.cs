using Yardstick.Core.Statistics.ChangePoints;

namespace Yardstick.Core.Tests.Statistics.ChangePoints;

public sealed class EDivisiveMeansTests
{
    private static readonly ChangePointOptions Options = new();

    [Theory]
    [InlineData(1.0)]
    [InlineData(0.5)]
    [InlineData(1.7)]
    public void BestSplit_RandomSeries_MatchesQHatComputedFromTheDefinition(double exponent)
    {
        var random = new Random(42);
        var series = Enumerable.Range(0, 23).Select(i => (i < 9 ? 10.0 : 13.0) + random.NextDouble() * 4).ToArray();
        var options = Options with { DistanceExponent = exponent, MinSegmentLength = 3 };

        var best = EDivisiveMeans.BestSplit(series, options)!.Value;

        // Matteson & James, eq. 7, term by term, for every admissible split.
        var reference = Enumerable.Range(3, series.Length - 5).Select(tau => (Tau: tau, Q: QHat(series, tau, exponent))).MaxBy(s => s.Q);
        Assert.Equal(reference.Tau, best.Offset);
        Assert.Equal(reference.Q, best.Statistic, reference.Q * 1e-9);
    }

    [Fact]
    public void Detect_CleanStep_FindsItWithTheSmallestPValue()
    {
        var series = Enumerable.Range(0, 40).Select(i => (i < 25 ? 100.0 : 120.0) + (i % 3)).ToArray();

        var detection = EDivisiveMeans.Detect(series, Options);

        var point = Assert.Single(detection.ChangePoints);
        Assert.Equal(25, point.Index);
        Assert.Equal(1.0 / (Options.Permutations + 1), point.PValue, 12);
        Assert.Equal((0, 40), (detection.TestedFrom, detection.Length));
    }

    [Fact]
    public void Detect_SameSeriesTwice_GivesTheSameChangePointsAndCost()
    {
        var series = Noisy(60, seed: 7, step: 30, size: 0.08);

        var first = EDivisiveMeans.Detect(series, Options);
        var second = EDivisiveMeans.Detect(series, Options);

        Assert.Equal(first.ChangePoints, second.ChangePoints);
        Assert.Equal(first.Permutations, second.Permutations);
    }

    [Fact]
    public void Detect_ConstantOrShortSeries_FindsNothing()
    {
        Assert.Empty(EDivisiveMeans.Detect(Enumerable.Repeat(5.0, 50).ToArray(), Options).ChangePoints);
        Assert.Empty(EDivisiveMeans.Detect([1, 2, 3, 100, 100, 100], Options).ChangePoints);
        Assert.Empty(EDivisiveMeans.Detect([], Options).ChangePoints);
    }

    [Fact]
    public void DetectIncremental_NightByNight_EndsWithTheFullDetectionsChangePointsForFarFewerPermutations()
    {
        // 90 nights: a +12 % step at night 30 and a +0.6 %/night creep from night 60.
        var random = new Random(3);
        var series = Enumerable.Range(0, 90).Select(night =>
            40 * (night < 30 ? 1 : 1.12) * (night < 60 ? 1 : Math.Pow(1.006, night - 59)) * Math.Exp(Gaussian(random) * 0.03)).ToArray();

        IReadOnlyList<DetectedChangePoint> previous = [];
        long incrementalCost = 0;
        ChangePointDetection? last = null;
        for (var nights = 1; nights <= series.Length; nights++)
        {
            last = EDivisiveMeans.DetectIncremental(series[..nights], previous, Options);
            previous = last.ChangePoints;
            incrementalCost = last.Permutations;
        }

        var full = EDivisiveMeans.Detect(series, Options);
        Assert.Equal(full.ChangePoints.Select(c => c.Index), last!.ChangePoints.Select(c => c.Index));
        Assert.InRange(full.ChangePoints[0].Index, 28, 32);
        Assert.True(last.TestedFrom > 0, "the last night re-tested the whole history");
        Assert.True(incrementalCost < full.Permutations, $"last night drew {incrementalCost} permutations, a full detection {full.Permutations}");
    }

    [Fact]
    public void DetectIncremental_KeepsEverythingButTheLastPreviousChangePoint()
    {
        var series = Noisy(80, seed: 11, step: 20, size: 0.15).Select((v, i) => i >= 50 ? v * 1.2 : v).ToArray();
        var previous = new[] { new DetectedChangePoint(20, 1, 0.005), new DetectedChangePoint(50, 1, 0.005) };

        var detection = EDivisiveMeans.DetectIncremental(series, previous, Options);

        Assert.Equal(20, detection.TestedFrom);
        Assert.Same(previous[0], detection.ChangePoints[0]);
        Assert.Contains(detection.ChangePoints, c => Math.Abs(c.Index - 50) <= 1);
    }

    [Fact]
    public void Detect_NonFiniteValue_ThrowsNamingIt()
    {
        Assert.Equal("series[2]", Assert.Throws<InputException>(() => EDivisiveMeans.Detect([1, 2, double.NaN, 4])).Field);
    }

    [Theory]
    [InlineData(0.0, 199, 5, 1.0, "changePoints.alpha")]
    [InlineData(0.01, 50, 5, 1.0, "changePoints.permutations")]
    [InlineData(0.05, 10, 5, 1.0, "changePoints.permutations")]
    [InlineData(0.01, 199, 1, 1.0, "changePoints.minSegment")]
    [InlineData(0.01, 199, 5, 2.0, "changePoints.exponent")]
    public void Validate_OutOfRange_NamesTheField(double alpha, int permutations, int minSegment, double exponent, string field)
    {
        var options = new ChangePointOptions { SignificanceLevel = alpha, Permutations = permutations, MinSegmentLength = minSegment, DistanceExponent = exponent };

        Assert.Equal(field, Assert.Throws<InputException>(() => options.Validate()).Field);
    }

    [Fact]
    public void ChangeMagnitude_ExactTenPercentStep_IsTenPercentWithATightInterval()
    {
        double[] series = [.. Enumerable.Repeat(40.0, 10), .. Enumerable.Repeat(44.0, 8)];

        var magnitude = ChangeMagnitude.Of(series, [10], 10);

        Assert.True(magnitude.Relative);
        Assert.Equal(0.10, magnitude.Change, 12);
        Assert.Equal(0.10, magnitude.CiLow!.Value, 12);
        Assert.Equal(0.10, magnitude.CiHigh!.Value, 12);
        Assert.Equal((40.0, 44.0, 10, 8), (magnitude.BeforeMedian, magnitude.AfterMedian, magnitude.PointsBefore, magnitude.PointsAfter));
    }

    [Fact]
    public void ChangeMagnitude_SeriesWithZeros_IsAnAbsoluteShiftBetweenNeighbouringChangePoints()
    {
        double[] series = [0, 0, 0.001, 0, 0, 0.02, 0.021, 0.019, 0.02, 0.02, 0, 0, 0];

        var magnitude = ChangeMagnitude.Of(series, [10, 5], 5);

        Assert.False(magnitude.Relative);
        Assert.Equal(0.02, magnitude.Change, 9);
        Assert.Equal((5, 5), (magnitude.PointsBefore, magnitude.PointsAfter));
    }

    private static double QHat(double[] z, int tau, double exponent)
    {
        var x = z[..tau];
        var y = z[tau..];
        double D(double a, double b) => Math.Pow(Math.Abs(a - b), exponent);
        var between = x.Sum(a => y.Sum(b => D(a, b)));
        double Within(double[] s) => Enumerable.Range(0, s.Length).Sum(i => Enumerable.Range(i + 1, s.Length - i - 1).Sum(k => D(s[i], s[k])));
        var m = x.Length;
        var n = y.Length;
        var e = (2 * between / (m * n)) - (Within(x) / (m * (m - 1) / 2.0)) - (Within(y) / (n * (n - 1) / 2.0));
        return (double)m * n / (m + n) * e;
    }

    private static double[] Noisy(int nights, int seed, int step, double size)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, nights).Select(i => 40 * (i >= step ? 1 + size : 1) * Math.Exp(Gaussian(random) * 0.03)).ToArray();
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
