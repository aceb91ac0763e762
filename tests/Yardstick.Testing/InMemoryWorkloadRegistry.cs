using Yardstick.Core.Ports;
using Yardstick.Core.Workloads.Registry;

namespace Yardstick.Testing;

/// <summary>
/// In-memory <see cref="IWorkloadRegistry"/> with the Table registry's rules (versions numbered per workload, newest first,
/// a push of the newest active text changes nothing, retired versions stay listed). The real one is tested against Azurite
/// in Yardstick.Storage.Tests; this serves the layers above storage.
/// </summary>
public sealed class InMemoryWorkloadRegistry(TimeProvider? time = null) : IWorkloadRegistry
{
    private readonly object _gate = new();
    private readonly Dictionary<string, List<(WorkloadVersion Version, string Text)>> _versions = new(StringComparer.Ordinal);
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public Task<WorkloadPushResult> PushAsync(string workload, string text, string? schedule, string? author, CancellationToken cancellationToken)
    {
        WorkloadNames.Check(workload);
        var hash = WorkloadContentHash.Of(text);
        lock (_gate)
        {
            if (!_versions.TryGetValue(workload, out var list))
            {
                _versions[workload] = list = [];
            }

            var newest = list.Select(v => v.Version).Where(v => !v.IsRetired).OrderByDescending(v => v.Version).FirstOrDefault();
            if (newest is not null && newest.ContentHash == hash)
            {
                return Task.FromResult(new WorkloadPushResult(newest, Created: false));
            }

            var version = new WorkloadVersion(workload, list.Count + 1, hash, WorkloadContentHash.FormatOf(text), author, _time.GetUtcNow(), schedule, System.Text.Encoding.UTF8.GetByteCount(text));
            list.Add((version, text));
            return Task.FromResult(new WorkloadPushResult(version, Created: true));
        }
    }

    public Task<IReadOnlyList<WorkloadVersion>> VersionsAsync(string workload, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<WorkloadVersion>>(_versions.TryGetValue(workload, out var list)
                ? list.Select(v => v.Version).OrderByDescending(v => v.Version).ToList()
                : []);
        }
    }

    public async Task<WorkloadVersion?> NewestAsync(string workload, CancellationToken cancellationToken) =>
        (await VersionsAsync(workload, cancellationToken)).FirstOrDefault(v => !v.IsRetired);

    public Task<string?> GetTextAsync(string workload, int version, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_versions.TryGetValue(workload, out var list) && version >= 1 && version <= list.Count ? list[version - 1].Text : null);
        }
    }

    public Task<WorkloadVersion?> RetireAsync(string workload, int version, string? retiredBy, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_versions.TryGetValue(workload, out var list) || version < 1 || version > list.Count)
            {
                return Task.FromResult<WorkloadVersion?>(null);
            }

            var (current, text) = list[version - 1];
            if (!current.IsRetired)
            {
                current = current with { RetiredAt = _time.GetUtcNow(), RetiredBy = retiredBy };
                list[version - 1] = (current, text);
            }

            return Task.FromResult<WorkloadVersion?>(current);
        }
    }

    public Task<IReadOnlyList<WorkloadVersion>> ListNewestAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<WorkloadVersion>>(_versions.Keys.Order(StringComparer.Ordinal)
                .Select(name => _versions[name].Select(v => v.Version).Where(v => !v.IsRetired).OrderByDescending(v => v.Version).FirstOrDefault())
                .Where(v => v is not null)
                .Select(v => v!)
                .ToList());
        }
    }
}
