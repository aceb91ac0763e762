namespace Yardstick.Core.Summaries;

/// <summary>The <c>slo</c> section of <c>summary.json</c>: how far the run attained each objective of the workload's <c>slo:</c>.</summary>
public sealed record SloSummary
{
    /// <summary>The error budget window, in days.</summary>
    public double WindowDays { get; init; }

    public IReadOnlyList<SloObjectiveResult> Objectives { get; init; } = [];
}

/// <summary>One objective in one run.</summary>
public sealed record SloObjectiveResult
{
    /// <summary><c>availability</c> or <c>latency &lt;= 300ms</c>.</summary>
    public required string Objective { get; init; }

    /// <summary><c>availability</c> or <c>latency</c>.</summary>
    public required string Sli { get; init; }

    /// <summary>Latency objectives: the threshold, ms.</summary>
    public double? ThresholdMs { get; init; }

    /// <summary>Required share of good requests (0.999 = 99.9 %).</summary>
    public double Target { get; init; }

    /// <summary>Good requests: successes, or responses within the threshold.</summary>
    public long Good { get; init; }

    public long Total { get; init; }

    /// <summary>Good ÷ total; null when the run sent nothing.</summary>
    public double? Attainment { get; init; }

    /// <summary>
    /// How fast the run spent error budget: (1 − attainment) ÷ (1 − target). 1 spends exactly the budget over the
    /// window; 2 would exhaust it in half the window; 0 spends none.
    /// </summary>
    public double? BurnRate { get; init; }

    /// <summary>Attainment at or above the target.</summary>
    public bool Met { get; init; }
}
