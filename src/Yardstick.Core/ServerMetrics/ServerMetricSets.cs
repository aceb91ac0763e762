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
}
