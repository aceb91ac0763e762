using HdrHistogram;

namespace Yardstick.Core.Measurements;

/// <summary>
/// Per-second windows aligned to whole Unix seconds. Exchanges count in the second they ended; dropped arrivals in
/// the second they were due; in-flight peaks in the second they were reached. Window histograms (2 significant
/// digits) are encoded once a window can no longer change (two seconds later) and their histogram is reused, so a
/// long run holds a handful of histograms, not one per second. The seal (percentiles and encoding, 1–2 ms) is
/// <see cref="BackgroundWork"/>, not done on the recording thread, which on the paced epoll loop also sends the next arrivals;
/// at most <see cref="MaxPendingSeals"/> wait, and <see cref="Complete"/> finishes them without waiting for the background
/// thread: a seal it finds under way there it computes again from the same histogram, and the first result stands.
/// <para>Exchange calls are serialized by the caller; dropped and in-flight calls are lock-free.</para>
/// </summary>
internal sealed class TimelineRecorder
{
    /// <summary>Seals that may wait for the background thread before the recording thread runs the oldest itself (bounds the histograms held).</summary>
    internal const int MaxPendingSeals = 4;

    private readonly ShardClock _clock;
    private readonly long _firstSecond;
    private readonly long[] _dropped;
    private readonly int[] _inFlightPeak;
    private readonly Dictionary<long, Window> _windows = [];
    private readonly List<Window> _open = [];
    private readonly Stack<LongHistogram> _pool = new(); // shared with the background seals: lock it
    private readonly List<PendingSeal> _sealing = [];
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
                window.Histogram = RentHistogram();
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
                    QueueSeal(_open[i], Detach(_open[i]));
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
            Seal(window, Detach(window));
        }

        _open.Clear();
        foreach (var pending in _sealing)
        {
            if (!pending.Job.TryRun() && pending.Window.Sealed is null)
            {
                // Under way on the background thread (which may be starved): computed again here. Both only read the
                // histogram; whoever publishes first resets it, and recording has ended, so nothing writes to it.
                try
                {
                    Interlocked.CompareExchange(ref pending.Window.Sealed, Compute(pending.Histogram), null);
                }
                catch (Exception) when (pending.Window.Sealed is not null)
                {
                    // The background thread published (and reset the histogram) while this copy read it: its result stands.
                }
            }

            if (pending.Window.Sealed is null)
            {
                // The background thread's attempt threw (and nothing was published): here it throws for the caller to see.
                pending.Window.Sealed = Compute(pending.Histogram);
            }
        }

        _sealing.Clear();
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
            LatencyP50Ms = w.Sealed?.P50Ms ?? 0,
            LatencyP99Ms = w.Sealed?.P99Ms ?? 0,
            LatencyMaxMs = w.Sealed?.MaxMs ?? 0,
            InFlightMax = w.InFlightMax,
            Histogram = w.Sealed?.Encoded,
        }).ToArray();
    }

    private int Slot(long ticks)
    {
        var index = _clock.ToUnixSecond(ticks) - _firstSecond;
        return (int)Math.Clamp(index, 0, _dropped.Length - 1);
    }

    /// <summary>Takes the window's histogram away from recording (the window can no longer change).</summary>
    private static LongHistogram Detach(Window window)
    {
        var histogram = window.Histogram!;
        window.Histogram = null;
        return histogram;
    }

    private void QueueSeal(Window window, LongHistogram histogram)
    {
        _sealing.RemoveAll(static pending => pending.Window.Sealed is not null);
        for (var i = 0; i < _sealing.Count && _sealing.Count - i >= MaxPendingSeals; i++)
        {
            // The background thread is starved (a saturated core): the oldest seals it has not reached run here.
            _sealing[i].Job.TryRun();
        }

        _sealing.Add(new PendingSeal(BackgroundWork.Enqueue(() => Seal(window, histogram)), window, histogram));
    }

    private LongHistogram RentHistogram()
    {
        lock (_pool)
        {
            if (_pool.TryPop(out var histogram))
            {
                return histogram;
            }
        }

        return LatencyHistograms.CreateWindow();
    }

    /// <summary>Publishes the window's figures and encoding from its detached histogram (unless published already), then returns the histogram to the pool.</summary>
    private void Seal(Window window, LongHistogram histogram)
    {
        Interlocked.CompareExchange(ref window.Sealed, Compute(histogram), null);

        // Published (by this thread or by Complete, which only publishes after it has read): nobody reads it now.
        histogram.Reset();
        lock (_pool)
        {
            _pool.Push(histogram);
        }
    }

    private static SealedWindow Compute(LongHistogram histogram)
    {
        var (p50, p99, max) = WindowStats(histogram);
        return new SealedWindow(p50, p99, max, HistogramCodec.Encode(histogram));
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

        /// <summary>The window's figures once sealed (published once, by whichever thread sealed it first).</summary>
        public SealedWindow? Sealed;
    }

    private sealed record SealedWindow(double P50Ms, double P99Ms, double MaxMs, EncodedHistogram Encoded);

    /// <param name="Job">The seal queued on the background thread.</param>
    /// <param name="Window">The window it seals.</param>
    /// <param name="Histogram">The window's detached histogram.</param>
    private readonly record struct PendingSeal(BackgroundJob Job, Window Window, LongHistogram Histogram);
}
