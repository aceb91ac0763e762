using System.Collections.Concurrent;
using Yardstick.Core;
using Yardstick.Core.Ports;
using Yardstick.Orchestration.Contracts;

namespace Yardstick.Orchestration.Hosting;

/// <summary>
/// Reads a run's <c>plan.json</c>, caching recent plans (every shard of a run needs the same one). Concurrent callers
/// for one run share a single read: a wide round's shards all start at once, and the plan lists every shard, so each
/// reading it for itself cost O(shards²) downloads and parses (256 shards: 256 reads of a plan of 256 shard templates).
/// A failed read is not kept: the next caller reads again.
/// </summary>
public sealed class PlanReader(IArtifactStore artifacts)
{
    public const string PlanBlobName = "plan.json";
    private const int MaxCached = 32;
    private readonly ConcurrentDictionary<string, Lazy<Task<StoredPlan>>> _cache = new();

    /// <summary>Reads of plan.json made (not served from the cache or a read under way).</summary>
    public int Reads => _reads;

    private int _reads;

    public async Task<StoredPlan> GetAsync(string workload, string runId, CancellationToken cancellationToken)
    {
        if (!_cache.TryGetValue(runId, out var entry))
        {
            if (_cache.Count >= MaxCached)
            {
                _cache.Clear();
            }

            // The shared read does not take one caller's token: another caller may still want it. Each caller stops
            // waiting on its own.
            entry = _cache.GetOrAdd(runId, _ => new Lazy<Task<StoredPlan>>(() => ReadAsync(workload, runId)));
        }

        try
        {
            return await entry.Value.WaitAsync(cancellationToken);
        }
        catch (Exception) when (entry.Value.IsFaulted || entry.Value.IsCanceled)
        {
            _cache.TryRemove(new KeyValuePair<string, Lazy<Task<StoredPlan>>>(runId, entry));
            throw;
        }
    }

    private async Task<StoredPlan> ReadAsync(string workload, string runId)
    {
        Interlocked.Increment(ref _reads);
        var bytes = await artifacts.GetAsync(workload, runId, PlanBlobName, CancellationToken.None)
            ?? throw new InvalidOperationException($"Run {runId}: {PlanBlobName} is missing from {artifacts.DescribeLocation(workload, runId)}.");
        return YardstickJson.Deserialize<StoredPlan>(bytes);
    }
}
