using System.Diagnostics;
using System.Globalization;
using Yardstick.Core;
using Yardstick.Core.Load;
using Yardstick.Core.Load.Transports;
using Yardstick.Core.Measurements;
using Yardstick.Core.Summaries;
using Yardstick.Core.Verdicts;

namespace Yardstick.Benchmarks;

/// <summary>
/// What persisting and analysing a run costs as it grows wide (shards) or long (duration), on synthetic shard results
/// recorded through the real <see cref="ShardRecorder"/> (lognormal latencies, per-second windows with their
/// histograms, and optionally one instance named by the response header, whose busy intervals are then stored). Persist's compute is timed as <see cref="Orchestration"/> does it: deserialize every
/// stored shard result, merge, per-round summaries, the summary, the encoded run histograms and <c>timeline.json</c>;
/// analyse's: read back the timeline and build the verdict samples. Blob round trips are not included (one per shard).
/// Prints one <c>key=value</c> line: stored bytes, seconds, peak working set.
/// </summary>
internal static class ScaleBench
{
    /// <param name="shards">Shards of the run.</param>
    /// <param name="duration">Length of the run.</param>
    /// <param name="ratePerShard">Requests per second of each shard.</param>
    /// <param name="instanceHeader">Whether responses name their instance (busy intervals are then stored per shard).</param>
    public static void Run(int shards, TimeSpan duration, double ratePerShard, bool instanceHeader)
    {
        // Synthesis first (not timed): the stored shard results, as bytes.
        var stored = new List<byte[]>(shards);
        for (var shard = 0; shard < shards; shard++)
        {
            stored.Add(YardstickJson.ToUtf8(Synthesize(shard, shards, duration, ratePerShard, instanceHeader)));
        }

        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        using var peak = new PeakWorkingSet();
        var started = Stopwatch.GetTimestamp();

        // Persist.
        var results = stored.Select(b => YardstickJson.Deserialize<ShardResult>(b)).ToList();
        var merged = ShardMerger.Merge(results);
        var rounds = ShardMerger.Rounds(results);
        var summary = RunSummaryBuilder.Build(
            new RunSummaryContext { RunId = "scale", Workload = "scale", Status = "completed", ShardsSucceeded = shards, ShardsTotal = shards },
            merged,
            rounds);
        var summaryBytes = YardstickJson.ToUtf8(summary, indented: true);
        var timelineBytes = YardstickJson.ToUtf8(merged.Timeline);
        var histogramChars = HistogramCodec.Encode(merged.Latency).Base64.Length + HistogramCodec.Encode(merged.ServiceTime).Base64.Length
            + HistogramCodec.Encode(merged.SchedulingLag).Base64.Length;
        var persisted = Stopwatch.GetTimestamp();

        // Analyse: what the verdict step reads back and computes from.
        var timeline = YardstickJson.Deserialize<List<TimelineWindow>>(timelineBytes);
        var samples = RunMetricsFactory.FromRun(YardstickJson.Deserialize<RunSummary>(summaryBytes), timeline);
        var analysed = Stopwatch.GetTimestamp();

        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"mode=scale shards={shards} duration_s={duration.TotalSeconds:0} rate_per_shard={ratePerShard:0} instance_header={(instanceHeader ? "yes" : "no")} requests={merged.Requests} " +
            $"windows={merged.Timeline.Count} stored_shard_mb={stored.Sum(b => (long)b.Length) / 1e6:0.00} timeline_mb={timelineBytes.Length / 1e6:0.00} " +
            $"summary_kb={summaryBytes.Length / 1e3:0.0} histograms_kb={histogramChars / 1e3:0.0} samples={samples.Count} " +
            $"persist_s={Stopwatch.GetElapsedTime(started, persisted).TotalSeconds:0.000} analyze_s={Stopwatch.GetElapsedTime(persisted, analysed).TotalSeconds:0.000} " +
            $"peak_working_set_mb={peak.Stop() / 1e6:0}"));
    }

    /// <summary>One shard's result: every exchange recorded through the real recorder on a synthetic clock.</summary>
    private static ShardResult Synthesize(int shard, int shards, TimeSpan duration, double rate, bool instanceHeader)
    {
        var origin = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var clock = new ShardClock(originTicks: 0, origin);
        var recorder = new ShardRecorder(clock, duration + TimeSpan.FromSeconds(2));
        var rng = new Random(shard + 1);
        var frequency = Stopwatch.Frequency;
        var count = (long)(rate * duration.TotalSeconds);
        for (long k = 0; k < count; k++)
        {
            var intended = (long)((k + 0.5) / rate * frequency);

            // Lognormal around ~5 ms with a long tail.
            var latencyMicros = (long)Math.Exp(8.5 + (0.6 * Normal(rng)));
            var end = intended + (latencyMicros * frequency / 1_000_000);
            var result = new ExchangeResult
            {
                Outcome = ExchangeOutcome.Response,
                StatusCode = rng.Next(1000) == 0 ? 500 : 200,
                StartTimestamp = intended + (frequency / 20_000),
                EndTimestamp = end,
                InstanceId = instanceHeader ? "instance-1" : null,
            };
            recorder.RecordExchange(intended, intended + (frequency / 20_000), result, recordLag: true, cancelledMeansTimeout: false);
        }

        var plan = new ShardPlan
        {
            RunId = "scale",
            Workload = "scale",
            Request = new RequestTemplate { Method = "GET", Url = "http://127.0.0.1/" },
            Duration = duration,
            ShardIndex = shard,
            ShardCount = shards,
        };
        return recorder.Build(plan, count, (long)(duration.TotalSeconds * frequency), duration, failureReason: null);
    }

    private static double Normal(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    /// <summary>Samples the process working set every 5 ms; the peak of the timed phase.</summary>
    private sealed class PeakWorkingSet : IDisposable
    {
        private readonly Thread _thread;
        private volatile bool _stop;
        private long _peak;

        public PeakWorkingSet()
        {
            _peak = Environment.WorkingSet;
            _thread = new Thread(() =>
            {
                while (!_stop)
                {
                    _peak = Math.Max(_peak, Environment.WorkingSet);
                    Thread.Sleep(5);
                }
            }) { IsBackground = true };
            _thread.Start();
        }

        public long Stop()
        {
            _stop = true;
            _thread.Join();
            return Math.Max(_peak, Environment.WorkingSet);
        }

        public void Dispose() => _stop = true;
    }
}
