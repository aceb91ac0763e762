using Yardstick.Core.Statistics;

namespace Yardstick.Core.Tests.Statistics;

public sealed class HodgesLehmannShiftIntervalTests
{
    // R's ?wilcox.test example (Hollander & Wolfe): wilcox.test(x, y, alternative = "greater") gives W = 35,
    // p-value = 0.1272. The Hodges–Lehmann shift (0.305) and the Mann–Whitney-inverted bounds come from exact
    // enumeration of all C(15, 5) rank assignments in Reference/reference_values.py.
    private static readonly double[] X = [0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46];
    private static readonly double[] Y = [1.15, 0.88, 0.90, 0.74, 1.21];

    [Fact]
    public void PValueGreater_WilcoxExample_MatchesR()
    {
        Assert.Equal(0.1272061272, HodgesLehmannShiftInterval.PValueGreater(Y, X), 1e-9);
    }

    [Fact]
    public void Estimate_WilcoxExample_IsMedianOfPairwiseDifferences()
    {
        Assert.Equal(0.305, HodgesLehmannShiftInterval.Estimate(Y, X), 1e-12);
    }

    [Theory]
    [InlineData(0.025, -0.15, 0.76)]
    [InlineData(0.05, -0.08, 0.72)]
    public void Bounds_WilcoxExample_MatchExactInversion(double alpha, double lower, double upper)
    {
        var bounds = HodgesLehmannShiftInterval.Bounds(Y, X, alpha);

        Assert.Equal(lower, bounds.Lower, 1e-12);
        Assert.Equal(upper, bounds.Upper, 1e-12);
    }

    [Fact]
    public void Bounds_FiveAgainstFiveAtHolmLevel_AreInfinite()
    {
        // The smallest attainable one-sided p-value is 1/C(10, 5) = 1/252 ≈ 0.004 > 0.0025 = 0.01/4.
        double[] a = [1, 2, 3, 4, 5];
        double[] b = [11, 12, 13, 14, 15];

        Assert.Equal(1 / 252.0, HodgesLehmannShiftInterval.MinimumPValue(5, 5), 1e-12);
        Assert.Equal((double.NegativeInfinity, double.PositiveInfinity), HodgesLehmannShiftInterval.Bounds(a, b, 0.0025));
    }
}
