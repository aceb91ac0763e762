using Yardstick.Core.Statistics;
using Yardstick.Core.Verdicts;

namespace Yardstick.Core.Tests.Verdicts;

/// <summary>Small deterministic runs for verdict tests (the statistical properties live in Yardstick.Simulation.Tests).</summary>
internal static class VerdictFixtures
{
    /// <summary>A run with only run-level values.</summary>
    public static RunMetrics Values(string id, params (string Metric, double Value)[] values) =>
        new(id, values.ToDictionary(v => v.Metric, v => v.Value), []);

    /// <summary>Runs whose <paramref name="metric"/> values are <paramref name="center"/> × (1 + offsets[i]).</summary>
    public static List<RunMetrics> RunsOf(string prefix, string metric, double center, params double[] offsets) =>
        offsets.Select((o, i) => Values($"{prefix}{i}", (metric, center * (1 + o)))).ToList();

    /// <summary>
    /// A run with per-second windows: log-normal latencies (median <paramref name="medianMs"/>, σ 0.4) in 0.5 % buckets,
    /// <paramref name="errorEvery"/>-th request an error (0: none), seeded.
    /// </summary>
    public static RunMetrics WindowRun(string id, double medianMs, int seconds, int requestsPerSecond, int seed, int errorEvery = 0)
    {
        var random = new Random(seed);
        var windows = new List<WindowSample>();
        var all = new Dictionary<double, long>();
        long requests = 0, errors = 0, counter = 0;
        for (var t = 0; t < seconds; t++)
        {
            var counts = new Dictionary<double, long>();
            long windowErrors = 0;
            for (var i = 0; i < requestsPerSecond; i++)
            {
                var z = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
                var bucket = Math.Exp(Math.Round((Math.Log(medianMs) + (0.4 * z)) / 0.005) * 0.005);
                counts[bucket] = counts.GetValueOrDefault(bucket) + 1;
                all[bucket] = all.GetValueOrDefault(bucket) + 1;
                if (errorEvery > 0 && ++counter % errorEvery == 0)
                {
                    windowErrors++;
                }
            }

            windows.Add(new WindowSample(requestsPerSecond, windowErrors, counts.Select(kv => new LatencyBucket(kv.Key, kv.Value)).ToList()));
            requests += requestsPerSecond;
            errors += windowErrors;
        }

        var buckets = all.Select(kv => (kv.Key, (double)kv.Value)).ToList();
        var values = new Dictionary<string, double>
        {
            [MetricKeys.P50] = BucketQuantileEstimator.Quantile(buckets, 0.50),
            [MetricKeys.P90] = BucketQuantileEstimator.Quantile(buckets, 0.90),
            [MetricKeys.P95] = BucketQuantileEstimator.Quantile(buckets, 0.95),
            [MetricKeys.P99] = BucketQuantileEstimator.Quantile(buckets, 0.99),
            [MetricKeys.ErrorRate] = (double)errors / requests,
            [MetricKeys.Throughput] = (double)requests / seconds,
        };
        return new RunMetrics(id, values, windows);
    }

    /// <summary>A run with only request and error counts (run-level error-rate comparisons).</summary>
    public static RunMetrics Counts(string id, long requests, long errors) =>
        Values(id, (MetricKeys.Requests, requests), (MetricKeys.Errors, errors), (MetricKeys.ErrorRate, (double)errors / requests));
}
