namespace Yardstick.Core.Summaries;

/// <summary>
/// The <c>verdict.drift</c> section of <c>summary.json</c>: gated metrics whose nightly series gained a new change point
/// with this run (<see cref="Trends.DriftCheck"/>) — a sustained shift for the worse, beyond the equivalence margin,
/// whatever the comparison with the baseline said (a slow creep is <c>equivalent</c> night after night).
/// </summary>
public sealed record DriftSummary
{
    /// <summary>One sentence per drifting metric.</summary>
    public required string Explanation { get; init; }

    public IReadOnlyList<DriftMetricSummary> Metrics { get; init; } = [];

    /// <summary>Runs of the series examined (this one included).</summary>
    public int RunsExamined { get; init; }
}

/// <summary>One drifting metric: the change point this run confirmed.</summary>
/// <param name="Metric">Trend metric name (<c>p95</c>, <c>errorRate</c>…).</param>
/// <param name="ChangeRunId">First run after the change.</param>
/// <param name="ChangeAt">When that run was created.</param>
/// <param name="Before">Median of the segment before the change.</param>
/// <param name="After">Median of the segment after it (ending with this run).</param>
/// <param name="Change">Relative change after/before − 1 when <paramref name="Relative"/>, else the absolute shift.</param>
/// <param name="CiLow">Lower end of the change's 95 % interval, or null.</param>
/// <param name="CiHigh">Upper end, or null.</param>
/// <param name="Relative">Whether <paramref name="Change"/> is relative.</param>
/// <param name="PValue">Permutation p-value of the split.</param>
/// <param name="RunsBefore">Runs in the segment before.</param>
/// <param name="RunsAfter">Runs in the segment after (the change has held this many runs).</param>
public sealed record DriftMetricSummary(
    string Metric, string ChangeRunId, DateTimeOffset ChangeAt, double Before, double After, double Change, double? CiLow, double? CiHigh, bool Relative, double PValue, int RunsBefore, int RunsAfter)
{
    /// <summary>
    /// Change points the drift spans: 1 for one shift; more for a creep, whose consecutive steps for the worse were each
    /// inside the margin until this one carried the whole beyond it (then <see cref="Before"/> is the level before the
    /// first step, <see cref="Change"/> the change since, and there is no interval).
    /// </summary>
    public int Steps { get; init; } = 1;
}
