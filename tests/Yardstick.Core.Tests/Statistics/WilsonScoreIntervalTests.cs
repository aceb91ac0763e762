using Yardstick.Core.Statistics;

namespace Yardstick.Core.Tests.Statistics;

public sealed class WilsonScoreIntervalTests
{
    // Newcombe RG (1998a), "Two-sided confidence intervals for the single proportion: comparison of seven methods",
    // Statistics in Medicine 17:857-872, Table I, method 3 (Wilson score, no continuity correction), 95 %.
    // The paper prints four decimals, hence the tolerance of half a unit in the fourth decimal.
    [Theory]
    [InlineData(81, 263, 0.2553, 0.3662)]
    [InlineData(15, 148, 0.0624, 0.1605)]
    [InlineData(0, 20, 0.0000, 0.1611)]
    [InlineData(1, 29, 0.0061, 0.1718)]
    public void Compute_NewcombeTableOneExamples_MatchPublishedBounds(int successes, int trials, double lower, double upper)
    {
        var interval = WilsonScoreInterval.Compute(successes, trials, 0.95);

        Assert.Equal(lower, interval.Lower, 0.00005);
        Assert.Equal(upper, interval.Upper, 0.00005);
        Assert.Equal((double)successes / trials, interval.Estimate, 1e-12);
    }

    [Fact]
    public void Compute_ZeroSuccesses_LowerBoundIsExactlyZero()
    {
        var interval = WilsonScoreInterval.Compute(0, 1000, 0.99);

        Assert.Equal(0, interval.Lower);
        Assert.True(interval.Upper > 0);
    }

    [Fact]
    public void Compute_HigherLevel_GivesWiderInterval()
    {
        var narrow = WilsonScoreInterval.Compute(30, 1000, 0.90);
        var wide = WilsonScoreInterval.Compute(30, 1000, 0.99);

        Assert.True(wide.Lower < narrow.Lower && wide.Upper > narrow.Upper);
    }

    [Fact]
    public void Compute_MoreSuccessesThanTrials_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => WilsonScoreInterval.Compute(11, 10, 0.95));
    }
}
