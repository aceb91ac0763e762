using Yardstick.Core.Verdicts;
using static Yardstick.Core.Tests.Verdicts.VerdictFixtures;

namespace Yardstick.Core.Tests.Verdicts;

public sealed class NoiseCalibrationTests
{
    // Log offsets ±0.03 (alternating around the centre) and an outlier: the robust spread should ignore the outlier.
    private static readonly double[] Offsets = [-0.03, 0.03, -0.03, 0.03, -0.03, 0.03, -0.03, 0.03, 0.0, 0.40];

    [Fact]
    public void Estimate_RunsWithAnOutlier_RobustCvIgnoresIt()
    {
        var runs = Offsets.Select((o, i) => Values($"aa{i}", (MetricKeys.P95, 100 * Math.Exp(o)))).ToList();

        var p95 = NoiseCalibration.Estimate(runs, 0.01).Metrics.Single(m => m.Metric == MetricKeys.P95);

        // Pairwise |differences| of the log values: 0 (20 pairs among equal signs), 0.03 (16 with the centre run),
        // 0.06 (25), 0.37/0.40/0.43 with the outlier (9): median of 45 = 0.06 → ×1.0483 ≈ 0.063; the classical SD ≈ 0.13.
        Assert.Equal(0.0629, p95.RunToRunCv, 0.0005);
        Assert.True(p95.LogStandardDeviation > 2 * p95.RunToRunCv);
        Assert.InRange(p95.Center, 99, 102); // Harrell–Davis weighs every order statistic, the outlier a little.
    }

    [Fact]
    public void Estimate_MarginExceedsNoiseFloorAndShrinksWithMoreRunsPerSide()
    {
        var runs = Offsets.Take(9).Select((o, i) => Values($"aa{i}", (MetricKeys.P95, 100 * Math.Exp(o)))).ToList();

        var single = NoiseCalibration.Estimate(runs, VerdictPolicy.Default, runsPerSide: 1).Metrics.Single(m => m.Metric == MetricKeys.P95);
        var five = NoiseCalibration.Estimate(runs, VerdictPolicy.Default, runsPerSide: 5).Metrics.Single(m => m.Metric == MetricKeys.P95);

        Assert.True(single.RecommendedMargin > single.NoiseFloor);
        Assert.True(five.RecommendedMargin < single.RecommendedMargin);
        Assert.Equal(0, Math.Round(five.RecommendedMargin / 0.005, 9) % 1);
        Assert.Contains("a " + (five.RecommendedMargin * 100).ToString("F1", System.Globalization.CultureInfo.InvariantCulture) + "% margin", five.Explanation);
    }

    [Fact]
    public void Estimate_ToNoisePriors_FeedsThePolicy()
    {
        var runs = Offsets.Take(9).Select((o, i) => Values($"aa{i}", (MetricKeys.P95, 100 * Math.Exp(o)), (MetricKeys.P50, 50 * Math.Exp(o / 2)))).ToList();

        var priors = NoiseCalibration.Estimate(runs, 0.01).ToNoisePriors();

        Assert.Equal(8, priors[MetricKeys.P95].DegreesOfFreedom);
        Assert.True(priors[MetricKeys.P50].LogStandardDeviation < priors[MetricKeys.P95].LogStandardDeviation);
    }

    [Fact]
    public void Estimate_ErrorRates_ReportedOnTheDifferenceScale()
    {
        var runs = new[] { 10, 14, 8, 12, 11 }.Select((e, i) => Counts($"aa{i}", 5_000, e)).ToList();

        var errors = NoiseCalibration.Estimate(runs, 0.01).Metrics.Single(m => m.Metric == MetricKeys.ErrorRate);

        Assert.Equal(IntervalScale.Difference, errors.Scale);
        Assert.InRange(errors.NoiseFloor, 0.0001, 0.01);
        Assert.True(errors.RecommendedMargin >= errors.NoiseFloor);
    }

    [Fact]
    public void Estimate_TwoRunsWithoutErrors_ZeroMarginWithoutSignAndHugeFloorsWrittenPlainly()
    {
        // Two A/A runs leave one degree of freedom: t(1) at 0.0025 is about 127, so a 10 % spread gives a floor far above 1000 %.
        var runs = new[] { Counts("a", 1000, 0), Counts("b", 1000, 0) }
            .Select((r, i) => r with { Values = new Dictionary<string, double>(r.Values) { [MetricKeys.P50] = i == 0 ? 10 : 11 } })
            .ToList();

        var result = NoiseCalibration.Estimate(runs, 0.01);

        var errors = result.Metrics.Single(m => m.Metric == MetricKeys.ErrorRate);
        Assert.Equal(0.0, errors.RecommendedMargin);
        Assert.False(double.IsNegative(errors.RecommendedMargin), "-0 would print as -0.00");
        Assert.DoesNotContain("-0.00", errors.Explanation, StringComparison.Ordinal);
        var p50 = result.Metrics.Single(m => m.Metric == MetricKeys.P50);
        Assert.True(p50.NoiseFloor > 10);
        Assert.Contains("changes under >1000% are noise", p50.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Estimate_OneRun_ThrowsInputException()
    {
        var error = Assert.Throws<InputException>(() => NoiseCalibration.Estimate([Values("aa", (MetricKeys.P95, 1))], 0.01));

        Assert.Equal("runs", error.Field);
    }
}
