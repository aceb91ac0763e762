using System.Collections.Concurrent;
using Yardstick.Core.Ports;

namespace Yardstick.Orchestration.Tests.TestSupport;

/// <summary>Run artifacts in a dictionary keyed like the blob layout.</summary>
internal sealed class InMemoryArtifactStore : IArtifactStore
{
    private readonly ConcurrentDictionary<string, byte[]> _blobs = new(StringComparer.Ordinal);

    public string DescribeLocation(string workload, string runId) => $"memory://yardstick-runs/{workload}/{runId}/";

    public Task PutAsync(string workload, string runId, string name, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken)
    {
        _blobs[$"{workload}/{runId}/{name}"] = content.ToArray();
        return Task.CompletedTask;
    }

    public Task<byte[]?> GetAsync(string workload, string runId, string name, CancellationToken cancellationToken) =>
        Task.FromResult(_blobs.GetValueOrDefault($"{workload}/{runId}/{name}"));

    public Task<IReadOnlyList<string>> ListAsync(string workload, string runId, string prefix, CancellationToken cancellationToken)
    {
        var folder = $"{workload}/{runId}/";
        return Task.FromResult<IReadOnlyList<string>>(_blobs.Keys
            .Where(k => k.StartsWith(folder + prefix, StringComparison.Ordinal))
            .Select(k => k[folder.Length..])
            .Order(StringComparer.Ordinal)
            .ToList());
    }
}
