namespace Yardstick.Core.Statistics.ChangePoints;

/// <summary>One change point found by <see cref="EDivisiveMeans"/>.</summary>
/// <param name="Index">Index of the first point after the change (0-based in the series).</param>
/// <param name="Statistic">The divergence Q̂ of the split (Matteson &amp; James 2014, eq. 7), in the series' units^α.</param>
/// <param name="PValue">Permutation p-value when it was accepted: (1 + exceedances) / (R + 1).</param>
public sealed record DetectedChangePoint(int Index, double Statistic, double PValue);

/// <summary>What a detection found and which part of the series it (re)tested.</summary>
/// <param name="ChangePoints">Every change point of the series, in index order (the settled ones first).</param>
/// <param name="TestedFrom">Index where testing started: 0 for a full detection; later for an incremental one, whose earlier change points were kept as they were.</param>
/// <param name="Length">Length of the series.</param>
/// <param name="Permutations">Permutations drawn in all (what the detection cost; incremental detections draw far fewer).</param>
public sealed record ChangePointDetection(IReadOnlyList<DetectedChangePoint> ChangePoints, int TestedFrom, int Length, long Permutations);
