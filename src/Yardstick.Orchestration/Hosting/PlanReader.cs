using System.Collections.Concurrent;
using Yardstick.Core;
using Yardstick.Core.Ports;
using Yardstick.Orchestration.Contracts;

namespace Yardstick.Orchestration.Hosting;

/// <summary>Reads a run's <c>plan.json</c>, caching recent plans (every shard of a run needs the same one).</summary>
public sealed class PlanReader(IArtifactStore artifacts)
{
    public const string PlanBlobName = "plan.json";
    private const int MaxCached = 32;
    private readonly ConcurrentDictionary<string, StoredPlan> _cache = new();

    public async Task<StoredPlan> GetAsync(string workload, string runId, CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue(runId, out var cached))
        {
            return cached;
        }

        var bytes = await artifacts.GetAsync(workload, runId, PlanBlobName, cancellationToken)
            ?? throw new InvalidOperationException($"Run {runId}: {PlanBlobName} is missing from {artifacts.DescribeLocation(workload, runId)}.");
        var plan = YardstickJson.Deserialize<StoredPlan>(bytes);
        if (_cache.Count >= MaxCached)
        {
            _cache.Clear();
        }

        _cache[runId] = plan;
        return plan;
    }
}
