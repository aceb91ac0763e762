using System.Collections.Concurrent;
using Yardstick.Core.Load;

namespace Yardstick.Cli.Hosting;

/// <summary>
/// Collects the live statistics of the shards running in this process (the local host runs the activities
/// in-process) so the progress view can show req/s, errors and p99 while a round runs.
/// </summary>
internal sealed class LiveLoadProgress : ILoadProgress
{
    private readonly ConcurrentDictionary<string, LiveLoadStats> _shards = new();

    public void Report(LiveLoadStats stats) => _shards[stats.ShardKey] = stats;

    /// <summary>Totals over the shards of the newest round (older rounds are finished).</summary>
    public LiveTotals Snapshot(string runId)
    {
        var shards = _shards.Values.Where(s => s.ShardKey.StartsWith(runId, StringComparison.Ordinal)).ToList();
        if (shards.Count == 0)
        {
            return new LiveTotals(0, 0, 0, 0, 0, 0);
        }

        var current = shards.GroupBy(s => s.ShardKey[..s.ShardKey.LastIndexOf('/')]).Last().ToList();
        return new LiveTotals(
            shards.Sum(s => s.Requests),
            shards.Sum(s => s.Errors),
            shards.Sum(s => s.Dropped),
            current.Sum(s => s.CurrentRps),
            current.Count == 0 ? 0 : current.Max(s => s.LatencyP99Ms),
            current.Sum(s => s.InFlight));
    }

    public void Forget(string runId)
    {
        foreach (var key in _shards.Keys.Where(k => k.StartsWith(runId, StringComparison.Ordinal)))
        {
            _shards.TryRemove(key, out _);
        }
    }
}

internal readonly record struct LiveTotals(long Requests, long Errors, long Dropped, double CurrentRps, double P99Ms, int InFlight);
