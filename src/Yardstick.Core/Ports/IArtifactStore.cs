namespace Yardstick.Core.Ports;

/// <summary>
/// Run artifacts in blob storage (container <c>yardstick-runs</c>), laid out as
/// <c>{workload}/{runId}/{name}</c>: <c>summary.json</c>, <c>histograms/…</c>, <c>shards/…</c>,
/// <c>timeline.json</c>, <c>probes.json</c>, <c>report.html</c>, <c>report.md</c>, <c>junit.xml</c>.
/// Writes overwrite (idempotent).
/// </summary>
public interface IArtifactStore
{
    /// <summary>Human-readable location of a run's artifacts (a URL without credentials).</summary>
    string DescribeLocation(string workload, string runId);

    Task PutAsync(string workload, string runId, string name, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken);

    /// <summary>The artifact's content, or null when it does not exist.</summary>
    Task<byte[]?> GetAsync(string workload, string runId, string name, CancellationToken cancellationToken);

    /// <summary>Names (relative to the run) of the artifacts whose name starts with <paramref name="prefix"/>.</summary>
    Task<IReadOnlyList<string>> ListAsync(string workload, string runId, string prefix, CancellationToken cancellationToken);
}
