namespace Yardstick.Core.Load;

/// <summary>Receives live statistics of a running shard (about every 500 ms, and once at the end).</summary>
public interface ILoadProgress
{
    /// <summary>Called on a thread-pool thread; keep it quick (it must not block the generator).</summary>
    void Report(LiveLoadStats stats);
}

/// <summary>A shard's progress so far.</summary>
/// <param name="ShardKey">The shard's <see cref="ShardPlan.Key"/>.</param>
/// <param name="Phase">Warm-up or measured.</param>
/// <param name="Elapsed">Time since the shard's start.</param>
/// <param name="Duration">Planned load duration.</param>
/// <param name="Requests">Exchanges ended so far.</param>
/// <param name="Errors">Failed exchanges so far (all classes).</param>
/// <param name="Dropped">Arrivals dropped at max-in-flight so far.</param>
/// <param name="InFlight">Requests in flight now (queued for a connection or under way).</param>
/// <param name="CurrentRps">Exchanges per second since the previous report.</param>
/// <param name="LatencyP99Ms">p99 latency so far, milliseconds.</param>
public sealed record LiveLoadStats(
    string ShardKey,
    RunPhase Phase,
    TimeSpan Elapsed,
    TimeSpan Duration,
    long Requests,
    long Errors,
    long Dropped,
    int InFlight,
    double CurrentRps,
    double LatencyP99Ms);
