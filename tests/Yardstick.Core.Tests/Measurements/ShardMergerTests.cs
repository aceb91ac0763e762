using HdrHistogram;
using Yardstick.Core.Load;
using Yardstick.Core.Measurements;

namespace Yardstick.Core.Tests.Measurements;

public sealed class ShardMergerTests
{
    private static ShardResult Shard(
        int index, HistogramBase latency, int round = 0, string variant = "", TimeSpan? duration = null,
        IReadOnlyList<TimelineWindow>? timeline = null, IReadOnlyList<InstanceUsage>? instances = null) => new()
        {
            RunId = "run-1",
            Phase = RunPhase.Measured,
            Round = round,
            Variant = variant,
            ShardIndex = index,
            Duration = duration ?? TimeSpan.FromSeconds(10),
            Requests = latency.TotalCount,
            Successes = latency.TotalCount - 1,
            ScheduledArrivals = latency.TotalCount + 2,
            DroppedArrivals = 2,
            Errors = new ErrorCounts { Http5xx = 1 },
            BytesReceived = 100,
            Latency = HistogramCodec.Encode(latency),
            ServiceTime = HistogramCodec.Encode(latency),
            SchedulingLag = EncodedHistogram.Empty,
            Timeline = timeline ?? [],
            Instances = instances ?? [],
            StatusCodes = new Dictionary<int, long> { [200] = latency.TotalCount - 1, [500] = 1 },
        };

    [Fact]
    public void Merge_SixteenShards_EqualsRecordingEverythingInOneHistogram()
    {
        var rng = new Random(3);
        var whole = LatencyHistograms.Create();
        var parts = Enumerable.Range(0, 16).Select(_ => LatencyHistograms.Create()).ToArray();
        for (var i = 0; i < 200_000; i++)
        {
            var value = (long)Math.Exp(rng.NextDouble() * Math.Log(5_000_000));
            whole.RecordValue(value);
            parts[rng.Next(16)].RecordValue(value);
        }

        var merged = ShardMerger.Merge(parts.Select((h, i) => Shard(i, h)));

        HistogramCodecTests.AssertSameCounts(whole, merged.Latency);
        HistogramCodecTests.AssertSameCounts(whole, merged.ServiceTime);
        Assert.Equal(0, merged.SchedulingLag.TotalCount);
        Assert.Equal(200_000, merged.Requests);
        Assert.Equal(200_000 - 16, merged.Successes);
        Assert.Equal(16, merged.Errors.Http5xx);
        Assert.Equal(32, merged.DroppedArrivals);
        Assert.Equal(200_000 + 32, merged.ScheduledArrivals);
        Assert.Equal(1600, merged.BytesReceived);
        Assert.Equal(16, merged.StatusCodes[500]);
        Assert.Equal(200_000 - 16, merged.StatusCodes[200]);
        Assert.Equal(16 / 200_000.0, merged.ErrorRate, 12);

        // All 16 shards ran in the same round: the measured time is that round's, not 16 × 10 s.
        Assert.Equal(TimeSpan.FromSeconds(10), merged.MeasuredDuration);
        Assert.Equal(20_000, merged.ThroughputRps, 9);
    }

    [Fact]
    public void MergeTimeline_WindowPercentiles_AreExact()
    {
        var rng = new Random(5);
        var shards = new List<ShardResult>();
        var wholeBySecond = new Dictionary<long, LongHistogram>();
        for (var s = 0; s < 3; s++)
        {
            var windows = new List<TimelineWindow>();
            for (var second = 1_700_000_000L; second < 1_700_000_004L; second++)
            {
                var h = LatencyHistograms.CreateWindow();
                var whole = wholeBySecond.TryGetValue(second, out var w) ? w : wholeBySecond[second] = LatencyHistograms.CreateWindow();
                var n = rng.Next(50, 500);
                for (var i = 0; i < n; i++)
                {
                    var v = rng.Next(100, 900_000);
                    h.RecordValue(v);
                    whole.RecordValue(v);
                }

                windows.Add(new TimelineWindow
                {
                    UnixSecond = second,
                    Requests = n,
                    Errors = 1,
                    Dropped = s,
                    InFlightMax = 3,
                    Histogram = HistogramCodec.Encode(h),
                    LatencyP99Ms = h.GetValueAtPercentile(99) / 1000.0,
                });
            }

            shards.Add(Shard(s, LatencyHistograms.Create(), timeline: windows));
        }

        var merged = ShardMerger.Merge(shards).Timeline;

        Assert.Equal(4, merged.Count);
        foreach (var window in merged)
        {
            var whole = wholeBySecond[window.UnixSecond];
            Assert.Equal(whole.TotalCount, window.Requests);
            Assert.Equal(3, window.Errors);
            Assert.Equal(0 + 1 + 2, window.Dropped);
            Assert.Equal(9, window.InFlightMax);
            Assert.Equal(whole.GetValueAtPercentile(50) / 1000.0, window.LatencyP50Ms);
            Assert.Equal(whole.GetValueAtPercentile(99) / 1000.0, window.LatencyP99Ms);
            Assert.Equal(whole.GetMaxValue() / 1000.0, window.LatencyMaxMs);
            HistogramCodecTests.AssertSameCounts(whole, HistogramCodec.Decode(window.Histogram!));
        }
    }

    [Fact]
    public void Merge_Instances_UnitesBusyIntervalsById()
    {
        var a = new InstanceUsage { InstanceId = "i-1", Requests = 5, MaxConcurrency = 2, Busy = [new(0, 10), new(20, 30)] };
        var b = new InstanceUsage { InstanceId = "i-1", Requests = 3, MaxConcurrency = 1, Busy = [new(5, 22), new(40, 50)] };
        var c = new InstanceUsage { InstanceId = "i-2", Requests = 1, MaxConcurrency = 1, Busy = [new(0, 1)] };

        var merged = ShardMerger.Merge([
            Shard(0, LatencyHistograms.Create(), instances: [a, c]),
            Shard(1, LatencyHistograms.Create(), instances: [b]),
        ]).Instances;

        Assert.Equal(["i-1", "i-2"], merged.Select(i => i.InstanceId));
        Assert.Equal(8, merged[0].Requests);
        Assert.Equal(3, merged[0].MaxConcurrency);
        Assert.Equal([new BusyInterval(0, 30), new BusyInterval(40, 50)], merged[0].Busy);
        Assert.Equal(TimeSpan.FromMicroseconds(40), merged[0].ActiveTime);
    }

    [Fact]
    public void MeasuredDuration_SumsDistinctRounds_UsingEachRoundsLongestShard()
    {
        var h = LatencyHistograms.Create();
        var shards = new[]
        {
            Shard(0, h, round: 0, variant: "a"),
            Shard(1, h, round: 0, variant: "a"),
            Shard(0, h, round: 0, variant: "b", duration: TimeSpan.FromSeconds(4)),
            Shard(1, h, round: 0, variant: "b", duration: TimeSpan.FromSeconds(6)),
            Shard(0, h, round: 1, variant: "a"),
        };

        Assert.Equal(TimeSpan.FromSeconds(26), ShardMerger.MeasuredDuration(shards));
    }

    [Fact]
    public void Rounds_SummarisePerRoundAndVariant()
    {
        var fast = LatencyHistograms.Create();
        fast.RecordValueWithCount(1_000, 100);
        var slow = LatencyHistograms.Create();
        slow.RecordValueWithCount(5_000, 100);
        var shards = new[]
        {
            Shard(0, fast, round: 0, variant: "a"),
            Shard(1, fast, round: 0, variant: "a"),
            Shard(0, slow, round: 0, variant: "b"),
            Shard(0, fast, round: 1, variant: "a"),
            Shard(0, slow, round: 0, variant: "a") with { Phase = RunPhase.Warmup },
        };

        var rounds = ShardMerger.Rounds(shards);

        Assert.Equal([(0, "a"), (0, "b"), (1, "a")], rounds.Select(r => (r.Round, r.Variant)));
        Assert.Equal(200, rounds[0].Requests);
        Assert.Equal(2, rounds[0].Errors);
        Assert.Equal(20, rounds[0].ThroughputRps, 9);
        Assert.Equal(1.0, rounds[0].LatencyMs.P99);
        Assert.Equal(5.0, rounds[1].LatencyMs.P50, 0.005); // 3 significant digits
    }

    [Fact]
    public void Rounds_CarryTheirFirstShardStartAndLastShardEnd()
    {
        // A paired run's timeline places each side's rounds by these times (PairedTimeline in the reports).
        var h = LatencyHistograms.Create();
        h.RecordValueWithCount(1_000, 10);
        var t0 = new DateTimeOffset(2026, 12, 6, 22, 0, 0, TimeSpan.Zero);
        var shards = new[]
        {
            Shard(0, h, round: 0, variant: "reference") with { StartedAt = t0.AddMilliseconds(30), EndedAt = t0.AddSeconds(2) },
            Shard(1, h, round: 0, variant: "reference") with { StartedAt = t0, EndedAt = t0.AddSeconds(2.2) },
            Shard(0, h, round: 0) with { StartedAt = t0.AddSeconds(3), EndedAt = t0.AddSeconds(5) },
        };

        var rounds = ShardMerger.Rounds(shards);

        Assert.Equal([(0, ""), (0, "reference")], rounds.Select(r => (r.Round, r.Variant)));
        Assert.Equal(t0.AddSeconds(3), rounds[0].StartedAt);
        Assert.Equal(t0.AddSeconds(5), rounds[0].EndedAt);
        Assert.Equal(t0, rounds[1].StartedAt);
        Assert.Equal(t0.AddSeconds(2.2), rounds[1].EndedAt);
    }

    [Fact]
    public void HistogramSummaries_ConvertMicrosToMs()
    {
        var h = LatencyHistograms.Create();
        for (var v = 1; v <= 1000; v++)
        {
            h.RecordValue(v * 1000L);
        }

        var latency = HistogramSummaries.Latency(h);
        var lag = HistogramSummaries.Lag(h);

        // 3 significant digits: values are exact to 0.1 %.
        Assert.Equal(500, latency.P50, 0.5);
        Assert.Equal(900, latency.P90, 0.9);
        Assert.Equal(950, latency.P95, 0.95);
        Assert.Equal(990, latency.P99, 0.99);
        Assert.Equal(1000, latency.Max, 1.0);
        Assert.Equal(500.5, latency.Mean, 0.5);
        Assert.Equal(latency.P99, lag.P99);
        Assert.Equal(new Yardstick.Core.Summaries.LatencySummary(), HistogramSummaries.Latency(LatencyHistograms.Create()));
    }

    [Fact]
    public void MergeRequests_ByName_CountsSummedAndHistogramsExactInFirstSeenOrder()
    {
        var rng = new Random(5);
        var wholeA = LatencyHistograms.Create();
        var wholeB = LatencyHistograms.Create();
        RequestResult Part(string name, LongHistogram whole, int count, int status)
        {
            var part = LatencyHistograms.Create();
            for (var i = 0; i < count; i++)
            {
                var value = rng.Next(100, 50_000);
                part.RecordValue(value);
                whole.RecordValue(value);
            }

            return new RequestResult
            {
                Name = name,
                Requests = count,
                Successes = status == 200 ? count : 0,
                Errors = new ErrorCounts { Http5xx = status == 500 ? count : 0 },
                Latency = HistogramCodec.Encode(part),
                StatusCodes = new Dictionary<int, long> { [status] = count },
            };
        }

        var shards = new[]
        {
            Shard(0, LatencyHistograms.Create()) with { PerRequest = [Part("checkout", wholeA, 300, 200), Part("browse", wholeB, 100, 500)] },
            Shard(1, LatencyHistograms.Create()) with { PerRequest = [Part("checkout", wholeA, 200, 500), Part("browse", wholeB, 50, 500)] },
        };

        var merged = ShardMerger.Merge(shards).PerRequest;

        Assert.Equal(["checkout", "browse"], merged.Select(r => r.Name));
        Assert.Equal(500, merged[0].Requests);
        Assert.Equal(300, merged[0].Successes);
        Assert.Equal(200, merged[0].Errors.Http5xx);
        Assert.Equal(0.4, merged[0].ErrorRate, 12);
        Assert.Equal(new Dictionary<int, long> { [200] = 300, [500] = 200 }, merged[0].StatusCodes);
        Assert.Equal(wholeA.GetValueAtPercentile(95), merged[0].Latency.GetValueAtPercentile(95));
        Assert.Equal(wholeB.GetValueAtPercentile(99), merged[1].Latency.GetValueAtPercentile(99));
        Assert.Equal(150, merged[1].Latency.TotalCount);
    }
}
