using BenchmarkDotNet.Attributes;
using Yardstick.Core.Load;
using Yardstick.Core.Measurements;

namespace Yardstick.Benchmarks;

/// <summary>Merging 16 shard results of a one-minute round (histograms, 60 timeline windows each, one instance).</summary>
[MemoryDiagnoser]
public class MergeBenchmarks
{
    private ShardResult[] _shards = null!;

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(1);
        _shards = Enumerable.Range(0, 16).Select(i =>
        {
            var latency = LatencyHistograms.Create();
            var windows = new List<TimelineWindow>();
            for (var second = 0; second < 60; second++)
            {
                var window = LatencyHistograms.CreateWindow();
                for (var r = 0; r < 500; r++)
                {
                    var v = (long)Math.Exp(4 + (rng.NextDouble() * 8));
                    latency.RecordValue(v);
                    window.RecordValue(v);
                }

                windows.Add(new TimelineWindow { UnixSecond = 1_700_000_000 + second, Requests = 500, Histogram = HistogramCodec.Encode(window) });
            }

            return new ShardResult
            {
                RunId = "bench",
                Phase = RunPhase.Measured,
                ShardIndex = i,
                Duration = TimeSpan.FromMinutes(1),
                Requests = latency.TotalCount,
                Latency = HistogramCodec.Encode(latency),
                ServiceTime = HistogramCodec.Encode(latency),
                SchedulingLag = HistogramCodec.Encode(latency),
                Timeline = windows,
                Instances = [new InstanceUsage { InstanceId = "i-1", Requests = latency.TotalCount, Busy = [new(0, 60_000_000)] }],
            };
        }).ToArray();
    }

    [Benchmark]
    public MergedMeasurements Merge16Shards() => ShardMerger.Merge(_shards);
}
