namespace Yardstick.Core.Statistics;

/// <summary>One hypothesis in Holm's step-down order.</summary>
/// <param name="Index">Position of the hypothesis in the caller's list.</param>
/// <param name="Step">1-based step in ascending p-value order.</param>
/// <param name="PValue">The unadjusted p-value.</param>
/// <param name="Level">Significance level the hypothesis is tested at: α/(k - step + 1), frozen after the first non-rejection.</param>
/// <param name="Rejected">Whether Holm's procedure rejects it.</param>
public sealed record HolmStep(int Index, int Step, double PValue, double Level, bool Rejected);

/// <summary>
/// Holm's (1979) step-down correction: controls the family-wise error rate at α for any dependence between tests and is
/// uniformly more powerful than Bonferroni.
/// </summary>
public static class HolmCorrection
{
    /// <summary>Holm-adjusted p-values, as R's <c>p.adjust(p, method = "holm")</c>.</summary>
    public static double[] AdjustPValues(IReadOnlyList<double> pValues)
    {
        var k = pValues.Count;
        var order = Enumerable.Range(0, k).OrderBy(i => pValues[i]).ThenBy(i => i).ToArray();
        var adjusted = new double[k];
        var runningMax = 0.0;
        for (var step = 0; step < k; step++)
        {
            var i = order[step];
            runningMax = Math.Max(runningMax, Math.Min(1, (k - step) * pValues[i]));
            adjusted[i] = runningMax;
        }

        return adjusted;
    }

    /// <summary>
    /// The level each hypothesis is tested at. Hypotheses after the first non-rejection keep that step's level, so a
    /// confidence interval built at the level agrees with the step-down decision (it cannot exclude the null either).
    /// </summary>
    public static IReadOnlyList<HolmStep> Steps(IReadOnlyList<double> pValues, double alpha)
    {
        if (!(alpha > 0 && alpha < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "α must lie in (0, 1).");
        }

        var k = pValues.Count;
        var order = Enumerable.Range(0, k).OrderBy(i => pValues[i]).ThenBy(i => i).ToArray();
        var steps = new HolmStep[k];
        var stopped = false;
        var level = alpha / k;
        for (var step = 0; step < k; step++)
        {
            var i = order[step];
            if (!stopped)
            {
                level = alpha / (k - step);
            }

            var rejected = !stopped && pValues[i] <= level;
            stopped |= !rejected;
            steps[i] = new HolmStep(i, step + 1, pValues[i], level, rejected);
        }

        return steps;
    }
}
