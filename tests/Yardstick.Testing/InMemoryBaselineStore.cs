using System.Globalization;
using Yardstick.Core.Ports;

namespace Yardstick.Testing;

/// <summary>
/// In-memory <see cref="IBaselineStore"/> with the table's rules (ETag-checked promotion, append-only history, newest
/// first). The real store is tested against Azurite in Yardstick.Storage.Tests; this one serves layers above storage.
/// </summary>
public sealed class InMemoryBaselineStore(TimeProvider? time = null) : IBaselineStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<BaselineKey, Baseline> _current = [];
    private readonly Dictionary<BaselineKey, List<Baseline>> _history = [];
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private long _etag;

    public Task<Baseline?> GetCurrentAsync(BaselineKey key, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_current.GetValueOrDefault(Normalise(key)));
        }
    }

    public Task<IReadOnlyList<Baseline>> ListCurrentAsync(string workload, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<Baseline>>(_current.Values.Where(b => b.Key.Workload == workload).ToList());
        }
    }

    public Task<Baseline> PromoteAsync(BaselineKey key, IReadOnlyList<string> runIds, string mode, string? promotedBy, string? reason, string? expectedETag, CancellationToken cancellationToken)
    {
        key = Normalise(key);
        lock (_gate)
        {
            var current = _current.GetValueOrDefault(key);
            if (expectedETag != "*" && (expectedETag is null ? current is not null : current?.ETag != expectedETag))
            {
                throw new BaselineConflictException(key, expectedETag);
            }

            var baseline = new Baseline(key, runIds.ToList(), mode, _time.GetUtcNow(), promotedBy, reason, (++_etag).ToString(CultureInfo.InvariantCulture));
            _current[key] = baseline;
            if (!_history.TryGetValue(key, out var history))
            {
                _history[key] = history = [];
            }

            history.Insert(0, baseline);
            return Task.FromResult(baseline);
        }
    }

    public Task<IReadOnlyList<Baseline>> HistoryAsync(BaselineKey key, int last, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<Baseline>>(_history.GetValueOrDefault(Normalise(key))?.Take(last).ToList() ?? []);
        }
    }

    private static BaselineKey Normalise(BaselineKey key) => string.IsNullOrEmpty(key.Environment) ? key with { Environment = null } : key;
}
