using Yardstick.Core.Cost;

namespace Yardstick.Core.Tests.Cost;

public sealed class ParetoFrontTests
{
    private static IReadOnlyList<bool> Mark(params (double Cost, double P95)[] points) =>
        ParetoFront.Mark(points.Select(p => (IReadOnlyList<double>)[p.Cost, p.P95]).ToList());

    [Fact]
    public void Mark_TradeOffCurveWithDominatedPoints_MarksOnlyTheCurve()
    {
        // (1, 50), (2, 30), (4, 10) trade cost for speed; (3, 40) is beaten by (2, 30) and (5, 10) by (4, 10).
        var front = Mark((1, 50), (3, 40), (2, 30), (4, 10), (5, 10));

        Assert.Equal([true, false, true, true, false], front);
    }

    [Fact]
    public void Mark_SinglePoint_IsOnTheFront()
    {
        Assert.Equal([true], Mark((7, 70)));
    }

    [Fact]
    public void Mark_NoPoints_IsEmpty()
    {
        Assert.Empty(ParetoFront.Mark([]));
    }

    [Fact]
    public void Mark_AllPointsEqual_AreAllOnTheFront()
    {
        Assert.Equal([true, true, true], Mark((2, 20), (2, 20), (2, 20)));
    }

    [Fact]
    public void Mark_TieOnOneObjective_TheBetterOnTheOtherDominates()
    {
        // Equal cost (a Consumption bill below the 100 ms minimum): only the faster one is on the front.
        Assert.Equal([false, true, false], Mark((2, 30), (2, 10), (2, 20)));
    }

    [Fact]
    public void Mark_CostsEqualUpToRounding_CountAsATie()
    {
        // 41 × c ÷ 41 and 40 × c ÷ 40 can differ in the last bit; that must not put the slower variant on the front.
        const double perRequest = 2.0e-7 + 1.6e-6 * 0.125 * 0.1;
        var slowerButCheaperByRounding = (perRequest * (1 - 1e-15), 31.0);
        var front = Mark(slowerButCheaperByRounding, (perRequest, 1.2));

        Assert.Equal([false, true], front);
    }

    [Fact]
    public void Mark_NonFinitePoint_IsNeitherOnTheFrontNorDominating()
    {
        var front = ParetoFront.Mark([[double.NaN, 1.0], [5.0, 50.0], [6.0, double.PositiveInfinity]]);

        Assert.Equal([false, true, false], front);
    }

    [Fact]
    public void Mark_PointsOfDifferentDimensions_Throws()
    {
        Assert.Throws<ArgumentException>(() => ParetoFront.Mark([[1.0, 2.0], [1.0]]));
    }

    [Theory]
    [InlineData(1, 1, 2, 2, true)]
    [InlineData(1, 2, 1, 2, false)]
    [InlineData(1, 3, 2, 2, false)]
    [InlineData(1, 2, 1, 3, true)]
    [InlineData(2, 2, 1, 1, false)]
    public void Dominates_TwoObjectives_FollowsTheDefinition(double a1, double a2, double b1, double b2, bool expected)
    {
        Assert.Equal(expected, ParetoFront.Dominates([a1, a2], [b1, b2]));
    }

    [Fact]
    public void Mark_ThreeObjectives_UsesEveryObjective()
    {
        // The third point is worse on the first two but the only one without errors.
        var front = ParetoFront.Mark([[1.0, 10.0, 0.02], [1.0, 12.0, 0.02], [3.0, 30.0, 0.0]]);

        Assert.Equal([true, false, true], front);
    }
}
