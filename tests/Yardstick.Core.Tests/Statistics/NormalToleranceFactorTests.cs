using Yardstick.Core.Statistics;

namespace Yardstick.Core.Tests.Statistics;

public sealed class NormalToleranceFactorTests
{
    // One-sided normal tolerance factors from the standard tables (Natrella, Experimental Statistics, NBS Handbook 91,
    // Table A-7; reproduced in the NIST/SEMATECH e-Handbook §7.2.6.3), given to three decimals.
    [Theory]
    [InlineData(10, 0.95, 0.95, 2.911)]
    [InlineData(20, 0.95, 0.95, 2.396)]
    [InlineData(30, 0.95, 0.95, 2.220)]
    [InlineData(10, 0.90, 0.95, 2.355)]
    [InlineData(20, 0.99, 0.95, 3.295)]
    public void OneSided_TableValues_MatchToThreeDecimals(int n, double coverage, double confidence, double expected)
    {
        Assert.Equal(expected, NormalToleranceFactor.OneSided(n, coverage, confidence), 0.002);
    }

    [Fact]
    public void OneSided_MoreObservations_ApproachTheNormalQuantile()
    {
        var few = NormalToleranceFactor.OneSided(5, 0.99, 0.90);
        var many = NormalToleranceFactor.OneSided(1000, 0.99, 0.90);

        Assert.True(few > many, $"{few} should exceed {many}");
        Assert.InRange(many, 2.3263, 2.45);
    }
}
