namespace Yardstick.Core.Statistics.ChangePoints;

/// <summary>How large a change point's shift is, from the segments on either side of it.</summary>
/// <param name="BeforeMedian">Median of the segment before the change (from the previous change point).</param>
/// <param name="AfterMedian">Median of the segment after it (to the next change point).</param>
/// <param name="Change">Relative change after/before − 1 (a Hodges–Lehmann shift of the logarithms), or, when <paramref name="Relative"/> is false, the shift itself.</param>
/// <param name="CiLow">Lower bound of the change's interval (same scale), or null when the segments are too short for it.</param>
/// <param name="CiHigh">Upper bound, or null.</param>
/// <param name="ConfidenceLevel">Two-sided coverage of the interval (Mann–Whitney inversion).</param>
/// <param name="PointsBefore">Points in the segment before.</param>
/// <param name="PointsAfter">Points in the segment after.</param>
/// <param name="Relative">True for a relative change (every value positive), false for an absolute one (a series with zeros, such as error rates).</param>
public sealed record ChangeMagnitude(
    double BeforeMedian,
    double AfterMedian,
    double Change,
    double? CiLow,
    double? CiHigh,
    double ConfidenceLevel,
    int PointsBefore,
    int PointsAfter,
    bool Relative)
{
    /// <summary>Two-sided confidence of the intervals.</summary>
    public const double DefaultConfidence = 0.95;

    /// <summary>The magnitude of the change point at <paramref name="index"/>, between its neighbours in <paramref name="changePoints"/>.</summary>
    /// <param name="series">The series the change points were found in.</param>
    /// <param name="changePoints">Every change point index of the series (any order).</param>
    /// <param name="index">The change point described (first index after the change).</param>
    public static ChangeMagnitude Of(IReadOnlyList<double> series, IReadOnlyList<int> changePoints, int index)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(changePoints);
        var previous = changePoints.Where(c => c < index).DefaultIfEmpty(0).Max();
        var next = changePoints.Where(c => c > index).DefaultIfEmpty(series.Count).Min();
        var before = series.Skip(previous).Take(index - previous).ToArray();
        var after = series.Skip(index).Take(next - index).ToArray();
        if (before.Length == 0 || after.Length == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, "A change point needs points on both sides.");
        }

        var relative = before.All(v => v > 0) && after.All(v => v > 0);
        var x = relative ? before.Select(v => Math.Log(v)).ToArray() : before;
        var y = relative ? after.Select(v => Math.Log(v)).ToArray() : after;
        var shift = HodgesLehmannShiftInterval.Estimate(x, y);
        var (low, high) = HodgesLehmannShiftInterval.Bounds(x, y, (1 - DefaultConfidence) / 2);
        double? Map(double v) => !double.IsFinite(v) ? null : relative ? Math.Exp(v) - 1 : v;
        return new ChangeMagnitude(Median(before), Median(after), Map(shift) ?? 0, Map(low), Map(high), DefaultConfidence, before.Length, after.Length, relative);
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
