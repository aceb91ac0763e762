using Yardstick.Core.Workloads;

namespace Yardstick.Core.Alerts;

/// <summary>A labelled number of the run (<c>p95</c> → <c>212.4 ms</c>), already formatted for people.</summary>
public sealed record AlertFact(string Name, string Value);

/// <summary>
/// What an alert says, whatever channel carries it: which run and condition, the verdict sentence, the numbers and the
/// links to the report. Holds no secret (built from the run's summary, never from channel settings).
/// </summary>
public sealed record AlertMessage
{
    public required string Workload { get; init; }

    public required string RunId { get; init; }

    public required AlertCondition Condition { get; init; }

    /// <summary>The run's status (<c>completed</c>, <c>degraded</c>, <c>failed</c>).</summary>
    public required string Status { get; init; }

    /// <summary>The overall verdict (<c>regression</c>…); null for a failed run.</summary>
    public string? Verdict { get; init; }

    /// <summary>The verdict's explanation, or why the run failed, or which thresholds broke.</summary>
    public required string Sentence { get; init; }

    public IReadOnlyList<AlertFact> Facts { get; init; } = [];

    public IReadOnlyList<string> FailedThresholds { get; init; } = [];

    /// <summary>The run's HTML report (a link when the artifacts are reachable over http(s)).</summary>
    public string? ReportUrl { get; init; }

    /// <summary>The run's artifact folder.</summary>
    public string? ArtifactsUrl { get; init; }

    /// <summary>The workload's trend on the app (<see cref="PublicUrl.TrendLink"/>); null when <c>YARDSTICK_PUBLIC_URL</c> is unset.</summary>
    public string? TrendUrl { get; init; }

    /// <summary>The run's report on the app (<see cref="PublicUrl.RunLink"/>); null when <c>YARDSTICK_PUBLIC_URL</c> is unset.</summary>
    public string? RunUrl { get; init; }

    /// <summary><c>regression</c>, <c>failed</c>, <c>threshold</c> or <c>drift</c>: the wire name of <see cref="Condition"/>.</summary>
    public string ConditionName => ConditionWireName(Condition);

    /// <summary>One line: <c>Yardstick: checkout-api regression (run 20261206-…)</c>.</summary>
    public string Title => $"Yardstick: {Workload} {Headline(Condition)} (run {RunId})";

    public static string ConditionWireName(AlertCondition condition) => condition switch
    {
        AlertCondition.Regression => "regression",
        AlertCondition.Failed => "failed",
        AlertCondition.Threshold => "threshold",
        AlertCondition.Drift => "drift",
        _ => throw new ArgumentOutOfRangeException(nameof(condition), condition, "Unknown alert condition."),
    };

    private static string Headline(AlertCondition condition) => condition switch
    {
        AlertCondition.Regression => "regressed",
        AlertCondition.Failed => "run failed",
        AlertCondition.Drift => "drifted",
        _ => "breached a threshold",
    };

    /// <summary>True when <paramref name="url"/> is an absolute http(s) URL a chat client can open.</summary>
    public static bool IsLink(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);
}
