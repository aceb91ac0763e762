using Yardstick.Core.Statistics;

namespace Yardstick.Core.Tests.Statistics;

public sealed class StudentDifferenceTests
{
    // R's sleep data set (extra hours of sleep, group 1 and group 2). R: t.test(extra ~ group, data = sleep) gives
    // t = -1.8608, df = 17.776, p-value = 0.07939, 95 % CI -3.3654832 … 0.2054832 (Welch); with var.equal = TRUE
    // p-value = 0.07919, CI -3.363874 … 0.203874. Reproduced by Reference/reference_values.py.
    private static readonly double[] Group1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];
    private static readonly double[] Group2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];

    [Fact]
    public void Welch_SleepData_MatchesRTTest()
    {
        var welch = StudentDifference.Welch(Group2, Group1);

        var (lower, upper) = welch.Bounds(0.025);
        Assert.Equal(-1.58, welch.Estimate, 1e-12);
        Assert.Equal(17.776, welch.DegreesOfFreedom, 0.0005);
        Assert.Equal(-3.3654832, lower, 1e-6);
        Assert.Equal(0.2054832, upper, 1e-6);
        Assert.Equal(0.07939, 2 * Math.Min(welch.PValueGreater(), welch.PValueLess()), 0.000005);
    }

    [Fact]
    public void Pooled_SleepData_MatchesRTTestWithEqualVariances()
    {
        var student = StudentDifference.Pooled(Group2, Group1);

        var (lower, upper) = student.Bounds(0.025);
        Assert.Equal(18, student.DegreesOfFreedom);
        Assert.Equal(-3.363874, lower, 1e-6);
        Assert.Equal(0.203874, upper, 1e-6);
        Assert.Equal(0.07919, 2 * student.PValueLess(), 0.000005);
    }

    [Fact]
    public void Pooled_WithPrior_AddsDegreesOfFreedomAndWeighsVariances()
    {
        double[] x = [1, 2, 3];
        double[] y = [2, 3, 4];

        // Sample variances are 1 on both sides (4 df); a prior variance of 4 with 8 df pools to (4·1 + 8·4)/12 = 3.
        var student = StudentDifference.Pooled(x, y, priorVariance: 4, priorDegreesOfFreedom: 8);

        Assert.Equal(12, student.DegreesOfFreedom);
        Assert.Equal(Math.Sqrt(3 * ((1 / 3.0) + (1 / 3.0))), student.StandardError, 1e-12);
    }

    [Fact]
    public void Pooled_OneRunAgainstSeveral_UsesTheSeveralRunsSpread()
    {
        double[] baseline = [10, 11, 12, 13];
        double[] candidate = [20];

        var student = StudentDifference.Pooled(baseline, candidate);

        // s² = 5/3 from the baseline alone (3 df); SE = s·√(1/4 + 1/1).
        Assert.Equal(3, student.DegreesOfFreedom);
        Assert.Equal(Math.Sqrt(5 / 3.0 * 1.25), student.StandardError, 1e-12);
    }

    [Fact]
    public void Bounds_ZeroStandardError_CollapseOnTheEstimate()
    {
        var exact = new StudentEstimate(0.1, 0, 5);

        Assert.Equal((0.1, 0.1), exact.Bounds(0.01));
        Assert.Equal(0, exact.PValueGreater());
        Assert.Equal(1, exact.PValueLess());
    }
}
