using Yardstick.Core.Runs;

namespace Yardstick.Core.Trends;

/// <summary>
/// A headline metric a trend can show: its name (as in <c>--metric</c> and <c>?metric=</c>), unit, which way is better,
/// and how to read it from a <c>Runs</c> row. Only metrics every run row stores are offered, so a trend never opens blobs.
/// </summary>
/// <param name="Name">Name used on the command line, in the API and in the JSON.</param>
/// <param name="Unit">Unit of the values: <c>ms</c>, <c>fraction</c>, <c>req/s</c>, <c>USD</c>.</param>
/// <param name="HigherIsBetter">True for throughput; false for latency, error rate and cost.</param>
/// <param name="Read">The run's value, or null when the row does not have it (no cold-start probes, no cost section).</param>
public sealed record TrendMetric(string Name, string Unit, bool HigherIsBetter, Func<RunRecord, double?> Read)
{
    public static readonly TrendMetric P50 = new("p50", "ms", false, r => r.P50Ms);
    public static readonly TrendMetric P95 = new("p95", "ms", false, r => r.P95Ms);
    public static readonly TrendMetric P99 = new("p99", "ms", false, r => r.P99Ms);
    public static readonly TrendMetric ErrorRate = new("errorRate", "fraction", false, r => r.Requests > 0 ? r.ErrorRate : null);
    public static readonly TrendMetric Throughput = new("throughput", "req/s", true, r => r.Requests > 0 ? r.ThroughputRps : null);
    public static readonly TrendMetric ColdStartP50 = new("coldStartP50", "ms", false, r => r.ColdStartP50Ms);
    public static readonly TrendMetric CostPer1M = new("costPer1M", "USD", false, r => r.CostPer1MUsd);

    /// <summary>Every metric, in the order trends show them.</summary>
    public static IReadOnlyList<TrendMetric> All { get; } = [P50, P95, P99, ErrorRate, Throughput, ColdStartP50, CostPer1M];

    /// <summary>
    /// The metrics <paramref name="text"/> names: one name (case-insensitive), or null/empty/<c>all</c> for every metric;
    /// otherwise an <see cref="InputException"/> naming <paramref name="field"/> and listing the names.
    /// </summary>
    public static IReadOnlyList<TrendMetric> Parse(string? text, string field)
    {
        if (string.IsNullOrEmpty(text) || text.Equals("all", StringComparison.OrdinalIgnoreCase))
        {
            return All;
        }

        return All.FirstOrDefault(m => m.Name.Equals(text, StringComparison.OrdinalIgnoreCase)) is { } metric
            ? [metric]
            : throw new InputException(field, $"'{Clip(text)}' is not a trend metric; use one of {string.Join(", ", All.Select(m => m.Name))} or all.");
    }

    private static string Clip(string value)
    {
        var clean = new string(value.Where(c => !char.IsControl(c)).Take(41).ToArray());
        return clean.Length > 40 ? clean[..40] + "…" : clean;
    }
}
