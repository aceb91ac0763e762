using Yardstick.Core.Statistics;

namespace Yardstick.Core.Tests.Statistics;

public sealed class HolmCorrectionTests
{
    // Four hypotheses with p = 0.01, 0.04, 0.03, 0.005 (the worked example of the Wikipedia article
    // "Holm–Bonferroni method"). Adjusted values by R's definition p.adjust(p, "holm") =
    // pmin(1, cummax((n - i + 1) * p[o]))[order]: 0.005·4 = 0.02, 0.01·3 = 0.03, 0.03·2 = 0.06, max(0.06, 0.04) = 0.06.
    private static readonly double[] PValues = [0.01, 0.04, 0.03, 0.005];

    [Fact]
    public void AdjustPValues_WorkedExample_MatchesRDefinition()
    {
        var adjusted = HolmCorrection.AdjustPValues(PValues);

        Assert.Equal([0.03, 0.06, 0.06, 0.02], adjusted.Select(p => Math.Round(p, 12)));
    }

    [Fact]
    public void Steps_WorkedExampleAtFivePercent_RejectsTwoThenStops()
    {
        // α = 0.05: 0.005 ≤ 0.05/4 and 0.01 ≤ 0.05/3 are rejected; 0.03 > 0.05/2 stops the procedure, and 0.04 keeps
        // the stopping step's level although 0.04 ≤ 0.05/1.
        var steps = HolmCorrection.Steps(PValues, 0.05);

        Assert.Equal([2, 4, 3, 1], steps.Select(s => s.Step));
        Assert.Equal([true, false, false, true], steps.Select(s => s.Rejected));
        Assert.Equal(0.05 / 4, steps[3].Level, 1e-15);
        Assert.Equal(0.05 / 3, steps[0].Level, 1e-15);
        Assert.Equal(0.05 / 2, steps[2].Level, 1e-15);
        Assert.Equal(0.05 / 2, steps[1].Level, 1e-15);
    }

    [Fact]
    public void Steps_AgreeWithAdjustedPValues()
    {
        var adjusted = HolmCorrection.AdjustPValues(PValues);
        foreach (var alpha in new[] { 0.01, 0.025, 0.05, 0.1 })
        {
            var steps = HolmCorrection.Steps(PValues, alpha);
            Assert.Equal(adjusted.Select(p => p <= alpha), steps.Select(s => s.Rejected));
        }
    }

    [Fact]
    public void AdjustPValues_LargeValues_CapAtOne()
    {
        Assert.Equal([1.0, 1.0], HolmCorrection.AdjustPValues([0.6, 0.9]));
    }
}
