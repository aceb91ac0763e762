namespace Yardstick.Core.Cost;

/// <summary>
/// The Pareto front of points whose objectives are all minimized (cost per request, p95 latency, error rate…): a point
/// is on the front when no other point is at least as good on every objective and strictly better on one.
/// </summary>
/// <remarks>
/// Values equal within a relative <see cref="RelativeTolerance"/> count as ties, so two bills that are the same up to
/// floating-point rounding (total ÷ requests for different request counts) do not let the last digit decide. Tied
/// points do not dominate each other: identical points are all on the front. A point with a non-finite objective (no
/// measurement) is never on the front and dominates nothing.
/// </remarks>
public static class ParetoFront
{
    /// <summary>Relative difference below which two objective values are treated as equal.</summary>
    public const double RelativeTolerance = 1e-9;

    /// <summary>For each point, whether it is on the front. Every point must have the same number of objectives.</summary>
    /// <exception cref="ArgumentException">Points have different numbers of objectives, or none.</exception>
    public static IReadOnlyList<bool> Mark(IReadOnlyList<IReadOnlyList<double>> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count == 0)
        {
            return [];
        }

        var dimensions = points[0].Count;
        if (dimensions == 0 || points.Any(p => p.Count != dimensions))
        {
            throw new ArgumentException("every point needs the same, non-zero number of objectives", nameof(points));
        }

        var onFront = new bool[points.Count];
        for (var i = 0; i < points.Count; i++)
        {
            onFront[i] = IsFinite(points[i]) && !points.Where((other, j) => j != i && Dominates(other, points[i])).Any();
        }

        return onFront;
    }

    /// <summary>
    /// Whether <paramref name="a"/> dominates <paramref name="b"/>: no worse on every objective and better on at least
    /// one (lower is better; ties within <see cref="RelativeTolerance"/>). A point with a non-finite value dominates nothing.
    /// </summary>
    public static bool Dominates(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Count != b.Count || !IsFinite(a))
        {
            return false;
        }

        var strictlyBetter = false;
        for (var k = 0; k < a.Count; k++)
        {
            if (!double.IsFinite(b[k]))
            {
                // Anything measured beats "not measured" on that objective.
                strictlyBetter = true;
                continue;
            }

            var order = Compare(a[k], b[k]);
            if (order > 0)
            {
                return false;
            }

            strictlyBetter |= order < 0;
        }

        return strictlyBetter;
    }

    /// <summary>-1, 0 or 1 comparing two values, with ties within <see cref="RelativeTolerance"/>.</summary>
    public static int Compare(double a, double b)
    {
        var scale = Math.Max(Math.Abs(a), Math.Abs(b));
        if (Math.Abs(a - b) <= RelativeTolerance * scale)
        {
            return 0;
        }

        return a < b ? -1 : 1;
    }

    private static bool IsFinite(IReadOnlyList<double> point) => point.All(double.IsFinite);
}
