using Yardstick.Core.ServerMetrics;
using Yardstick.Core.Workloads;

namespace Yardstick.Azure.Metrics;

/// <summary>
/// The server's side of an Azure target's timeline from Azure Monitor platform metrics at their finest grain (PT1M):
/// the Flex Consumption metrics named in AZURE-FACTS §2, read in one ARM metrics call after the run and mapped into a
/// <see cref="ServerMetricSet"/> (<c>source: azure-monitor</c>, <c>intervalSeconds: 60</c>, the ingestion delay stated).
/// </summary>
public static class MonitorServerMetrics
{
    /// <summary>Azure Monitor's finest grain for these metrics.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Metric → series on Flex Consumption: the aggregation read, the series name, its unit and the divisor into it.
    /// Dimensions (the <c>Instance</c> split, when the service returns one) are summed per minute, except CPU, which is
    /// averaged. Names and plans from the Microsoft.Web/sites supported-metrics table (AZURE-FACTS §2).
    /// </summary>
    public static IReadOnlyList<(string Metric, MetricAggregation Aggregation, string Series, string Unit, double Divisor)> Map { get; } =
    [
        ("InstanceCount", MetricAggregation.Average, ServerMetricSeries.InstanceCount, "count", 1),
        ("CpuPercentage", MetricAggregation.Average, ServerMetricSeries.InstanceCpuPercent, "%", 1),
        ("MemoryWorkingSet", MetricAggregation.Average, ServerMetricSeries.MemoryWorkingSetMB, "MB", 1024 * 1024),
        ("Http5xx", MetricAggregation.Total, ServerMetricSeries.Http5xx, "count", 1),
    ];

    /// <summary>
    /// The metrics read for <paramref name="plan"/>: all of <see cref="Map"/> on Flex; elsewhere all but
    /// <c>CpuPercentage</c>, which the docs list "for Flex Consumption function apps only".
    /// </summary>
    public static IReadOnlyList<(string Metric, MetricAggregation Aggregation, string Series, string Unit, double Divisor)> For(HostingPlan plan) =>
        IsFlex(plan) ? Map : Map.Where(m => m.Metric != "CpuPercentage").ToList();

    /// <summary>
    /// Reads <see cref="For"/>'s metrics for <paramref name="resourceId"/> over the window widened to whole minutes and
    /// builds the set; a metric the service reports an error for becomes a note, never a failure.
    /// </summary>
    /// <param name="client">The ARM metrics client.</param>
    /// <param name="resourceId">The function app (<c>target.azure.resourceId</c>).</param>
    /// <param name="plan">Its hosting plan (which metrics exist).</param>
    /// <param name="from">Start of the measured window.</param>
    /// <param name="to">End of the measured window.</param>
    /// <param name="readAt">Now, from the caller's clock (the ingestion delay is measured from the window's end to it).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public static async Task<ServerMetricSet> ReadAsync(
        MonitorMetricsClient client, string resourceId, HostingPlan plan, DateTimeOffset from, DateTimeOffset to, DateTimeOffset readAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var minute = Interval.Ticks;
        var start = new DateTimeOffset(from.UtcTicks / minute * minute, TimeSpan.Zero);
        var end = new DateTimeOffset(Math.Max((to.UtcTicks + minute - 1) / minute * minute, start.UtcTicks + minute), TimeSpan.Zero);
        var response = await client.GetMetricsAsync(resourceId, For(plan).Select(m => m.Metric).ToArray(), start, end, cancellationToken, aggregation: "Average,Total");
        return FromResponse(response, plan, start, end, readAt);
    }

    private static bool IsFlex(HostingPlan plan) => plan is HostingPlan.FlexConsumption or HostingPlan.FlexConsumptionAlwaysReady;

    /// <summary>The set from one metrics response (pure; see <see cref="ReadAsync"/>).</summary>
    public static ServerMetricSet FromResponse(MetricsResponse response, HostingPlan plan, DateTimeOffset from, DateTimeOffset to, DateTimeOffset readAt)
    {
        ArgumentNullException.ThrowIfNull(response);
        var series = new List<ServerMetricSeries>();
        var notes = new List<string>();
        if (!IsFlex(plan))
        {
            notes.Add(plan == HostingPlan.Consumption
                ? "CPU percentage is a Flex Consumption metric, not read on Consumption; on Linux Consumption Azure Monitor has none of these metrics."
                : $"CPU percentage is a Flex Consumption metric, not read on {plan}.");
        }

        foreach (var (metric, aggregation, name, unit, divisor) in For(plan))
        {
            var result = response.Find(metric);
            if (result is null || result.IsError)
            {
                notes.Add(result is null
                    ? $"Azure Monitor returned no {metric} metric for the app."
                    : $"Azure Monitor could not return {metric}: {result.ErrorCode}{(result.ErrorMessage is null ? "" : ": " + result.ErrorMessage)}.");
                series.Add(new ServerMetricSeries { Name = name, Unit = unit });
                continue;
            }

            var points = result.TimeSeries
                .SelectMany(s => s.Data)
                .Where(p => p.Get(aggregation) is not null)
                .GroupBy(p => p.TimeStamp)
                .OrderBy(g => g.Key)
                .Select(g =>
                {
                    var values = g.Select(p => p.Get(aggregation)!.Value).ToList();
                    var value = metric == "CpuPercentage" ? values.Average() : values.Sum();
                    return new ServerMetricPoint(g.Key, Math.Round(value / divisor, 2));
                })
                .ToArray();
            series.Add(new ServerMetricSeries { Name = name, Unit = unit, Points = points });
        }

        var set = ServerMetricSets.FromIntervals(ServerMetricSet.AzureMonitorSource, Interval, series, from, to, readAt);
        return set with { Notes = [.. set.Notes, .. notes] };
    }
}

/// <summary><see cref="Core.Ports.IServerMetricsSource"/> over <see cref="MonitorServerMetrics"/>; the read time comes from <paramref name="time"/>.</summary>
public sealed class AzureServerMetricsSource(MonitorMetricsClient client, TimeProvider time) : Core.Ports.IServerMetricsSource
{
    /// <inheritdoc />
    public Task<ServerMetricSet> ReadAsync(string resourceId, HostingPlan plan, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        MonitorServerMetrics.ReadAsync(client, resourceId, plan, from, to, time.GetUtcNow(), cancellationToken);
}
