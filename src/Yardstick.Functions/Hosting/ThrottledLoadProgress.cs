using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Yardstick.Core.Load;

namespace Yardstick.Functions.Hosting;

/// <summary>
/// Live shard statistics in Azure: nobody watches a console, and a log line every 500 ms per shard would flood
/// Application Insights, so each shard logs at most once per <see cref="Interval"/> (plus its final report).
/// </summary>
public sealed class ThrottledLoadProgress(ILogger<ThrottledLoadProgress> logger, TimeProvider time) : ILoadProgress
{
    /// <summary>Minimum time between two progress lines of one shard.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    private const int MaxTracked = 1024;
    private readonly ConcurrentDictionary<string, long> _lastLogged = new();

    public void Report(LiveLoadStats stats)
    {
        var now = time.GetTimestamp();
        var final = stats.Elapsed >= stats.Duration;
        if (!final && _lastLogged.TryGetValue(stats.ShardKey, out var last) && time.GetElapsedTime(last, now) < Interval)
        {
            return;
        }

        if (_lastLogged.Count >= MaxTracked)
        {
            // Finished shards are never reported again; forgetting them all only costs one extra line per live shard.
            _lastLogged.Clear();
        }

        _lastLogged[stats.ShardKey] = now;
        Log.ShardProgress(logger, stats.ShardKey, stats.Requests, stats.Errors, stats.Dropped, stats.CurrentRps, stats.LatencyP99Ms);
    }
}
