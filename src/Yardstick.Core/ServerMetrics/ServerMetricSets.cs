namespace Yardstick.Core.ServerMetrics;

/// <summary>Builds <see cref="ServerMetricSet"/>s from what a source sampled. Pure.</summary>
public static class ServerMetricSets
{
    private const double BytesPerMB = 1024 * 1024;

    /// <summary>
    /// The process samples taken in the whole seconds of [<paramref name="from"/>, <paramref name="to"/>): each
    /// second holds the first sample taken in it, and a second without one is a gap (never interpolated).
    /// </summary>
    /// <param name="log">What the host sampled for the run's target.</param>
    /// <param name="from">First measured second (rounded down to a whole second).</param>
    /// <param name="to">End of the last measured second (rounded up).</param>
    public static ServerMetricSet FromProcess(ProcessSampleLog log, DateTimeOffset from, DateTimeOffset to)
    {
        ArgumentNullException.ThrowIfNull(log);
        var first = from.ToUnixTimeSeconds();
        var last = (long)Math.Ceiling(to.ToUnixTimeMilliseconds() / 1000.0);
        if (last < first)
        {
            throw new ArgumentException($"the window ends ({to:O}) before it starts ({from:O}).", nameof(to));
        }

        var bySecond = new SortedDictionary<long, ProcessSample>();
        foreach (var sample in log.Samples.OrderBy(s => s.At))
        {
            var second = sample.At.ToUnixTimeSeconds();
            if (second >= first && second < last)
            {
                bySecond.TryAdd(second, sample);
            }
        }

        var gaps = new List<ServerMetricGap>();
        long? gapStart = null;
        for (var s = first; s <= last; s++)
        {
            var missing = s < last && !bySecond.ContainsKey(s);
            if (missing && gapStart is null)
            {
                gapStart = s;
            }
            else if (!missing && gapStart is { } start)
            {
                gaps.Add(new ServerMetricGap(DateTimeOffset.FromUnixTimeSeconds(start), DateTimeOffset.FromUnixTimeSeconds(s)));
                gapStart = null;
            }
        }

        var kept = bySecond.Values.ToList();
        var notes = log.Notes.ToList();
        var pids = kept.Select(s => s.Pid).Distinct().ToList();
        if (pids.Count > 1)
        {
            notes.Add($"the target process was restarted during the window: {pids.Count} processes (pids {string.Join(", ", pids)}) are one series.");
        }

        if (kept.Count == 0 && notes.Count == 0)
        {
            notes.Add("no sample of the target process fell in the measured window.");
        }

        return new ServerMetricSet
        {
            Source = ServerMetricSet.ProcessSource,
            IntervalSeconds = 1,
            From = DateTimeOffset.FromUnixTimeSeconds(first),
            To = DateTimeOffset.FromUnixTimeSeconds(last),
            Series =
            [
                new ServerMetricSeries { Name = ServerMetricSeries.CpuPercent, Unit = "%", Points = kept.Select(s => new ServerMetricPoint(s.At, Math.Round(s.CpuPercent, 1))).ToArray() },
                new ServerMetricSeries { Name = ServerMetricSeries.ResidentMemoryMB, Unit = "MB", Points = kept.Select(s => new ServerMetricPoint(s.At, Math.Round(s.ResidentMemoryBytes / BytesPerMB, 1))).ToArray() },
            ],
            Gaps = gaps,
            Notes = notes,
        };
    }

    /// <summary>
    /// Per-interval series read from a metrics service (Azure Monitor at PT1M) over [<paramref name="from"/>,
    /// <paramref name="to"/>) widened to whole intervals: an interval where no series has a point is a gap (empty bins
    /// stay empty), and <see cref="ServerMetricSet.IngestionDelaySeconds"/> is how long after the window's end they
    /// were read — points that had not landed by then are gaps too, which the note says.
    /// </summary>
    /// <param name="source">For example <see cref="ServerMetricSet.AzureMonitorSource"/>.</param>
    /// <param name="interval">The series' time grain (one point per interval, stamped at its start).</param>
    /// <param name="series">The series as read; points outside the window are dropped.</param>
    /// <param name="from">Start of the measured window (rounded down to the interval).</param>
    /// <param name="to">End of the measured window (rounded up to the interval).</param>
    /// <param name="readAt">When the service was read.</param>
    public static ServerMetricSet FromIntervals(
        string source, TimeSpan interval, IReadOnlyList<ServerMetricSeries> series, DateTimeOffset from, DateTimeOffset to, DateTimeOffset readAt)
    {
        ArgumentNullException.ThrowIfNull(series);
        if (interval <= TimeSpan.Zero || interval.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            throw new ArgumentException($"the interval must be a whole number of seconds, got {interval}.", nameof(interval));
        }

        if (to <= from)
        {
            throw new ArgumentException($"the window ends ({to:O}) before it starts ({from:O}).", nameof(to));
        }

        var step = interval.Ticks;
        var start = new DateTimeOffset(from.UtcTicks / step * step, TimeSpan.Zero);
        var end = new DateTimeOffset((to.UtcTicks + step - 1) / step * step, TimeSpan.Zero);
        var kept = series
            .Select(s => s with { Points = s.Points.Where(p => p.At >= start && p.At < end).OrderBy(p => p.At).ToArray() })
            .ToArray();
        var covered = kept.SelectMany(s => s.Points).Select(p => p.At.UtcTicks / step).ToHashSet();

        var gaps = new List<ServerMetricGap>();
        DateTimeOffset? gapStart = null;
        for (var at = start; at <= end; at = at.Add(interval))
        {
            var missing = at < end && !covered.Contains(at.UtcTicks / step);
            if (missing && gapStart is null)
            {
                gapStart = at;
            }
            else if (!missing && gapStart is { } open)
            {
                gaps.Add(new ServerMetricGap(open, at));
                gapStart = null;
            }
        }

        var delay = Math.Max(0, (readAt - end).TotalSeconds);
        var notes = new List<string>();
        if (gaps.Count > 0)
        {
            notes.Add($"{gaps.Sum(g => g.Seconds) / interval.TotalSeconds:0} of {(end - start) / interval:0} intervals had no point when read {delay:0} s after the window's end (empty bins, or not yet ingested).");
        }

        return new ServerMetricSet
        {
            Source = source,
            IntervalSeconds = (int)interval.TotalSeconds,
            From = start,
            To = end,
            Series = kept,
            Gaps = gaps,
            IngestionDelaySeconds = Math.Round(delay, 1),
            Notes = notes,
        };
    }
}
