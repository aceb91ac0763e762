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

    /// <summary>
    /// Threshold-only: a fault run's slowest time to recover (ms), the largest over its faults; +∞ when a fault did not
    /// recover within the run (see <c>Faults.RecoveryAnalysis</c>).
    /// </summary>
    public const string RecoveryTime = "recoveryTime";

    /// <summary>Threshold-only: the response checks' pass rate (passed / run), over the run or one request's checks.</summary>
    public const string Checks = "checks";

    /// <summary>Optional run-level count used for error rates when a run carries no windows.</summary>
    public const string Requests = "requests";

    /// <summary>Optional run-level count used for error rates when a run carries no windows.</summary>
    public const string Errors = "errors";

    /// <summary>Every metric a verdict can be asked for (a named request's <see cref="PerRequest"/> metrics too, as <c>name.metric</c>).</summary>
    public static IReadOnlyList<string> Comparable { get; } =
        [P50, P90, P95, P99, ErrorRate, Throughput, ColdStartP50, CostPerRequest];

    /// <summary>The metrics a named request of a mix has of its own: <c>checkout.p95</c>, <c>checkout.errorRate</c>…</summary>
    public static IReadOnlyList<string> PerRequest { get; } = [P50, P90, P95, P99, ErrorRate, Throughput];

    public static bool IsComparable(string metric) => Split(metric) switch
    {
        (null, var m) => Comparable.Contains(m, StringComparer.Ordinal),
        (_, var m) => PerRequest.Contains(m, StringComparer.Ordinal),
    };

    /// <summary>
    /// A metric's request prefix and base metric: <c>checkout.p95</c> → (<c>checkout</c>, <c>p95</c>); <c>p95</c> →
    /// (null, <c>p95</c>). A prefix that looks like a percentile (<c>p99.9</c>) is no request name.
    /// </summary>
    public static (string? Request, string Metric) Split(string metric)
    {
        var dot = metric.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || dot == metric.Length - 1)
        {
            return (null, metric);
        }

        var prefix = metric.AsSpan(0, dot);
        var percentile = prefix.Length > 1 && prefix[0] == 'p' && !prefix[1..].ContainsAnyExceptInRange('0', '9');
        return percentile ? (null, metric) : (metric[..dot], metric[(dot + 1)..]);
    }

    /// <summary>The metric without its request prefix.</summary>
    public static string Base(string metric) => Split(metric).Metric;

    /// <summary>The name of a request's own metric: <c>checkout</c> + <c>p95</c> → <c>checkout.p95</c>.</summary>
    public static string ForRequest(string request, string metric) => request + "." + metric;

    public static MetricDirection Direction(string metric) =>
        Base(metric) == Throughput ? MetricDirection.LowerIsWorse : MetricDirection.HigherIsWorse;

    public static IntervalScale Scale(string metric) =>
        Base(metric) == ErrorRate ? IntervalScale.Difference : IntervalScale.Ratio;

    /// <summary>The quantile probability of a latency percentile metric, or null.</summary>
    public static double? LatencyProbability(string metric) => Base(metric) switch
    {
        P50 => 0.50,
        P90 => 0.90,
        P95 => 0.95,
        P99 => 0.99,
        _ => null,
    };

    /// <summary>Whether the engine can recompute the metric from per-second windows.</summary>
    public static bool DerivableFromWindows(string metric) =>
        LatencyProbability(metric) is not null || Base(metric) is ErrorRate or Throughput;
}
