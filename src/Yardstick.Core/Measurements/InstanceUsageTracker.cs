namespace Yardstick.Core.Measurements;

/// <summary>
/// Busy intervals and peak concurrency of one serving instance, built on the fly from exchanges [start, end)
/// reported in end order (Unix µs). Not thread-safe (the shard recorder serializes calls).
/// <para>
/// Starts arrive out of order (an exchange is reported when it ends), so events wait in a calendar queue of 1 ms
/// buckets and are swept in time order once they are more than <see cref="Horizon"/> behind the newest end seen. Each
/// sweep sorts one small bucket, so the work per exchange is constant and there are no long pauses. Exact for
/// exchanges shorter than the horizon; a longer one is counted from the sweep position on. Memory is bounded by the
/// events of one horizon plus the coalesced busy list (one interval while the instance never goes idle).
/// </para>
/// </summary>
internal sealed class InstanceUsageTracker
{
    /// <summary>How far behind the newest end the sweep stays: exchanges longer than this lose their early part.</summary>
    public const long HorizonMicros = 2_000_000;

    private const long BucketMicros = 1_000;
    private const int RingSize = (int)(HorizonMicros / BucketMicros) + 4;

    private readonly List<BusyInterval> _busy = [];
    private readonly long[]?[] _buckets = new long[]?[RingSize];
    private readonly int[] _counts = new int[RingSize];
    private long _cursor = long.MinValue; // absolute bucket number: every earlier bucket has been swept
    private long _pending;
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
        var endBucket = Bucket(endMicros);
        if (_cursor == long.MinValue)
        {
            _cursor = Bucket(endMicros - HorizonMicros);
        }

        if (endBucket >= _cursor + RingSize)
        {
            // The end lies beyond the ring: sweep far enough to make room first.
            SweepTo(endBucket - RingSize + 1);
        }

        var earliest = _cursor * BucketMicros;
        if (startMicros < earliest)
        {
            startMicros = earliest;
        }

        if (endMicros <= startMicros)
        {
            return;
        }

        // Key = time·2 + kind, with ends (0) before starts (1) at equal times: intervals are half-open.
        Add((startMicros << 1) | 1);
        Add(endMicros << 1);
        if (endMicros > _newestEnd)
        {
            _newestEnd = endMicros;
            SweepTo(Bucket(endMicros - HorizonMicros));
        }
    }

    /// <summary>Sweeps every buffered event and returns the result.</summary>
    public InstanceUsage Complete()
    {
        if (_cursor != long.MinValue)
        {
            SweepTo(_cursor + RingSize);
        }

        return new InstanceUsage
        {
            InstanceId = InstanceId,
            Requests = Requests,
            MaxConcurrency = MaxConcurrency,
            Busy = _busy.ToArray(),
        };
    }

    private static long Bucket(long micros) => micros >= 0 ? micros / BucketMicros : ((micros + 1) / BucketMicros) - 1;

    private static int Slot(long bucket) => (int)(((bucket % RingSize) + RingSize) % RingSize);

    private void Add(long key)
    {
        var slot = Slot(Bucket(key >> 1));
        var events = _buckets[slot];
        if (events is null || _counts[slot] == events.Length)
        {
            Array.Resize(ref events, Math.Max(8, (events?.Length ?? 0) * 2));
            _buckets[slot] = events;
        }

        events[_counts[slot]++] = key;
        _pending++;
    }

    /// <summary>Processes every bucket before <paramref name="bucket"/> (absolute number) in time order.</summary>
    private void SweepTo(long bucket)
    {
        while (_cursor < bucket)
        {
            if (_pending == 0)
            {
                _cursor = bucket;
                return;
            }

            var slot = Slot(_cursor);
            var count = _counts[slot];
            if (count > 0)
            {
                var events = _buckets[slot]!;
                Array.Sort(events, 0, count);
                for (var i = 0; i < count; i++)
                {
                    Apply(events[i]);
                }

                _counts[slot] = 0;
                _pending -= count;
            }

            _cursor++;
        }
    }

    private void Apply(long key)
    {
        var time = key >> 1;
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
