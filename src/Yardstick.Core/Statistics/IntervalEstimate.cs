namespace Yardstick.Core.Statistics;

/// <summary>A point estimate with a two-sided confidence interval.</summary>
/// <param name="Estimate">The point estimate.</param>
/// <param name="Lower">Lower bound.</param>
/// <param name="Upper">Upper bound.</param>
/// <param name="ConfidenceLevel">Two-sided coverage of [<paramref name="Lower"/>, <paramref name="Upper"/>], e.g. 0.95.</param>
public sealed record IntervalEstimate(double Estimate, double Lower, double Upper, double ConfidenceLevel)
{
    /// <summary>Whether <paramref name="value"/> lies inside the closed interval.</summary>
    public bool Contains(double value) => value >= Lower && value <= Upper;

    /// <summary>Upper minus lower bound.</summary>
    public double Width => Upper - Lower;
}
