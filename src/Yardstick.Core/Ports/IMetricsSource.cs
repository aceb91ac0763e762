namespace Yardstick.Core.Ports;

/// <summary>
/// Platform metrics of a target resource (Azure Monitor for function apps). Implemented in Yardstick.Azure.
/// </summary>
public interface IMetricsSource
{
    /// <summary>
    /// Σ of the <c>Total</c> aggregation of each metric over [<paramref name="from"/>, <paramref name="to"/>) (all time
    /// grains and dimension values). Metrics the platform reports an error for are listed in <see cref="MetricTotals.Errors"/>.
    /// </summary>
    Task<MetricTotals> GetTotalsAsync(string resourceId, IReadOnlyList<string> metricNames, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);
}

/// <summary>Summed metric values, with per-metric errors kept apart.</summary>
public sealed record MetricTotals
{
    /// <summary>Metric name → Σ total. A metric with no data points is present with 0.</summary>
    public IReadOnlyDictionary<string, double> Totals { get; init; } = new Dictionary<string, double>();

    /// <summary>Metric name → the error code and message the platform returned for it.</summary>
    public IReadOnlyDictionary<string, string> Errors { get; init; } = new Dictionary<string, string>();
}
