using Yardstick.Core.Statistics;

namespace Yardstick.Core.Tests.Statistics;

public sealed class PairedStudentTests
{
    // R: t.test(x, y, paired = TRUE) on the ?wilcox.test paired example gives t = 3.0354, df = 8, p-value = 0.01618
    // (two-sided), 95 % CI 0.1037787 … 0.7599991 (Reference/reference_values.py reproduces them).
    private static readonly double[] D = [0.952, -0.147, 1.022, 0.43, 0.62, 0.59, 0.49, -0.08, 0.01];

    [Fact]
    public void Estimate_RPairedExample_MatchesR()
    {
        var t = PairedStudent.Estimate(D);
        var (lower, upper) = t.Bounds(0.025);

        Assert.Equal(8, t.DegreesOfFreedom);
        Assert.Equal(3.0354, t.Estimate / t.StandardError, 1e-4);
        Assert.Equal(0.01618 / 2, t.PValueGreater(), 1e-5);
        Assert.Equal(0.103779, lower, 1e-6);
        Assert.Equal(0.759999, upper, 1e-6);
    }

    [Fact]
    public void Estimate_WithPrior_PoolsVarianceAndAddsDegreesOfFreedom()
    {
        double[] d = [0.1, 0.3];
        var t = PairedStudent.Estimate(d, priorVariance: 0.04, priorDegreesOfFreedom: 9);

        // Sum of squares 0.02 (one df) + 0.04 × 9 = 0.38 over 10 df; se = √(0.038 / 2).
        Assert.Equal(10, t.DegreesOfFreedom);
        Assert.Equal(Math.Sqrt(0.038 / 2), t.StandardError, 1e-12);
        Assert.Equal(0.2, t.Estimate, 1e-12);
    }

    [Fact]
    public void Estimate_OneDifferenceWithoutPrior_Throws()
    {
        Assert.Throws<ArgumentException>(() => PairedStudent.Estimate([0.1]));
    }
}
