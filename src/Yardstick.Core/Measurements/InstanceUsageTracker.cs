namespace Yardstick.Core.Measurements;

/// <summary>
/// Busy intervals and peak concurrency of one serving instance, built on the fly from exchanges [start, end)
/// reported in end order (Unix µs). Not thread-safe (the shard recorder serializes calls).
/// <para>
/// Starts arrive out of order (an exchange is reported when it ends), so events are buffered and swept in time order
/// once they are older than <see cref="Horizon"/> behind the newest end seen: exact for exchanges shorter than the
/// horizon; a longer one is counted from the sweep position on. Memory is bounded by the events of one horizon plus
/// the coalesced busy list (one interval while the instance never goes idle).
/// </para>
/// </summary>
internal sealed class InstanceUsageTracker
{
    /// <summary>How far behind the newest end the sweep stays: exchanges longer than this lose their early part.</summary>
    public static readonly long HorizonMicros = 2_000_000;

    private readonly List<BusyInterval> _busy = [];
    private long[] _events = new long[1024];
    private int _count;
    private int _threshold = 1024;
    private long _sweptUpTo = long.MinValue;
    private long _newestEnd = long.MinValue;
    private int _active;
    private long _activeSince;

    public InstanceUsageTracker(string instanceId)
    {
        InstanceId = instanceId;
    }

    public static TimeSpan Horizon => TimeSpan.FromMicroseconds(HorizonMicros);

    public string InstanceId { get; }

    public long Requests { get; private set; }

    public int MaxConcurrency { get; private set; }

    public void Record(long startMicros, long endMicros)
    {
        Requests++;
        if (startMicros < _sweptUpTo)
        {
            startMicros = _sweptUpTo;
        }

        if (endMicros <= startMicros)
        {
            return;
        }

        if (_count + 2 > _events.Length)
        {
            Array.Resize(ref _events, _events.Length * 2);
        }

        // Key = time·2 + kind, with ends (0) before starts (1) at equal times: intervals are half-open.
        _events[_count++] = (startMicros << 1) | 1;
        _events[_count++] = endMicros << 1;
        if (endMicros > _newestEnd)
        {
            _newestEnd = endMicros;
        }

        if (_count >= _threshold)
        {
            Sweep(_newestEnd - HorizonMicros);
            if (_count > _threshold / 2)
            {
                // Busy instance: more than half the buffer is still inside the horizon; sweep less often.
                _threshold *= 2;
            }
        }
    }

    /// <summary>Sweeps every buffered event and returns the result.</summary>
    public InstanceUsage Complete()
    {
        Sweep(long.MaxValue);
        return new InstanceUsage
        {
            InstanceId = InstanceId,
            Requests = Requests,
            MaxConcurrency = MaxConcurrency,
            Busy = _busy.ToArray(),
        };
    }

    private void Sweep(long upToMicros)
    {
        Array.Sort(_events, 0, _count);
        var i = 0;
        for (; i < _count; i++)
        {
            var key = _events[i];
            var time = key >> 1;
            if (time >= upToMicros)
            {
                break;
            }

            if ((key & 1) == 1)
            {
                if (_active++ == 0)
                {
                    _activeSince = time;
                }

                if (_active > MaxConcurrency)
                {
                    MaxConcurrency = _active;
                }
            }
            else if (--_active == 0)
            {
                AddBusy(_activeSince, time);
            }
        }

        if (i > 0)
        {
            Array.Copy(_events, i, _events, 0, _count - i);
            _count -= i;
        }

        if (upToMicros != long.MaxValue && upToMicros > _sweptUpTo)
        {
            _sweptUpTo = upToMicros;
        }
    }

    private void AddBusy(long start, long end)
    {
        if (_busy.Count > 0 && _busy[^1].EndUnixMicros >= start)
        {
            // Touching (or clamped) intervals coalesce.
            var last = _busy[^1];
            _busy[^1] = last with { EndUnixMicros = Math.Max(last.EndUnixMicros, end) };
            return;
        }

        _busy.Add(new BusyInterval(start, end));
    }

    /// <summary>Union of busy lists (sorted, disjoint, touching intervals coalesced).</summary>
    public static IReadOnlyList<BusyInterval> Union(IEnumerable<BusyInterval> intervals)
    {
        var sorted = intervals.Where(b => b.EndUnixMicros > b.StartUnixMicros).OrderBy(b => b.StartUnixMicros).ToList();
        var result = new List<BusyInterval>(sorted.Count);
        foreach (var b in sorted)
        {
            if (result.Count > 0 && result[^1].EndUnixMicros >= b.StartUnixMicros)
            {
                var last = result[^1];
                result[^1] = last with { EndUnixMicros = Math.Max(last.EndUnixMicros, b.EndUnixMicros) };
            }
            else
            {
                result.Add(b);
            }
        }

        return result;
    }
}
