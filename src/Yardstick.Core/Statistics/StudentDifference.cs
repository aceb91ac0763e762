using MathNet.Numerics.Distributions;

namespace Yardstick.Core.Statistics;

/// <summary>
/// An estimate whose standardised error follows Student's t with <see cref="DegreesOfFreedom"/> (∞ means normal).
/// Bounds and p-values come from the same distribution, so intervals and tests always agree.
/// </summary>
/// <param name="Estimate">Point estimate (for example a difference of mean log values).</param>
/// <param name="StandardError">Its estimated standard error (≥ 0).</param>
/// <param name="DegreesOfFreedom">Degrees of freedom of the error estimate; <see cref="double.PositiveInfinity"/> for a known error.</param>
public sealed record StudentEstimate(double Estimate, double StandardError, double DegreesOfFreedom)
{
    /// <summary>Bounds each holding with one-sided confidence 1 - <paramref name="oneSidedAlpha"/> (a 1 - 2α two-sided interval).</summary>
    public (double Lower, double Upper) Bounds(double oneSidedAlpha)
    {
        if (StandardError == 0)
        {
            return (Estimate, Estimate);
        }

        var q = Quantile(1 - oneSidedAlpha);
        return (Estimate - (q * StandardError), Estimate + (q * StandardError));
    }

    /// <summary>p-value of H0: true value ≤ 0 against &gt; 0.</summary>
    public double PValueGreater() => StandardError == 0
        ? (Estimate > 0 ? 0 : 1)
        : UpperTail(Estimate / StandardError);

    /// <summary>p-value of H0: true value ≥ 0 against &lt; 0.</summary>
    public double PValueLess() => StandardError == 0
        ? (Estimate < 0 ? 0 : 1)
        : UpperTail(-Estimate / StandardError);

    /// <summary>Quantile of the reference distribution (t or normal).</summary>
    public double Quantile(double probability) => double.IsPositiveInfinity(DegreesOfFreedom) || DegreesOfFreedom > 1e6
        ? Normal.InvCDF(0, 1, probability)
        : StudentT.InvCDF(0, 1, DegreesOfFreedom, probability);

    private double UpperTail(double t) => double.IsPositiveInfinity(DegreesOfFreedom) || DegreesOfFreedom > 1e6
        ? Normal.CDF(0, 1, -t)
        : StudentT.CDF(0, 1, DegreesOfFreedom, -t);
}

/// <summary>Two-sample t estimates of the difference of means, mean(y) - mean(x).</summary>
public static class StudentDifference
{
    /// <summary>Welch's unequal-variance estimate with Welch–Satterthwaite degrees of freedom (both samples ≥ 2).</summary>
    public static StudentEstimate Welch(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        Require(x.Count >= 2 && y.Count >= 2, "Welch's estimate needs at least two values on each side.");
        var vx = Variance(x) / x.Count;
        var vy = Variance(y) / y.Count;
        var se2 = vx + vy;
        var df = se2 == 0 ? double.PositiveInfinity : se2 * se2 / ((vx * vx / (x.Count - 1)) + (vy * vy / (y.Count - 1)));
        return new StudentEstimate(Mean(y) - Mean(x), Math.Sqrt(se2), df);
    }

    /// <summary>
    /// Student's pooled-variance estimate. The pooled variance may borrow strength from an independent prior estimate
    /// (<paramref name="priorVariance"/> with <paramref name="priorDegreesOfFreedom"/>, e.g. from an A/A calibration):
    /// the variances are combined weighted by degrees of freedom and the degrees of freedom add up.
    /// </summary>
    public static StudentEstimate Pooled(IReadOnlyList<double> x, IReadOnlyList<double> y, double priorVariance = 0, int priorDegreesOfFreedom = 0)
    {
        Require(x.Count >= 1 && y.Count >= 1, "Each side needs at least one value.");
        var dfx = x.Count - 1;
        var dfy = y.Count - 1;
        var df = dfx + dfy + priorDegreesOfFreedom;
        Require(df >= 1, "The pooled estimate needs at least one degree of freedom (two values on one side, or a prior).");
        var sumSquares = (dfx > 0 ? Variance(x) * dfx : 0) + (dfy > 0 ? Variance(y) * dfy : 0) + (priorVariance * priorDegreesOfFreedom);
        var pooled = sumSquares / df;
        var se = Math.Sqrt(pooled * ((1.0 / x.Count) + (1.0 / y.Count)));
        return new StudentEstimate(Mean(y) - Mean(x), se, df);
    }

    internal static double Mean(IReadOnlyList<double> values)
    {
        var sum = 0.0;
        for (var i = 0; i < values.Count; i++)
        {
            sum += values[i];
        }

        return sum / values.Count;
    }

    /// <summary>Unbiased sample variance (n - 1 denominator).</summary>
    internal static double Variance(IReadOnlyList<double> values)
    {
        var mean = Mean(values);
        var sum = 0.0;
        for (var i = 0; i < values.Count; i++)
        {
            var d = values[i] - mean;
            sum += d * d;
        }

        return values.Count > 1 ? sum / (values.Count - 1) : 0;
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException(message);
        }
    }
}
