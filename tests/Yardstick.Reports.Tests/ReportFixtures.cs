using HdrHistogram;
using Yardstick.Core.Measurements;
using Yardstick.Core.Summaries;
using Yardstick.Reports;

namespace Yardstick.Reports.Tests;

/// <summary>
/// Realistic reports built in code: latencies recorded into real HdrHistograms (seeded log-normal), 30 one-second
/// windows, summaries from <see cref="RunSummaryBuilder"/>, and verdict sections shaped like the analysis step's.
/// </summary>
internal static class ReportFixtures
{
    public const string HostileTag = "<script>alert('x')</script> | `tick` & \"quote\"";
    public const string ArtifactsRoot = "https://yardstickdata.blob.core.windows.net/yardstick-runs/checkout-api/";
    public const string ArtifactsUrl = ArtifactsRoot + "20250601T120000Z-7f3a";
    private const long StartSecond = 1_748_779_200; // 2025-06-01 12:00:00 UTC

    /// <summary><see cref="Regression"/> with App Insights server figures and the cost modeled from them.</summary>
    public static RunReport WithServerFigures()
    {
        var report = Regression();
        return report with
        {
            Cost = report.Cost! with
            {
                ServerModeled = new CostFigure { PerRequest = 1.5e-7, Total = 0.0009 },
                Server = new ServerTelemetrySummary { Requests = 6000, DurationP50Ms = 12.5, DurationP95Ms = 48, Instances = 3 },
            },
        };
    }

    /// <summary>A candidate that regressed against a baseline: p95/p99 regress, error rate inconclusive, one threshold breached.</summary>
    public static RunReport Regression()
    {
        var (baseline, baselineLatency, _) = Run("20250531T120000Z-1c2d", StartSecond - 86_400, medianMs: 20, seed: 11, slowFrom: -1, errorEvery: 2000);
        var (candidate, candidateLatency, timeline) = Run("20250601T120000Z-7f3a", StartSecond, medianMs: 19.4, seed: 12, slowFrom: 18, errorEvery: 150);
        var metrics = new List<MetricVerdictSummary>
        {
            Metric("p50", baseline.LatencyMs.P50, candidate.LatencyMs.P50, 0.02, "equivalent"),
            Metric("p90", baseline.LatencyMs.P90, candidate.LatencyMs.P90, 0.3, "inconclusive", more: 3),
            Metric("p95", baseline.LatencyMs.P95, candidate.LatencyMs.P95, 0.08, "regression"),
            Metric("p99", baseline.LatencyMs.P99, candidate.LatencyMs.P99, 0.1, "regression"),
            new()
            {
                Metric = "errorRate",
                Kind = "inconclusive",
                Baseline = baseline.ErrorRate,
                Candidate = candidate.ErrorRate,
                Ratio = candidate.ErrorRate - baseline.ErrorRate,
                CiLow = -0.0004,
                CiHigh = 0.0131,
                ConfidenceLevel = 0.99,
                PValue = 0.04,
                AdditionalRunsNeeded = 6,
                Method = "Newcombe–Wilson",
                Explanation = $"errorRate rose from {baseline.ErrorRate:P2} to {candidate.ErrorRate:P2}, an interval that straddles the ±0.10 pp margin: inconclusive; about 6 more runs per side would likely decide.",
            },
            Metric("throughput", baseline.ThroughputRps, candidate.ThroughputRps, 0.01, "equivalent"),
        };
        var verdict = new VerdictSummary
        {
            Overall = "regression",
            Explanation = "Regression: p95, p99 worse beyond the margin (5 %; family-wise α 1 %, Holm over 6 gated metrics).",
            BaselineRunIds = [baseline.RunId],
            Metrics = metrics,
            Thresholds =
            [
                Threshold("p(95) < 200ms", "p95", candidate.LatencyMs.P95, passed: true),
                Threshold("errorRate < 0.1%", "errorRate", candidate.ErrorRate, passed: false),
                Threshold("rps > 150", "rps", candidate.ThroughputRps, passed: true),
            ],
        };
        candidate = candidate with { Verdict = verdict };
        return RunReport.Create(candidate, candidateLatency, timeline, baseline, baselineLatency) with
        {
            ColdStart = new ColdStartView
            {
                Strategy = "restart",
                ColdProbes = 4,
                WarmProbes = 1,
                ColdP50Ms = 1840,
                ColdP90Ms = 2310,
                ColdMaxMs = 2402,
                WarmP50Ms = 21.4,
                PenaltyMs = 1818.6,
                Probes = Enumerable.Range(1, 5).Select(i => new ColdStartProbeView
                {
                    Probe = i,
                    Classification = i == 3 ? "warm" : "cold",
                    FirstRequestMs = i == 3 ? 24.0 : 1700 + (i * 140),
                    WarmP50Ms = 21 + (i * 0.2),
                    InstanceId = $"inst-{i:000}",
                    StatusCode = 200,
                    Note = i == 3 ? "same instance as probe 2: the restart had not taken effect" : null,
                }).ToList(),
            },
            Cost = new CostView
            {
                Plan = "flex-consumption",
                Region = "westeurope",
                Modeled = new CostFigure { PerRequest = 2.61e-7, CiLow = 2.48e-7, CiHigh = 2.77e-7, ConfidenceLevel = 0.95, Total = 0.00157 },
                Metered = null,
                PricingSource = "workloads/pricing/azure-functions.json (retrieved 2025-05-20)",
                Note = "Metered cost is read from Azure Monitor after its ingestion delay; not available for this run yet.",
            },
        };
    }

    /// <summary>A first run: no baseline, thresholds alone decide.</summary>
    public static RunReport NoBaseline()
    {
        var (candidate, latency, timeline) = Run("20250601T130000Z-0001", StartSecond + 3600, medianMs: 15, seed: 21, slowFrom: -1, errorEvery: 0);
        candidate = candidate with
        {
            Verdict = new VerdictSummary
            {
                Overall = "no-baseline",
                Explanation = "No baseline yet: the absolute thresholds alone decide this run.",
                Thresholds = [Threshold("p(99) < 250ms", "p99", candidate.LatencyMs.P99, passed: true)],
            },
        };
        return RunReport.Create(candidate, latency, timeline);
    }

    /// <summary>A run that failed before measuring anything: zero requests, no windows, no verdict.</summary>
    public static RunReport EmptyFailed() => new()
    {
        Candidate = new RunSummary
        {
            RunId = "20250601T140000Z-dead",
            Workload = "checkout-api",
            Status = "failed",
            StartedAt = DateTimeOffset.FromUnixTimeSeconds(StartSecond + 7200),
            CompletedAt = DateTimeOffset.FromUnixTimeSeconds(StartSecond + 7205),
            LatencyMs = new LatencySummary(),
            SchedulingLagMs = new LagSummary(),
            ShardsSucceeded = 0,
            ShardsTotal = 2,
            FailureReason = "0 of 2 shards succeeded (minShardSuccess 1): connect refused by 127.0.0.1:5999",
        },
    };

    /// <summary>A verdict entry whose interval is the observed ratio ± <paramref name="halfWidth"/>; the kind is the fixture's choice.</summary>
    private static MetricVerdictSummary Metric(string metric, double baseline, double candidate, double halfWidth, string kind, int? more = null)
    {
        var ratio = candidate / baseline;
        return new MetricVerdictSummary
        {
            Metric = metric,
            Kind = kind,
            Baseline = baseline,
            Candidate = candidate,
            Ratio = ratio,
            CiLow = ratio - halfWidth,
            CiHigh = ratio + halfWidth,
            ConfidenceLevel = 0.99,
            PValue = kind == "regression" ? 0.0004 : 0.21,
            AdditionalRunsNeeded = more,
            Method = "block bootstrap, 5 s blocks",
            Explanation = $"{metric} moved from {baseline:0.0} to {candidate:0.0} ({(ratio - 1) * 100:+0.0;-0.0} %): {kind}.",
        };
    }

    private static ThresholdSummary Threshold(string text, string metric, double actual, bool passed) => new()
    {
        Threshold = text,
        Metric = metric,
        Actual = actual,
        Passed = passed,
        Explanation = $"{metric} was {actual:0.####}: {(passed ? "met" : "breached")} {text}.",
    };

    /// <summary>30 s at 200 requests/s: log-normal latencies, a 3 s patch at twice the latency, errors every n-th request.</summary>
    private static (RunSummary Summary, LongHistogram Latency, IReadOnlyList<TimelineWindow> Timeline) Run(
        string runId, long startSecond, double medianMs, int seed, int slowFrom, int errorEvery)
    {
        var rng = new Random(seed);
        var latency = LatencyHistograms.Create();
        var lag = LatencyHistograms.Create();
        var windows = new List<TimelineWindow>();
        var errors = new ErrorCounts();
        long requests = 0;
        for (var second = 0; second < 30; second++)
        {
            var window = LatencyHistograms.CreateWindow();
            var slow = slowFrom >= 0 && second >= slowFrom && second < slowFrom + 3 ? 2.0 : 1.0;
            var n = 195 + rng.Next(11);
            long windowErrors = 0;
            for (var i = 0; i < n; i++)
            {
                var ms = medianMs * slow * Math.Exp(0.35 * Gaussian(rng));
                var micros = LatencyHistograms.Clamp((long)(ms * 1000));
                latency.RecordValue(micros);
                window.RecordValue(micros);
                lag.RecordValue(LatencyHistograms.Clamp((long)(80 + (rng.NextDouble() * 400))));
                requests++;
                if (errorEvery > 0 && (requests % errorEvery) == 0)
                {
                    windowErrors++;
                    errors = errors.Add(requests % (errorEvery * 5) == 0 ? new ErrorCounts { Timeout = 1 } : new ErrorCounts { Http5xx = 1 });
                }
            }

            windows.Add(new TimelineWindow
            {
                UnixSecond = startSecond + second,
                Requests = n,
                Errors = windowErrors,
                LatencyP50Ms = HistogramSummaries.PercentileMs(window, 50),
                LatencyP99Ms = HistogramSummaries.PercentileMs(window, 99),
                LatencyMaxMs = window.GetMaxValue() / 1000.0,
                InFlightMax = 8,
                Histogram = HistogramCodec.Encode(window),
            });
        }

        var merged = new MergedMeasurements
        {
            Shards = 2,
            ScheduledArrivals = 6000,
            Requests = requests,
            Successes = requests - errors.Total,
            Errors = errors,
            Latency = latency,
            ServiceTime = latency,
            SchedulingLag = lag,
            Timeline = windows,
            MeasuredDuration = TimeSpan.FromSeconds(30),
            StartedAt = DateTimeOffset.FromUnixTimeSeconds(startSecond),
            EndedAt = DateTimeOffset.FromUnixTimeSeconds(startSecond + 30),
            ThroughputRps = requests / 30.0,
        };
        var summary = RunSummaryBuilder.Build(
            new RunSummaryContext
            {
                RunId = runId,
                Workload = "checkout-api",
                Status = "completed",
                StartedAt = merged.StartedAt.AddSeconds(-5),
                CompletedAt = merged.EndedAt.AddSeconds(3),
                Tags = new Dictionary<string, string> { ["commit"] = "3f9c2ab", ["pipeline"] = "pr-1432", ["note"] = HostileTag },
                ShardsSucceeded = 2,
                ShardsTotal = 2,
                Storage = new StorageLocations { Artifacts = ArtifactsRoot + runId, Table = "Runs", PartitionKey = "checkout-api", RowKey = runId },
            },
            merged,
            [new RoundSummary { Round = 0, Requests = requests, Errors = errors.Total, ThroughputRps = requests / 30.0, LatencyMs = HistogramSummaries.Latency(latency) }]);
        return (summary, latency, windows);
    }

    private static double Gaussian(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
