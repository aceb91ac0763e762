using Yardstick.Core.Statistics;

namespace Yardstick.Core.Tests.Statistics;

public sealed class WilcoxonSignedRankTests
{
    // R's ?wilcox.test paired example (Hollander & Wolfe): wilcox.test(x, y, paired = TRUE, alternative = "greater")
    // gives V = 40, p-value = 0.01953 and (pseudo)median 0.46. Bounds from exact enumeration of all 2⁹ sign patterns in
    // Reference/reference_values.py.
    private static readonly double[] X = [1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30];
    private static readonly double[] Y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29];
    private static readonly double[] D = X.Zip(Y, (a, b) => Math.Round(a - b, 10)).ToArray();

    [Fact]
    public void PValueGreater_RPairedExample_MatchesR()
    {
        Assert.Equal(40, WilcoxonSignedRank.Statistic(D));
        Assert.Equal(10 / 512.0, WilcoxonSignedRank.PValueGreater(D), 1e-12);
        Assert.Equal(1 - (7 / 512.0), WilcoxonSignedRank.PValueLess(D), 1e-12); // P(V ≤ 40) = 1 - P(V ≥ 41) = 1 - P(V ≤ 4)
    }

    [Fact]
    public void PValueLess_MirroredSample_EqualsPValueGreater()
    {
        var mirrored = D.Select(d => -d).ToArray();

        Assert.Equal(WilcoxonSignedRank.PValueGreater(D), WilcoxonSignedRank.PValueLess(mirrored), 1e-15);
    }

    [Fact]
    public void Estimate_RPairedExample_IsMedianOfWalshAverages()
    {
        Assert.Equal(0.46, WilcoxonSignedRank.Estimate(D), 1e-12);
    }

    [Theory]
    [InlineData(0.005, -0.1135, 0.987)]
    [InlineData(0.025, 0.01, 0.786)]
    [InlineData(0.05, 0.175, 0.726)]
    public void Bounds_RPairedExample_MatchExactEnumeration(double alpha, double lower, double upper)
    {
        var bounds = WilcoxonSignedRank.Bounds(D, alpha);

        Assert.Equal(lower, bounds.Lower, 1e-12);
        Assert.Equal(upper, bounds.Upper, 1e-12);
    }

    // Published critical values (e.g. Hollander & Wolfe, Table A.4; any signed-rank table): n = 10, P(T⁺ ≤ 8) = 25/1024
    // and P(T⁺ ≤ 10) = 43/1024 — the one-sided 0.025 and 0.05 critical values 8 and 10; n = 6: P(T⁺ ≤ 2) = 3/64.
    [Theory]
    [InlineData(10, 0, 1 / 1024.0)]
    [InlineData(10, 3, 5 / 1024.0)]
    [InlineData(10, 8, 25 / 1024.0)]
    [InlineData(10, 10, 43 / 1024.0)]
    [InlineData(10, 13, 82 / 1024.0)]
    [InlineData(6, 2, 3 / 64.0)]
    [InlineData(6, 21, 1.0)]
    public void Cdf_SmallN_MatchesTables(int n, int t, double expected)
    {
        Assert.Equal(expected, WilcoxonSignedRank.Cdf(n, t), 1e-12);
    }

    [Theory]
    [InlineData(10, 0.025, 9)]
    [InlineData(10, 0.05, 11)]
    [InlineData(6, 0.0025, 0)]
    [InlineData(9, 0.0025, 1)]
    public void CriticalRank_Tables_GiveWalshIndex(int n, double alpha, int k)
    {
        // k - 1 is the table's critical value: the largest t with P(T⁺ ≤ t) ≤ α (none for 6 pairs at 0.0025 = 0.01/4).
        Assert.Equal(k, WilcoxonSignedRank.CriticalRank(n, alpha));
    }

    [Fact]
    public void Cdf_Symmetric_AroundHalfMaximum()
    {
        const int n = 15;
        var max = n * (n + 1) / 2;
        for (var t = 0; t < max; t++)
        {
            Assert.Equal(WilcoxonSignedRank.Cdf(n, t), 1 - WilcoxonSignedRank.Cdf(n, max - t - 1), 1e-12);
        }
    }

    [Fact]
    public void Bounds_SixPairsAtFirstHolmLevel_AreInfinite()
    {
        double[] all = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6];

        Assert.Equal(1 / 64.0, WilcoxonSignedRank.MinimumPValue(6), 1e-15);
        Assert.Equal(1 / 64.0, WilcoxonSignedRank.PValueGreater(all), 1e-15);
        Assert.Equal((double.NegativeInfinity, double.PositiveInfinity), WilcoxonSignedRank.Bounds(all, 0.0025));
    }

    [Fact]
    public void PValueGreater_TiesAndZeros_UsesCorrectedNormal()
    {
        // Zeros dropped; |d| = 1, 1, 2, 3, 3 with midranks 1.5, 1.5, 3, 4.5, 4.5; T⁺ = 1.5 + 3 + 4.5 + 4.5 = 13.5 of 15;
        // variance 5·6·11/24 - (2·(8 - 2))/48 = 13.75 - 0.25 = 13.5; z = (13.5 - 7.5 - 0.5)/√13.5 (R: exact = FALSE, correct = TRUE).
        double[] d = [0, 1, -1, 2, 3, 3];
        var expected = MathNet.Numerics.Distributions.Normal.CDF(0, 1, -(13.5 - 7.5 - 0.5) / Math.Sqrt(13.5));

        Assert.Equal(13.5, WilcoxonSignedRank.Statistic(d));
        Assert.Equal(expected, WilcoxonSignedRank.PValueGreater(d), 1e-12);
    }

    [Fact]
    public void Cdf_LargeN_NormalApproximationCloseToExact()
    {
        // n = 200 exact against the normal approximation just beyond the exact limit, at comparable quantiles.
        var exact = WilcoxonSignedRank.Cdf(200, 8000);
        var approx = MathNet.Numerics.Distributions.Normal.CDF(0, 1, (8000.5 - 10050) / Math.Sqrt(200 * 201 * 401 / 24.0));

        Assert.Equal(approx, exact, 2e-3);
    }
}
