namespace Yardstick.Core.Trends;

/// <summary>
/// A workload's trend: what <c>yardstick trend --json</c> prints and <c>GET /api/workloads/{name}/trend</c> answers.
/// The shape is documented in the README (Trends); fields are only ever added, and <see cref="SchemaVersion"/> changes
/// when one changes meaning.
/// </summary>
public sealed record TrendReport
{
    public const int CurrentSchemaVersion = 1;

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    public required string Workload { get; init; }

    /// <summary>Start of the window (now − days).</summary>
    public required DateTimeOffset From { get; init; }

    /// <summary>End of the window (when the trend was read).</summary>
    public required DateTimeOffset To { get; init; }

    public required int Days { get; init; }

    /// <summary>The settings-hash prefix runs were filtered by, or null.</summary>
    public string? SettingsHash { get; init; }

    /// <summary>Runs read from the Runs table (every status).</summary>
    public int RunsRead { get; init; }

    /// <summary>True when the window held more runs than a trend reads (<see cref="Core.Runs.RunWindow.MaxRuns"/>): the oldest were left out.</summary>
    public bool Truncated { get; init; }

    /// <summary>Every run of the window, oldest first, with what the trend marks on it.</summary>
    public IReadOnlyList<TrendRun> Runs { get; init; } = [];

    /// <summary>One series per settings key and metric (a sweep has one settings key per value).</summary>
    public IReadOnlyList<TrendSeries> Series { get; init; } = [];

    /// <summary>Baseline promotions of the workload made inside the window, oldest first.</summary>
    public IReadOnlyList<TrendPromotion> Promotions { get; init; } = [];

    /// <summary>Runs whose settings hash or workload version differs from the run before them of the same settings key.</summary>
    public IReadOnlyList<TrendRun> WorkloadChanges { get; init; } = [];
}

/// <summary>One run as a trend shows it.</summary>
/// <param name="RunId">The run.</param>
/// <param name="At">When it was created (UTC).</param>
/// <param name="Status"><c>completed</c>, <c>degraded</c>, <c>failed</c>, <c>running</c>…</param>
/// <param name="Verdict">The run's overall verdict, when analysed (<c>regression</c>, <c>equivalent</c>…).</param>
/// <param name="SettingsKey">Settings variant (<c>default</c> or a sweep value).</param>
/// <param name="SettingsHash">Settings hash of the run.</param>
/// <param name="WorkloadVersion">Registered workload version it ran, when it ran one.</param>
/// <param name="Drift">The metrics it confirmed a drift on (<c>p95,p99</c>), or null.</param>
public sealed record TrendRun(string RunId, DateTimeOffset At, string Status, string? Verdict, string SettingsKey, string SettingsHash, int? WorkloadVersion, string? Drift = null);

/// <summary>One metric of one settings key over time.</summary>
public sealed record TrendSeries
{
    public required string Metric { get; init; }

    public required string Unit { get; init; }

    public required bool HigherIsBetter { get; init; }

    public required string SettingsKey { get; init; }

    /// <summary>Completed and degraded runs that have the metric, oldest first (failed runs are in <see cref="TrendReport.Runs"/> only).</summary>
    public IReadOnlyList<TrendPoint> Points { get; init; } = [];

    /// <summary>Change points found by E-divisive means over the newest <see cref="TrendReader.MaxDetectionPoints"/> points.</summary>
    public IReadOnlyList<TrendChangePoint> ChangePoints { get; init; } = [];

    /// <summary>Index in <see cref="Points"/> where change-point detection started (0 unless the series is longer than detection reads).</summary>
    public int DetectedFrom { get; init; }

    /// <summary>Which way the metric moved at the newest change point: <c>up</c>, <c>down</c>, or <c>flat</c> when there is none.</summary>
    public string Direction { get; init; } = TrendDirections.Flat;

    /// <summary><c>worse</c>, <c>better</c> or <c>unchanged</c>: <see cref="Direction"/> read with <see cref="HigherIsBetter"/>.</summary>
    public string Assessment { get; init; } = TrendDirections.Unchanged;

    /// <summary>The newest value, or null when the series is empty.</summary>
    public double? Latest { get; init; }
}

/// <summary>One value of a series.</summary>
/// <param name="RunId">The run.</param>
/// <param name="At">When it was created.</param>
/// <param name="Value">The metric's value, in the series' unit.</param>
public sealed record TrendPoint(string RunId, DateTimeOffset At, double Value);

/// <summary>A detected change point: where a series shifted, by how much, and how sure.</summary>
/// <param name="RunId">First run after the change.</param>
/// <param name="At">When that run was created.</param>
/// <param name="Index">Its index in the series' points.</param>
/// <param name="Before">Median of the segment before.</param>
/// <param name="After">Median of the segment after.</param>
/// <param name="Change">Relative change after/before − 1 (Hodges–Lehmann) when <paramref name="Relative"/>, else the absolute shift.</param>
/// <param name="CiLow">Lower end of the change's 95 % interval, when the segments are long enough.</param>
/// <param name="CiHigh">Upper end, or null.</param>
/// <param name="Relative">Whether <paramref name="Change"/> is relative.</param>
/// <param name="PValue">Permutation p-value of the split.</param>
/// <param name="RunsBefore">Points in the segment before.</param>
/// <param name="RunsAfter">Points in the segment after.</param>
public sealed record TrendChangePoint(
    string RunId, DateTimeOffset At, int Index, double Before, double After, double Change, double? CiLow, double? CiHigh, bool Relative, double PValue, int RunsBefore, int RunsAfter);

/// <summary>A baseline promotion in the window.</summary>
/// <param name="SettingsKey">Settings variant it was promoted for.</param>
/// <param name="Environment">Environment tag, or null.</param>
/// <param name="RunIds">The promoted runs.</param>
/// <param name="Mode"><c>current</c> or <c>rolling(N)</c>.</param>
/// <param name="At">When it was promoted.</param>
/// <param name="PromotedBy">Who promoted it, when known.</param>
/// <param name="Reason">Why, when given.</param>
public sealed record TrendPromotion(string SettingsKey, string? Environment, IReadOnlyList<string> RunIds, string Mode, DateTimeOffset At, string? PromotedBy, string? Reason);

/// <summary>Values of <see cref="TrendSeries.Direction"/> and <see cref="TrendSeries.Assessment"/>.</summary>
public static class TrendDirections
{
    public const string Up = "up";
    public const string Down = "down";
    public const string Flat = "flat";
    public const string Worse = "worse";
    public const string Better = "better";
    public const string Unchanged = "unchanged";
}
