using System.Globalization;
using HdrHistogram;
using Yardstick.Core.Summaries;

namespace Yardstick.Core.Verdicts;

/// <summary>
/// The values absolute thresholds are checked against, from a run's summary and (when stored) its merged latency
/// histogram: <c>pN</c> for any percentile, <c>min</c>, <c>max</c>, <c>mean</c>, <c>errorRate</c>, <c>rps</c>
/// (= <c>throughput</c>), <c>checks</c> (pass rate), <c>droppedArrivals</c>, <c>coldStartP50</c>, <c>recoveryTime</c>, <c>costPerRequest</c>. A metric the run did not
/// measure is left out, so its threshold fails as "not measured".
/// </summary>
public static class ThresholdValues
{
    /// <summary>Values for <paramref name="thresholds"/> (plus the standard set).</summary>
    /// <param name="thresholds">Thresholds to be evaluated: percentiles they name beyond p50/p90/p95/p99 are read from the histogram.</param>
    /// <param name="summary">The run's summary.</param>
    /// <param name="latency">The run's merged latency histogram in µs, or null when it was not stored.</param>
    /// <param name="requestLatency">A mix's per-request latency histograms (µs) by request name; may be null.</param>
    public static IReadOnlyDictionary<string, double> From(
        IReadOnlyList<Threshold> thresholds, RunSummary summary, HistogramBase? latency, IReadOnlyDictionary<string, HistogramBase>? requestLatency = null)
    {
        ArgumentNullException.ThrowIfNull(thresholds);
        ArgumentNullException.ThrowIfNull(summary);
        var values = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["droppedArrivals"] = summary.DroppedArrivals,
        };
        AddRates(values, "", summary.Requests, summary.Errors, summary.ThroughputRps);
        if (summary.ColdStart?.ColdP50Ms is { } cold && double.IsFinite(cold))
        {
            values[MetricKeys.ColdStartP50] = cold;
        }

        if (summary.Faults is { } faults && Faults.RecoveryAnalysis.RecoveryTimeMs(faults) is { } recovery)
        {
            // +∞ when a fault did not recover within the run: the evaluator says so instead of "not measured".
            values[MetricKeys.RecoveryTime] = recovery;
        }

        if (summary.Cost?.PerRequestUsd is { } cost && double.IsFinite(cost))
        {
            values[MetricKeys.CostPerRequest] = cost;
        }

        AddLatencies(values, "", thresholds, latency, summary.Requests, summary.LatencyMs);
        AddChecks(values, "", summary.Checks);
        foreach (var group in summary.Checks.Where(c => c.Request is not null).GroupBy(c => c.Request!))
        {
            AddChecks(values, group.Key + ".", group);
        }

        foreach (var request in summary.PerRequest)
        {
            var prefix = request.Name + ".";
            AddRates(values, prefix, request.Requests, request.Errors, request.ThroughputRps);
            AddLatencies(values, prefix, thresholds, requestLatency?.GetValueOrDefault(request.Name), request.Requests, request.LatencyMs);
        }

        return values;
    }

    /// <summary><c>checks</c>: passed / run over the given checks; left out when none ran (the threshold then fails as not measured).</summary>
    private static void AddChecks(Dictionary<string, double> values, string prefix, IEnumerable<CheckSummary> checks)
    {
        long passed = 0, total = 0;
        foreach (var check in checks)
        {
            passed += check.Passed;
            total += check.Passed + check.Failed;
        }

        if (total > 0)
        {
            values[prefix + MetricKeys.Checks] = (double)passed / total;
        }
    }

    private static void AddRates(Dictionary<string, double> values, string prefix, long requests, long errors, double throughput)
    {
        if (requests > 0)
        {
            values[prefix + MetricKeys.ErrorRate] = (double)errors / requests;
            values[prefix + "rps"] = throughput;
            values[prefix + MetricKeys.Throughput] = throughput;
        }
    }

    private static void AddLatencies(
        Dictionary<string, double> values, string prefix, IReadOnlyList<Threshold> thresholds, HistogramBase? latency, long requests, LatencySummary summary)
    {
        var timed = latency is { TotalCount: > 0 } ? latency : null;
        if (timed is not null)
        {
            values[prefix + "min"] = Min(timed);
            values[prefix + "max"] = timed.GetMaxValue() / 1000.0;
            values[prefix + "mean"] = timed.GetMean() / 1000.0;
            foreach (var percentile in Percentiles(thresholds, prefix).Concat([50.0, 90.0, 95.0, 99.0]).Distinct())
            {
                values[prefix + Key(percentile)] = timed.GetValueAtPercentile(percentile) / 1000.0;
            }
        }
        else if (requests > 0 && summary.Max > 0)
        {
            // No histogram (older runs, or not stored): the summary's figures are all there is.
            values[prefix + "p50"] = summary.P50;
            values[prefix + "p90"] = summary.P90;
            values[prefix + "p95"] = summary.P95;
            values[prefix + "p99"] = summary.P99;
            values[prefix + "max"] = summary.Max;
            values[prefix + "mean"] = summary.Mean;
        }
    }

    /// <summary>The metric name the threshold parser gives a percentile: 95 → <c>p95</c>, 99.9 → <c>p99.9</c>.</summary>
    public static string Key(double percentile) => "p" + percentile.ToString("0.###", CultureInfo.InvariantCulture);

    private static IEnumerable<double> Percentiles(IEnumerable<Threshold> thresholds, string prefix) =>
        thresholds.Select(t => t.Metric)
            .Where(m => m.StartsWith(prefix, StringComparison.Ordinal))
            .Select(m => m[prefix.Length..])
            .Where(m => m.Length > 1 && m[0] == 'p' && char.IsAsciiDigit(m[1]))
            .Select(m => double.Parse(m.AsSpan(1), NumberStyles.Float, CultureInfo.InvariantCulture));

    private static double Min(HistogramBase histogram)
    {
        foreach (var value in histogram.RecordedValues())
        {
            if (value.CountAtValueIteratedTo > 0)
            {
                return histogram.LowestEquivalentValue(value.ValueIteratedTo) / 1000.0;
            }
        }

        return 0;
    }
}
