using HdrHistogram;

namespace Yardstick.Core.Measurements;

/// <summary>
/// Per-second windows aligned to whole Unix seconds. Exchanges count in the second they ended; dropped arrivals in
/// the second they were due; in-flight peaks in the second they were reached. Window histograms (2 significant
/// digits) are encoded once a window can no longer change (two seconds later) and their histogram is reused, so a
/// long run holds a handful of histograms, not one per second.
/// <para>Exchange calls are serialized by the caller; dropped and in-flight calls are lock-free.</para>
/// </summary>
internal sealed class TimelineRecorder
{
    private readonly ShardClock _clock;
    private readonly long _firstSecond;
    private readonly long[] _dropped;
    private readonly int[] _inFlightPeak;
    private readonly Dictionary<long, Window> _windows = [];
    private readonly List<Window> _open = [];
    private readonly Stack<LongHistogram> _pool = new();
    private long _latestSecond = long.MinValue;
    private Window? _last;

    /// <param name="clock">The shard clock.</param>
    /// <param name="span">How long after the origin events may still arrive (duration + drain); later ones count in the last second slot.</param>
    public TimelineRecorder(ShardClock clock, TimeSpan span)
    {
        _clock = clock;
        _firstSecond = clock.ToUnixSecond(clock.OriginTicks);
        var slots = (int)Math.Min(int.MaxValue / 2, Math.Ceiling(span.TotalSeconds) + 3);
        _dropped = new long[slots];
        _inFlightPeak = new int[slots];
    }

    public void RecordExchange(long endTicks, bool isError, long latencyMicros)
    {
        var second = _clock.ToUnixSecond(endTicks);
        var window = _last;
        if (window is null || window.Second != second)
        {
            if (!_windows.TryGetValue(second, out window))
            {
                window = new Window(second);
                _windows.Add(second, window);
            }

            _last = window;
        }

        window.Requests++;
        if (isError)
        {
            window.Errors++;
        }

        if (latencyMicros >= 0)
        {
            if (window.Histogram is null)
            {
                window.Histogram = _pool.Count > 0 ? _pool.Pop() : LatencyHistograms.CreateWindow();
                _open.Add(window);
            }

            window.Histogram.RecordValue(latencyMicros);
        }

        if (second > _latestSecond)
        {
            _latestSecond = second;
            for (var i = _open.Count - 1; i >= 0; i--)
            {
                if (_open[i].Second <= second - 2)
                {
                    Seal(_open[i]);
                    _open.RemoveAt(i);
                }
            }
        }
    }

    public void RecordDropped(long intendedTicks) => Interlocked.Increment(ref _dropped[Slot(intendedTicks)]);

    public void ObserveInFlight(long ticks, int inFlight)
    {
        ref var peak = ref _inFlightPeak[Slot(ticks)];
        var current = Volatile.Read(ref peak);
        while (inFlight > current)
        {
            var seen = Interlocked.CompareExchange(ref peak, inFlight, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    public IReadOnlyList<TimelineWindow> Complete()
    {
        foreach (var window in _open)
        {
            Seal(window);
        }

        _open.Clear();
        for (var i = 0; i < _dropped.Length; i++)
        {
            var dropped = Volatile.Read(ref _dropped[i]);
            var peak = Volatile.Read(ref _inFlightPeak[i]);
            if (dropped == 0 && peak == 0)
            {
                continue;
            }

            var second = _firstSecond + i;
            if (!_windows.TryGetValue(second, out var window))
            {
                window = new Window(second);
                _windows.Add(second, window);
            }

            window.Dropped = dropped;
            window.InFlightMax = peak;
        }

        return _windows.Values.OrderBy(w => w.Second).Select(w => new TimelineWindow
        {
            UnixSecond = w.Second,
            Requests = w.Requests,
            Errors = w.Errors,
            Dropped = w.Dropped,
            LatencyP50Ms = w.P50Ms,
            LatencyP99Ms = w.P99Ms,
            LatencyMaxMs = w.MaxMs,
            InFlightMax = w.InFlightMax,
            Histogram = w.Encoded,
        }).ToArray();
    }

    private int Slot(long ticks)
    {
        var index = _clock.ToUnixSecond(ticks) - _firstSecond;
        return (int)Math.Clamp(index, 0, _dropped.Length - 1);
    }

    private void Seal(Window window)
    {
        var histogram = window.Histogram!;
        (window.P50Ms, window.P99Ms, window.MaxMs) = WindowStats(histogram);
        window.Encoded = HistogramCodec.Encode(histogram);
        window.Histogram = null;
        histogram.Reset();
        _pool.Push(histogram);
    }

    /// <summary>p50, p99 and max of a window histogram, in ms (the merger recomputes them the same way).</summary>
    public static (double P50Ms, double P99Ms, double MaxMs) WindowStats(HistogramBase histogram) =>
        histogram.TotalCount == 0
            ? (0, 0, 0)
            : (histogram.GetValueAtPercentile(50) / 1000.0, histogram.GetValueAtPercentile(99) / 1000.0, histogram.GetMaxValue() / 1000.0);

    private sealed class Window(long second)
    {
        public long Second { get; } = second;

        public long Requests { get; set; }

        public long Errors { get; set; }

        public long Dropped { get; set; }

        public int InFlightMax { get; set; }

        public LongHistogram? Histogram { get; set; }

        public EncodedHistogram? Encoded { get; set; }

        public double P50Ms { get; set; }

        public double P99Ms { get; set; }

        public double MaxMs { get; set; }
    }
}
