using HdrHistogram;
using Yardstick.Core;
using Yardstick.Core.Measurements;
using Yardstick.Core.Ports;
using Yardstick.Core.Summaries;
using Yardstick.Reports;
using Yardstick.Core.Runs;
using Yardstick.Core.Workloads;
using Yardstick.Orchestration.Activities;
using Yardstick.Orchestration.Analysis;
using Yardstick.Orchestration.Contracts;
using Yardstick.Orchestration.Hosting;

namespace Yardstick.Cli.Tests.Analysis;

/// <summary>A run to store as the persist step would: seeded log-normal latencies per second, optionally in rounds.</summary>
internal sealed record SyntheticRun
{
    public required string Workload { get; init; }

    public required string RunId { get; init; }

    public double MedianMs { get; init; } = 10;

    public int Seconds { get; init; } = 30;

    public int RequestsPerSecond { get; init; } = 50;

    /// <summary>Measured rounds; the seconds are split evenly between them.</summary>
    public int Rounds { get; init; } = 1;

    /// <summary>Every n-th request is an error (0: none).</summary>
    public int ErrorEvery { get; init; }

    public RunStatus Status { get; init; } = RunStatus.Completed;

    /// <summary>Verdict already on the run's row (for rolling baselines).</summary>
    public string? Verdict { get; init; }

    /// <summary>Extra workload YAML lines (compare, thresholds) appended to the base workload.</summary>
    public string WorkloadExtra { get; init; } = "";

    /// <summary>Changes the load shape (and so the settings hash).</summary>
    public string Rate { get; init; } = "50/s";

    public int Seed { get; init; } = 1;
}

/// <summary>
/// Writes <see cref="SyntheticRun"/>s the way <see cref="PlanRunActivity"/> and <see cref="PersistRunActivity"/> do:
/// <c>plan.json</c>, <c>summary.json</c> (with rounds), <c>timeline.json</c> (per-second windows with encoded histograms),
/// <c>histograms/latency.hdr</c> and the run's row. The analysis under test then reads them back like any stored run.
/// </summary>
internal static class StoredRunFactory
{
    public static string WorkloadYaml(string name, string rate, string extra) => $"""
        name: {name}
        target:
          url: http://127.0.0.1:5080/api/hello
        load:
          rate: {rate}
          duration: 30s
        {extra}
        """;

    public static async Task<(StoredPlan Plan, RunSummary Summary)> WriteAsync(IArtifactStore artifacts, IRunStore runs, SyntheticRun run)
    {
        var workload = WorkloadLoader.LoadText(WorkloadYaml(run.Workload, run.Rate, run.WorkloadExtra), "test");
        var random = new Random(run.Seed);
        var all = LatencyHistograms.Create();
        var windows = new List<TimelineWindow>();
        var rounds = new List<RoundSummary>();
        var secondsPerRound = run.Seconds / run.Rounds;
        long requests = 0, errors = 0, counter = 0;
        var start = RunIds.CreatedAt(run.RunId).ToUnixTimeSeconds();
        for (var round = 0; round < run.Rounds; round++)
        {
            var roundHistogram = LatencyHistograms.Create();
            long roundErrors = 0;
            for (var s = 0; s < secondsPerRound; s++)
            {
                var window = LatencyHistograms.CreateWindow();
                long windowErrors = 0;
                for (var i = 0; i < run.RequestsPerSecond; i++)
                {
                    var z = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
                    var micros = (long)(run.MedianMs * 1000 * Math.Exp(0.3 * z));
                    window.RecordValue(micros);
                    roundHistogram.RecordValue(micros);
                    all.RecordValue(micros);
                    if (run.ErrorEvery > 0 && ++counter % run.ErrorEvery == 0)
                    {
                        windowErrors++;
                    }
                }

                var (p50, p99, max) = (Quantile(window, 50), Quantile(window, 99), window.GetMaxValue() / 1000.0);
                windows.Add(new TimelineWindow
                {
                    UnixSecond = start + (round * secondsPerRound) + s,
                    Requests = run.RequestsPerSecond,
                    Errors = windowErrors,
                    LatencyP50Ms = p50,
                    LatencyP99Ms = p99,
                    LatencyMaxMs = max,
                    Histogram = HistogramCodec.Encode(window),
                });
                roundErrors += windowErrors;
            }

            var roundRequests = (long)secondsPerRound * run.RequestsPerSecond;
            rounds.Add(new RoundSummary { Round = round, Requests = roundRequests, Errors = roundErrors, ThroughputRps = run.RequestsPerSecond, LatencyMs = HistogramSummaries.Latency(roundHistogram) });
            requests += roundRequests;
            errors += roundErrors;
        }

        var failed = run.Status is RunStatus.Failed;
        var summary = new RunSummary
        {
            RunId = run.RunId,
            Workload = run.Workload,
            Status = run.Status.ToString().ToLowerInvariant(),
            Requests = failed ? 0 : requests,
            Successes = failed ? 0 : requests - errors,
            Errors = failed ? 0 : errors,
            ErrorRate = failed ? 0 : (double)errors / requests,
            LatencyMs = failed ? new LatencySummary() : HistogramSummaries.Latency(all),
            ThroughputRps = failed ? 0 : run.RequestsPerSecond,
            SchedulingLagMs = new LagSummary(),
            DurationSeconds = run.Seconds,
            ShardsSucceeded = failed ? 0 : 1,
            ShardsTotal = 1,
            Rounds = failed ? [] : rounds,
            FailureReason = failed ? "no measured shard ran" : null,
        };
        var plan = new StoredPlan
        {
            Plan = new RunPlan { RunId = run.RunId, Workload = run.Workload, Shards = 1, Repeat = run.Rounds, Duration = TimeSpan.FromSeconds(secondsPerRound), CreatedAt = RunIds.CreatedAt(run.RunId) },
            Workload = workload,
            MeasuredShards = [],
            SettingsHash = WorkloadFingerprint.SettingsHash(workload),
        };

        await Put(artifacts, run, PlanReader.PlanBlobName, YardstickJson.ToUtf8(plan));
        await Put(artifacts, run, ReportFormats.SummaryBlobName, YardstickJson.ToUtf8(summary, indented: true));
        if (!failed)
        {
            await Put(artifacts, run, PersistRunActivity.TimelineBlobName, YardstickJson.ToUtf8(windows));
            await Put(artifacts, run, RunArtifactReader.LatencyHistogramBlobName, System.Text.Encoding.ASCII.GetBytes(HistogramCodec.Encode(all).Base64));
        }

        await runs.UpsertAsync(
            new RunRecord
            {
                RunId = run.RunId,
                Workload = run.Workload,
                Status = run.Status,
                CreatedAt = RunIds.CreatedAt(run.RunId),
                Requests = summary.Requests,
                Errors = summary.Errors,
                P50Ms = summary.LatencyMs.P50,
                Verdict = run.Verdict,
                SettingsHash = plan.SettingsHash,
                BlobPrefix = $"{run.Workload}/{run.RunId}/",
            },
            CancellationToken.None);
        return (plan, summary);
    }

    /// <summary>What the persist step would hand the analysis.</summary>
    public static AnalyzeRequest Request(StoredPlan plan, RunSummary summary, string? baseline = null) => new()
    {
        Plan = plan.Plan,
        Baseline = baseline,
        Outcome = new RunOutcome
        {
            RunId = summary.RunId,
            Workload = summary.Workload,
            Status = Enum.Parse<RunStatus>(summary.Status, ignoreCase: true),
            Requests = summary.Requests,
            Errors = summary.Errors,
            P50Ms = summary.LatencyMs.P50,
        },
    };

    /// <summary>The quantile a latency histogram reports (µs → ms), for reference values.</summary>
    public static double Quantile(HistogramBase histogram, double percentile) => histogram.GetValueAtPercentile(percentile) / 1000.0;

    private static Task Put(IArtifactStore artifacts, SyntheticRun run, string name, byte[] content) =>
        artifacts.PutAsync(run.Workload, run.RunId, name, content, "application/json", CancellationToken.None);
}
