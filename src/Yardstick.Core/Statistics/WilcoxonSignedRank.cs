using MathNet.Numerics.Distributions;

namespace Yardstick.Core.Statistics;

/// <summary>
/// Wilcoxon's signed-rank test on paired differences dᵢ, with the Hodges–Lehmann estimate (median of the Walsh
/// averages (dᵢ + dⱼ)/2, i ≤ j) and its distribution-free interval (Hollander &amp; Wolfe, Nonparametric Statistical
/// Methods, §3.2): the bounds are the k-th smallest and k-th largest Walsh averages, k from the exact null distribution
/// of the signed-rank statistic T⁺ (each of the 2ⁿ sign patterns equally likely). Exact for n ≤ <see cref="ExactLimit"/>
/// without ties; p-values with tied or zero differences use the normal approximation with tie and continuity
/// corrections (zeros dropped, Wilcoxon's convention). The smallest attainable one-sided p-value is 2⁻ⁿ.
/// </summary>
public static class WilcoxonSignedRank
{
    /// <summary>Largest n for which the exact distribution is tabulated (n(n+1)/2 + 1 probabilities).</summary>
    public const int ExactLimit = 200;

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, double[]> Cumulative = new();

    /// <summary>The smallest attainable one-sided p-value for <paramref name="n"/> pairs: 2⁻ⁿ.</summary>
    public static double MinimumPValue(int n) => Math.Pow(2, -n);

    /// <summary>P(T⁺ ≤ <paramref name="t"/>) under H0 for <paramref name="n"/> untied, non-zero differences.</summary>
    public static double Cdf(int n, int t)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        var max = n * (n + 1) / 2;
        if (t < 0)
        {
            return 0;
        }

        if (t >= max)
        {
            return 1;
        }

        if (n > ExactLimit)
        {
            var mean = max / 2.0;
            var sd = Math.Sqrt(n * (n + 1.0) * ((2.0 * n) + 1) / 24);
            return Normal.CDF(0, 1, (t + 0.5 - mean) / sd);
        }

        return Math.Min(1, Cumulative.GetOrAdd(n, Tabulate)[t]);
    }

    /// <summary>The Hodges–Lehmann estimate of the centre of the differences: the median of the Walsh averages.</summary>
    public static double Estimate(IReadOnlyList<double> differences)
    {
        Require(differences);
        var walsh = WalshAverages(differences);
        var m = walsh.Length;
        return m % 2 == 1 ? walsh[m / 2] : (walsh[(m / 2) - 1] + walsh[m / 2]) / 2;
    }

    /// <summary>
    /// Bounds each holding with one-sided confidence at least 1 - <paramref name="oneSidedAlpha"/>: the k-th smallest and
    /// k-th largest Walsh averages, k the largest integer with P(T⁺ ≤ k - 1) ≤ α. Infinite when 2⁻ⁿ exceeds α.
    /// </summary>
    public static (double Lower, double Upper) Bounds(IReadOnlyList<double> differences, double oneSidedAlpha)
    {
        Require(differences);
        var walsh = WalshAverages(differences);
        var k = CriticalRank(differences.Count, oneSidedAlpha);
        return k == 0
            ? (double.NegativeInfinity, double.PositiveInfinity)
            : (walsh[k - 1], walsh[walsh.Length - k]);
    }

    /// <summary>The signed-rank statistic T⁺: the sum of the (mid)ranks of |dᵢ| over the positive dᵢ, zeros dropped.</summary>
    public static double Statistic(IReadOnlyList<double> differences) => Ranked(differences).Positive;

    /// <summary>One-sided p-value of H0 "centre ≤ 0" against "centre &gt; 0".</summary>
    public static double PValueGreater(IReadOnlyList<double> differences) => UpperTail(differences, positive: true);

    /// <summary>One-sided p-value of H0 "centre ≥ 0" against "centre &lt; 0".</summary>
    public static double PValueLess(IReadOnlyList<double> differences) => UpperTail(differences, positive: false);

    /// <summary>Largest k with P(T⁺ ≤ k - 1) ≤ α, or 0 when even P(T⁺ = 0) = 2⁻ⁿ exceeds α.</summary>
    internal static int CriticalRank(int n, double oneSidedAlpha)
    {
        var half = n * (n + 1) / 4;
        var k = 0;
        while (k < half && Cdf(n, k) <= oneSidedAlpha)
        {
            k++;
        }

        return k;
    }

    /// <summary>P(T⁺ ≥ observed) for positive, P(T⁻ ≥ observed) otherwise.</summary>
    private static double UpperTail(IReadOnlyList<double> differences, bool positive)
    {
        Require(differences);
        var ranked = Ranked(differences);
        var n = ranked.NonZero;
        if (n == 0)
        {
            return 1;
        }

        var max = n * (n + 1) / 2.0;
        var observed = positive ? ranked.Positive : max - ranked.Positive;
        if (!ranked.Ties && n <= ExactLimit)
        {
            // P(T ≥ t) = P(T ≤ max - t) by the symmetry of the null distribution.
            return Cdf(n, (int)Math.Round(max - observed));
        }

        var mean = max / 2;
        var variance = (n * (n + 1.0) * ((2.0 * n) + 1) / 24) - (ranked.TieCorrection / 48);
        if (variance <= 0)
        {
            return observed > mean ? 0 : 1;
        }

        return Normal.CDF(0, 1, -(observed - mean - 0.5) / Math.Sqrt(variance));
    }

    private static (double Positive, int NonZero, bool Ties, double TieCorrection) Ranked(IReadOnlyList<double> differences)
    {
        var nonZero = differences.Where(d => d != 0).OrderBy(Math.Abs).ToArray();
        var positive = 0.0;
        var ties = false;
        var correction = 0.0;
        for (var i = 0; i < nonZero.Length;)
        {
            var j = i;
            while (j + 1 < nonZero.Length && Math.Abs(nonZero[j + 1]) == Math.Abs(nonZero[i]))
            {
                j++;
            }

            var rank = ((i + 1) + (j + 1)) / 2.0;
            var size = j - i + 1;
            if (size > 1)
            {
                ties = true;
                correction += (double)size * size * size - size;
            }

            for (var r = i; r <= j; r++)
            {
                if (nonZero[r] > 0)
                {
                    positive += rank;
                }
            }

            i = j + 1;
        }

        return (positive, nonZero.Length, ties, correction);
    }

    /// <summary>The n(n+1)/2 Walsh averages, sorted.</summary>
    internal static double[] WalshAverages(IReadOnlyList<double> d)
    {
        var n = d.Count;
        var walsh = new double[n * (n + 1) / 2];
        var index = 0;
        for (var i = 0; i < n; i++)
        {
            for (var j = i; j < n; j++)
            {
                walsh[index++] = (d[i] + d[j]) / 2;
            }
        }

        Array.Sort(walsh);
        return walsh;
    }

    /// <summary>P(T⁺ ≤ w), w = 0 … n(n+1)/2, tabulated once per n.</summary>
    private static double[] Tabulate(int n)
    {
        var p = Distribution(n);
        for (var w = 1; w < p.Length; w++)
        {
            p[w] += p[w - 1];
        }

        return p;
    }

    /// <summary>P(T⁺ = w), w = 0 … n(n+1)/2: each rank k joins the positive set with probability ½.</summary>
    private static double[] Distribution(int n)
    {
        var max = n * (n + 1) / 2;
        var p = new double[max + 1];
        p[0] = 1;
        var top = 0;
        for (var k = 1; k <= n; k++)
        {
            top += k;
            for (var w = top; w >= 0; w--)
            {
                p[w] = 0.5 * (p[w] + (w >= k ? p[w - k] : 0));
            }
        }

        return p;
    }

    private static void Require(IReadOnlyList<double> differences)
    {
        if (differences.Count == 0)
        {
            throw new ArgumentException("At least one paired difference is needed.", nameof(differences));
        }
    }
}
