namespace Yardstick.Core.Statistics;

/// <summary>
/// The paired t: Student's one-sample estimate of the mean of paired differences dᵢ, its variance optionally pooled
/// with an independent prior estimate of the variance of one difference (from a calibration), weighted by degrees of
/// freedom (the degrees of freedom add up), as <see cref="StudentDifference.Pooled"/> does for two samples.
/// </summary>
public static class PairedStudent
{
    /// <summary>mean(d) with standard error s/√n and n - 1 (+ prior) degrees of freedom.</summary>
    /// <exception cref="ArgumentException">No difference, or a single one without a prior.</exception>
    public static StudentEstimate Estimate(IReadOnlyList<double> differences, double priorVariance = 0, int priorDegreesOfFreedom = 0)
    {
        var n = differences.Count;
        if (n == 0)
        {
            throw new ArgumentException("At least one paired difference is needed.", nameof(differences));
        }

        var df = n - 1 + priorDegreesOfFreedom;
        if (df < 1)
        {
            throw new ArgumentException("The paired t needs two differences, or one and a prior variance.", nameof(differences));
        }

        var sumSquares = (n > 1 ? StudentDifference.Variance(differences) * (n - 1) : 0) + (priorVariance * priorDegreesOfFreedom);
        return new StudentEstimate(StudentDifference.Mean(differences), Math.Sqrt(sumSquares / df / n), df);
    }
}
