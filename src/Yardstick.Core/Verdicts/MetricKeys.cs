namespace Yardstick.Core.Verdicts;

/// <summary>Which way a metric gets worse.</summary>
public enum MetricDirection
{
    /// <summary>Latency, error rate, cold start, cost.</summary>
    HigherIsWorse,

    /// <summary>Throughput.</summary>
    LowerIsWorse,
}

/// <summary>The scale a comparison is made on.</summary>
public enum IntervalScale
{
    /// <summary>candidate / baseline; intervals are ratios and the margin is relative.</summary>
    Ratio,

    /// <summary>candidate - baseline; intervals are differences and the margin is absolute (error rates).</summary>
    Difference,
}

/// <summary>The metrics the verdict engine compares, with their direction and units.</summary>
public static class MetricKeys
{
    public const string P50 = "p50";
    public const string P90 = "p90";
    public const string P95 = "p95";
    public const string P99 = "p99";
    public const string ErrorRate = "errorRate";
    public const string Throughput = "throughput";
    public const string ColdStartP50 = "coldStartP50";
    public const string CostPerRequest = "costPerRequest";

    /// <summary>Optional run-level count used for error rates when a run carries no windows.</summary>
    public const string Requests = "requests";

    /// <summary>Optional run-level count used for error rates when a run carries no windows.</summary>
    public const string Errors = "errors";

    /// <summary>Every metric a verdict can be asked for.</summary>
    public static IReadOnlyList<string> Comparable { get; } =
        [P50, P90, P95, P99, ErrorRate, Throughput, ColdStartP50, CostPerRequest];

    public static bool IsComparable(string metric) => Comparable.Contains(metric, StringComparer.Ordinal);

    public static MetricDirection Direction(string metric) =>
        metric == Throughput ? MetricDirection.LowerIsWorse : MetricDirection.HigherIsWorse;

    public static IntervalScale Scale(string metric) =>
        metric == ErrorRate ? IntervalScale.Difference : IntervalScale.Ratio;

    /// <summary>The quantile probability of a latency percentile metric, or null.</summary>
    public static double? LatencyProbability(string metric) => metric switch
    {
        P50 => 0.50,
        P90 => 0.90,
        P95 => 0.95,
        P99 => 0.99,
        _ => null,
    };

    /// <summary>Whether the engine can recompute the metric from per-second windows.</summary>
    public static bool DerivableFromWindows(string metric) =>
        LatencyProbability(metric) is not null || metric is ErrorRate or Throughput;
}
