using Perfolizer.Mathematics.SignificanceTesting.Base;
using Perfolizer.Mathematics.SignificanceTesting.MannWhitney;
using Pragmastat;

namespace Yardstick.Core.Statistics;

/// <summary>
/// Distribution-free shift of y relative to x: the Hodges–Lehmann estimate median(yⱼ - xᵢ) (Pragmastat <c>Shift</c>)
/// with the interval obtained by inverting the Mann–Whitney test (Bauer 1972), and Mann–Whitney p-values (Perfolizer).
/// Ranks have a floor: the smallest attainable one-sided p-value is 1/C(n+m, n), so small samples cannot reach small α.
/// </summary>
public static class HodgesLehmannShiftInterval
{
    /// <summary>The smallest attainable one-sided p-value for samples of sizes <paramref name="n"/> and <paramref name="m"/>.</summary>
    public static double MinimumPValue(int n, int m) => Cdf(n, m, 1);

    /// <summary>The Hodges–Lehmann estimate of the shift of <paramref name="y"/> relative to <paramref name="x"/>.</summary>
    public static double Estimate(IReadOnlyList<double> x, IReadOnlyList<double> y) =>
        Toolkit.Shift(new Sample(y.ToArray()), new Sample(x.ToArray()));

    /// <summary>
    /// Bounds each holding with one-sided confidence at least 1 - <paramref name="oneSidedAlpha"/>: [D(k), D(nm+1-k)] of the
    /// sorted pairwise differences, with k the largest integer such that P(U ≤ k - 1) ≤ α under H0.
    /// Infinite when the samples are too small for that level.
    /// </summary>
    public static (double Lower, double Upper) Bounds(IReadOnlyList<double> x, IReadOnlyList<double> y, double oneSidedAlpha)
    {
        var n = x.Count;
        var m = y.Count;
        var differences = new double[n * m];
        var index = 0;
        foreach (var yj in y)
        {
            foreach (var xi in x)
            {
                differences[index++] = yj - xi;
            }
        }

        Array.Sort(differences);
        var k = CriticalRank(n, m, oneSidedAlpha);
        return k == 0
            ? (double.NegativeInfinity, double.PositiveInfinity)
            : (differences[k - 1], differences[differences.Length - k]);
    }

    /// <summary>One-sided Mann–Whitney p-value of H0 "y is not shifted up" against "y is shifted up" relative to x.</summary>
    public static double PValueGreater(IReadOnlyList<double> x, IReadOnlyList<double> y) =>
        MannWhitneyTest.Instance.Perform(new Sample(y.ToArray()), new Sample(x.ToArray()), AlternativeHypothesis.Greater, Perfolizer.Metrology.Threshold.Zero).PValue;

    /// <summary>One-sided Mann–Whitney p-value of H0 "y is not shifted down" against "y is shifted down" relative to x.</summary>
    public static double PValueLess(IReadOnlyList<double> x, IReadOnlyList<double> y) =>
        MannWhitneyTest.Instance.Perform(new Sample(y.ToArray()), new Sample(x.ToArray()), AlternativeHypothesis.Less, Perfolizer.Metrology.Threshold.Zero).PValue;

    /// <summary>Largest k with P(U ≤ k - 1) ≤ α, or 0 when even P(U = 0) exceeds α.</summary>
    internal static int CriticalRank(int n, int m, double oneSidedAlpha)
    {
        var k = 0;
        var half = n * m / 2;
        while (k < half && Cdf(n, m, k + 1) <= oneSidedAlpha)
        {
            k++;
        }

        return k;
    }

    /// <summary>P(U &lt; u) under H0 (Perfolizer's convention: <c>Cdf(n, m, u)</c> is strict).</summary>
    private static double Cdf(int n, int m, int u) => n + m <= 80
        ? MannWhitneyLoefflerExactCdf.Instance.Cdf(n, m, u)
        : MannWhitneyEdgeworthApproxCdf.Instance.Cdf(n, m, u);
}
