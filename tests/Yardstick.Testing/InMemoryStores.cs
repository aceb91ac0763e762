using System.Collections.Concurrent;
using Yardstick.Core.Ports;
using Yardstick.Core.Runs;

namespace Yardstick.Testing;

/// <summary>
/// In-memory <see cref="IRunStore"/> with the Runs table's ordering (newest first by the time-descending row key).
/// The real Table implementation is tested against Azurite in Yardstick.Storage.Tests; these serve tests of the
/// layers above storage (Functions handlers, activities).
/// </summary>
public sealed class InMemoryRunStore : IRunStore
{
    private readonly ConcurrentDictionary<string, RunRecord> _runs = new(StringComparer.Ordinal);

    public Task UpsertAsync(RunRecord run, CancellationToken cancellationToken)
    {
        _runs[run.RunId] = run;
        return Task.CompletedTask;
    }

    public Task<RunRecord?> GetAsync(string runId, CancellationToken cancellationToken) =>
        Task.FromResult(_runs.GetValueOrDefault(runId));

    public Task<IReadOnlyList<RunRecord>> ListAsync(string workload, int last, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<RunRecord>>(_runs.Values
            .Where(r => r.Workload == workload)
            .OrderBy(r => RunIds.DescendingRowKey(r.RunId), StringComparer.Ordinal)
            .Take(last)
            .ToList());

    public Task<IReadOnlyList<RunRecord>> ListWindowAsync(RunWindow window, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<RunRecord>>(_runs.Values
            .Where(window.Contains)
            .OrderBy(r => RunIds.DescendingRowKey(r.RunId), StringComparer.Ordinal)
            .Take(window.MaxRuns)
            .ToList());
}

/// <summary>In-memory <see cref="IArtifactStore"/> keyed like the blob layout <c>{workload}/{runId}/{name}</c>.</summary>
public sealed class InMemoryArtifactStore : IArtifactStore
{
    private readonly ConcurrentDictionary<string, byte[]> _blobs = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> Names => _blobs.Keys.ToList();

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

/// <summary>In-memory <see cref="IIdempotencyStore"/>: the first claim of a key wins, as the table's insert does.</summary>
public sealed class InMemoryIdempotencyStore : IIdempotencyStore
{
    private readonly ConcurrentDictionary<string, IdempotencyClaim> _claims = new(StringComparer.Ordinal);

    public Task<IdempotencyClaim> ClaimAsync(string keyHash, IdempotencyClaim claim, CancellationToken cancellationToken) =>
        Task.FromResult(_claims.GetOrAdd(keyHash, claim));
}

/// <summary>
/// In-memory <see cref="IAlertDeliveryStore"/> with the table's semantics: insert-if-absent, replace only with the current
/// ETag. <see cref="Rows"/> shows every row for assertions.
/// </summary>
public sealed class InMemoryAlertDeliveryStore : IAlertDeliveryStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string, string), AlertDelivery> _rows = [];
    private readonly ConcurrentDictionary<string, int> _issues = new(StringComparer.Ordinal);
    private long _version;

    public IReadOnlyList<AlertDelivery> Rows
    {
        get
        {
            lock (_gate)
            {
                return _rows.Values.ToList();
            }
        }
    }

    public Task<AlertDelivery?> GetAsync(string runId, string key, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_rows.GetValueOrDefault((runId, key)));
        }
    }

    public Task<AlertDelivery?> TryAddAsync(AlertDelivery delivery, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_rows.ContainsKey((delivery.RunId, delivery.Key)))
            {
                return Task.FromResult<AlertDelivery?>(null);
            }

            var stored = delivery with { ETag = (++_version).ToString(System.Globalization.CultureInfo.InvariantCulture) };
            _rows[(delivery.RunId, delivery.Key)] = stored;
            return Task.FromResult<AlertDelivery?>(stored);
        }
    }

    public Task<AlertDelivery?> TryReplaceAsync(AlertDelivery delivery, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_rows.TryGetValue((delivery.RunId, delivery.Key), out var current) || current.ETag != delivery.ETag)
            {
                return Task.FromResult<AlertDelivery?>(null);
            }

            var stored = delivery with { ETag = (++_version).ToString(System.Globalization.CultureInfo.InvariantCulture) };
            _rows[(delivery.RunId, delivery.Key)] = stored;
            return Task.FromResult<AlertDelivery?>(stored);
        }
    }

    public Task<int?> GetIssueAsync(string thread, CancellationToken cancellationToken) =>
        Task.FromResult(_issues.TryGetValue(thread, out var issue) ? issue : (int?)null);

    public Task SetIssueAsync(string thread, int issue, CancellationToken cancellationToken)
    {
        _issues[thread] = issue;
        return Task.CompletedTask;
    }

    public Task AddSilenceAsync(string workload, Yardstick.Core.Workloads.SilenceWindow window, CancellationToken cancellationToken)
    {
        _silences.Enqueue((workload, window));
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<Yardstick.Core.Workloads.SilenceWindow>> ListSilencesAsync(string workload, DateTimeOffset after, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Yardstick.Core.Workloads.SilenceWindow>>(
            _silences.Where(s => s.Workload == workload && s.Window.To > after).Select(s => s.Window).OrderBy(w => w.From).ToList());

    private readonly ConcurrentQueue<(string Workload, Yardstick.Core.Workloads.SilenceWindow Window)> _silences = new();
}
