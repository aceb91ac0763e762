namespace Yardstick.Core.Ports;

/// <summary>
/// Run artifacts in blob storage (container <c>yardstick-runs</c>), laid out as
/// <c>{workload}/{runId}/{name}</c>: <c>summary.json</c>, <c>histograms/…</c>, <c>shards/…</c>,
/// <c>timeline.json</c>, <c>probes.json</c>, <c>report.html</c>, <c>report.md</c>, <c>junit.xml</c>.
/// Writes overwrite (idempotent). Besides run ids, the <c>runId</c> segment may be one of the reserved
/// <see cref="ArtifactFolders"/> holding workload-level documents.
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

/// <summary>
/// Reserved folders beside a workload's runs, for documents that belong to the workload rather than to one run. They
/// start with <c>_</c>, which no run id does, so they can never collide with a run.
/// </summary>
public static class ArtifactFolders
{
    /// <summary><c>{workload}/_calibration/</c>: <c>latest.json</c> and dated copies written by <c>yardstick calibrate</c>.</summary>
    public const string Calibration = "_calibration";

    /// <summary><c>{workload}/_schedule/</c>: <c>state.json</c>, the timer's last tick and due time for the workload.</summary>
    public const string Schedule = "_schedule";

    /// <summary><c>{workload}/_versions/</c>: the texts of registered workload versions, named by content hash (<c>{sha256}.yaml</c>).</summary>
    public const string Versions = "_versions";

    /// <summary>Whether <paramref name="folder"/> is one of the reserved folders.</summary>
    public static bool IsReserved(string? folder) => folder is Calibration or Schedule or Versions;
}
