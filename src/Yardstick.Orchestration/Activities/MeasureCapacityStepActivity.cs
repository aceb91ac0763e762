using Microsoft.DurableTask;
using Yardstick.Core;
using Yardstick.Core.Capacity;
using Yardstick.Core.Load;
using Yardstick.Core.Measurements;
using Yardstick.Core.Ports;
using Yardstick.Orchestration.Contracts;
using Yardstick.Orchestration.Hosting;

namespace Yardstick.Orchestration.Activities;

/// <summary>
/// Reads one capacity step's measured shard results (round = step) and merges them into the figures the search judges:
/// latency and service-time percentiles, errors, scheduled and dropped arrivals, scheduling lag p99. A shard without a
/// stored result counts as nothing received (so a step whose shards all failed has no responses: an error rate of 100 %).
/// </summary>
public sealed class MeasureCapacityStepActivity(IArtifactStore artifacts, YardstickHostOptions options) : TaskActivity<CapacityStepTask, CapacityStepMeasurement>
{
    public override async Task<CapacityStepMeasurement> RunAsync(TaskActivityContext context, CapacityStepTask input)
    {
        var cancellationToken = options.Shutdown;
        var results = new List<ShardResult>();
        for (var shard = 0; shard < input.Shards; shard++)
        {
            var bytes = await artifacts.GetAsync(input.Workload, input.RunId, ShardResultNames.For(RunPhase.Measured, input.Step, input.Variant, shard), cancellationToken);
            if (bytes is not null)
            {
                results.Add(YardstickJson.Deserialize<ShardResult>(bytes));
            }
        }

        return Measure(input.Rate, results);
    }

    /// <summary>The step's figures from its shard results.</summary>
    public static CapacityStepMeasurement Measure(double rate, IReadOnlyList<ShardResult> results)
    {
        if (results.Count == 0)
        {
            return new CapacityStepMeasurement(rate, new Dictionary<string, double>(), new Dictionary<string, double>(), 0, 0, 0, 0, 0);
        }

        var merged = ShardMerger.Merge(results);
        return new CapacityStepMeasurement(
            rate,
            Percentiles(merged.Latency),
            Percentiles(merged.ServiceTime),
            merged.Requests,
            merged.Errors.Total,
            merged.ScheduledArrivals,
            merged.DroppedArrivals,
            merged.SchedulingLag.TotalCount == 0 ? 0 : HistogramSummaries.PercentileMs(merged.SchedulingLag, 99))
        {
            LatencyIntervals = Intervals(merged.Latency),
        };
    }

    /// <summary>The 95 % order-statistic interval of each latency quantile the search can judge (<see cref="QuantileInterval"/>).</summary>
    private static Dictionary<string, QuantileBounds> Intervals(HdrHistogram.LongHistogram histogram)
    {
        var intervals = new Dictionary<string, QuantileBounds>();
        if (histogram.TotalCount == 0)
        {
            return intervals;
        }

        foreach (var (metric, percentile) in new[] { ("p50", 50.0), ("p90", 90.0), ("p95", 95.0), ("p99", 99.0), ("p99.9", 99.9) })
        {
            var (low, high) = QuantileInterval.Percentiles(percentile, histogram.TotalCount);
            intervals[metric] = new QuantileBounds(HistogramSummaries.PercentileMs(histogram, low), HistogramSummaries.PercentileMs(histogram, high));
        }

        return intervals;
    }

    private static Dictionary<string, double> Percentiles(HdrHistogram.LongHistogram histogram)
    {
        if (histogram.TotalCount == 0)
        {
            return [];
        }

        var summary = HistogramSummaries.Latency(histogram);
        return new Dictionary<string, double>
        {
            ["p50"] = HistogramSummaries.PercentileMs(histogram, 50),
            ["p90"] = HistogramSummaries.PercentileMs(histogram, 90),
            ["p95"] = HistogramSummaries.PercentileMs(histogram, 95),
            ["p99"] = HistogramSummaries.PercentileMs(histogram, 99),
            ["p99.9"] = HistogramSummaries.PercentileMs(histogram, 99.9),
            ["max"] = summary.Max,
            ["mean"] = summary.Mean,
        };
    }
}
