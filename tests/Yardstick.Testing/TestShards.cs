using Yardstick.Core.Load;
using Yardstick.Core.Measurements;

namespace Yardstick.Testing;

/// <summary>Small, hand-checkable shard results for cost and merge tests.</summary>
public static class TestShards
{
    /// <summary>
    /// 10 measured requests of 40 ms from <paramref name="start"/>: 7 end in the first second, 3 in the next; one instance
    /// <c>i1</c> busy [0.8 s, 1.2 s) (400 ms: one billed Flex second).
    /// </summary>
    public static ShardResult TenRequestsOf40Ms(string runId, DateTimeOffset start)
    {
        var latency = LatencyHistograms.Create();
        latency.RecordValueWithCount(40_000, 10);
        var encoded = HistogramCodec.Encode(latency);
        var second = start.ToUnixTimeSeconds();
        var startMicros = start.ToUnixTimeMilliseconds() * 1000;
        return new ShardResult
        {
            RunId = runId,
            Phase = RunPhase.Measured,
            StartedAt = start,
            EndedAt = start.AddSeconds(2),
            Duration = TimeSpan.FromSeconds(2),
            ScheduledArrivals = 10,
            Requests = 10,
            Successes = 10,
            Latency = encoded,
            ServiceTime = encoded,
            SchedulingLag = HistogramCodec.Encode(LatencyHistograms.Create()),
            Timeline =
            [
                new TimelineWindow { UnixSecond = second, Requests = 7, LatencyP50Ms = 40 },
                new TimelineWindow { UnixSecond = second + 1, Requests = 3, LatencyP50Ms = 40 },
            ],
            Instances = [new InstanceUsage { InstanceId = "i1", Requests = 10, MaxConcurrency = 1, Busy = [new BusyInterval(startMicros + 800_000, startMicros + 1_200_000)] }],
        };
    }
}
