using Yardstick.Core.Statistics;

namespace Yardstick.Core.Tests.Statistics;

public sealed class NewcombeDifferenceIntervalTests
{
    // Newcombe RG (1998b), "Interval estimation for the difference between independent proportions: comparison of
    // eleven methods", Statistics in Medicine 17:873-890, Table II, method 10 (hybrid score, no continuity
    // correction), 95 %. Four printed decimals, hence the tolerance.
    [Theory]
    [InlineData(56, 70, 48, 80, 0.0524, 0.3339)]
    [InlineData(9, 10, 3, 10, 0.1705, 0.8090)]
    [InlineData(5, 56, 0, 29, -0.0381, 0.1926)]
    [InlineData(0, 10, 0, 20, -0.1611, 0.2775)]
    [InlineData(0, 10, 0, 10, -0.2775, 0.2775)]
    public void Compute_NewcombeTableTwoExamples_MatchPublishedBounds(int x1, int n1, int x2, int n2, double lower, double upper)
    {
        var interval = NewcombeDifferenceInterval.Compute(x1, n1, x2, n2, 0.95);

        Assert.Equal(lower, interval.Lower, 0.00005);
        Assert.Equal(upper, interval.Upper, 0.00005);
    }

    [Fact]
    public void PValueGreater_AtItsOwnLevel_PutsTheLowerBoundOnZero()
    {
        var p = NewcombeDifferenceInterval.PValueGreater(56, 70, 48, 80);
        var z = MathNet.Numerics.Distributions.Normal.InvCDF(0, 1, 1 - p);

        var (lower, _) = NewcombeDifferenceInterval.Bounds(56, 70, 48, 80, z);

        Assert.InRange(p, 0.001, 0.01);
        Assert.Equal(0, lower, 1e-8);
    }

    [Fact]
    public void PValues_NoDifference_AreOneHalf()
    {
        Assert.Equal(0.5, NewcombeDifferenceInterval.PValueGreater(0, 100, 0, 100));
        Assert.Equal(0.5, NewcombeDifferenceInterval.PValueLess(0, 100, 0, 100));
    }
}
