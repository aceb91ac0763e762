namespace Yardstick.Core.ServerMetrics;

/// <summary>
/// The server's side of a run's timeline (<c>server-metrics.json</c>): series sampled from the target during the
/// measured phase, on the same wall-clock axis as the client's per-second windows. Seconds (or minutes, for Azure
/// Monitor) without a sample are listed in <see cref="Gaps"/> and never filled. Fields are only ever added.
/// </summary>
public sealed record ServerMetricSet
{
    /// <summary>The process source: a local target sampled by the host that started it.</summary>
    public const string ProcessSource = "process";

    /// <summary>Azure Monitor platform metrics of an Azure target, read after the run at their finest grain (PT1M).</summary>
    public const string AzureMonitorSource = "azure-monitor";

    /// <summary>Where the samples came from: <see cref="ProcessSource"/> or <see cref="AzureMonitorSource"/>.</summary>
    public required string Source { get; init; }

    /// <summary>Sampling interval in seconds (1 for a process).</summary>
    public required int IntervalSeconds { get; init; }

    /// <summary>Start of the window the samples were kept for (the first measured second).</summary>
    public required DateTimeOffset From { get; init; }

    /// <summary>End of that window (exclusive: the end of the last measured second).</summary>
    public required DateTimeOffset To { get; init; }

    /// <summary>One entry per metric; every series has at most one point per interval.</summary>
    public IReadOnlyList<ServerMetricSeries> Series { get; init; } = [];

    /// <summary>Intervals of the window with no sample, merged into runs.</summary>
    public IReadOnlyList<ServerMetricGap> Gaps { get; init; } = [];

    /// <summary>How late the source's points become readable (Azure Monitor); null for a process, sampled live.</summary>
    public double? IngestionDelaySeconds { get; init; }

    /// <summary>Why samples are missing or partial (a target this host did not start, a restart), when they are.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>The series named <paramref name="name"/>, or null.</summary>
    public ServerMetricSeries? Find(string name) => Series.FirstOrDefault(s => s.Name == name);
}

/// <summary>One metric over the window.</summary>
public sealed record ServerMetricSeries
{
    /// <summary>Process CPU time over wall time, in percent of one core (a busy two-thread process reads 200).</summary>
    public const string CpuPercent = "cpuPercent";

    /// <summary>Resident memory (working set) in MB of 2^20 bytes.</summary>
    public const string ResidentMemoryMB = "residentMemoryMB";

    /// <summary>Azure Monitor <c>InstanceCount</c> (average per minute): the app's instances.</summary>
    public const string InstanceCount = "instanceCount";

    /// <summary>Azure Monitor <c>CpuPercentage</c> (average per minute, percent of the instance).</summary>
    public const string InstanceCpuPercent = "instanceCpuPercent";

    /// <summary>Azure Monitor <c>MemoryWorkingSet</c> (average per minute) in MB.</summary>
    public const string MemoryWorkingSetMB = "memoryWorkingSetMB";

    /// <summary>Azure Monitor <c>Http5xx</c> (total per minute).</summary>
    public const string Http5xx = "http5xx";

    public required string Name { get; init; }

    /// <summary>The unit of <see cref="ServerMetricPoint.Value"/>: <c>%</c>, <c>MB</c>, …</summary>
    public required string Unit { get; init; }

    public IReadOnlyList<ServerMetricPoint> Points { get; init; } = [];

    /// <summary>The largest value, or null without points.</summary>
    public double? Peak => Points.Count == 0 ? null : Points.Max(p => p.Value);
}

/// <summary>One sample: the value over the interval ending at <see cref="At"/> (CPU) or read at <see cref="At"/> (memory).</summary>
public sealed record ServerMetricPoint(DateTimeOffset At, double Value);

/// <summary>A run of intervals with no sample: <see cref="From"/> inclusive, <see cref="To"/> exclusive.</summary>
public sealed record ServerMetricGap(DateTimeOffset From, DateTimeOffset To)
{
    /// <summary>Length of the gap in seconds.</summary>
    public double Seconds => (To - From).TotalSeconds;
}
