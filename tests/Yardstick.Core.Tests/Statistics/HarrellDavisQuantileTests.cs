using Perfolizer.Mathematics.QuantileEstimators;
using Pragmastat;

namespace Yardstick.Core.Tests.Statistics;

/// <summary>Checks the Harrell–Davis estimator we take from Perfolizer (used for calibration centres).</summary>
public sealed class HarrellDavisQuantileTests
{
    // Harrell & Davis (1982) weights computed with an independent incomplete-beta continued fraction in
    // Reference/reference_values.py on the x sample of R's ?wilcox.test example. The script's betainc converges to
    // ~1e-11, hence the tolerance.
    [Theory]
    [InlineData(0.5, 1.331114076308)]
    [InlineData(0.9, 1.863629954768)]
    [InlineData(0.1, 0.771447178402)]
    public void Quantile_WilcoxSample_MatchesIndependentImplementation(double probability, double expected)
    {
        var sample = new Sample(0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46);

        var actual = HarrellDavisQuantileEstimator.Instance.Quantile(sample, probability).NominalValue;

        Assert.Equal(expected, actual, 1e-9);
    }
}
