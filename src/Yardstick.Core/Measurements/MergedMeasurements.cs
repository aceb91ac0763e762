using HdrHistogram;

namespace Yardstick.Core.Measurements;

/// <summary>
/// Shard results merged into one view (all shards given; callers pass measured shards for statistics).
/// Histograms are decoded and summed exactly; counts are sums.
/// </summary>
public sealed record MergedMeasurements
{
    public int Shards { get; init; }

    /// <summary>Shards whose <see cref="ShardResult.FailureReason"/> is set.</summary>
    public int FailedShards { get; init; }

    public long ScheduledArrivals { get; init; }

    public long Requests { get; init; }

    public long Successes { get; init; }

    public ErrorCounts Errors { get; init; } = ErrorCounts.None;

    public long DroppedArrivals { get; init; }

    public long BytesSent { get; init; }

    public long BytesReceived { get; init; }

    /// <summary>Latency from the intended start, µs.</summary>
    public required LongHistogram Latency { get; init; }

    /// <summary>Service time from the actual send, µs.</summary>
    public required LongHistogram ServiceTime { get; init; }

    /// <summary>Scheduling lag, µs.</summary>
    public required LongHistogram SchedulingLag { get; init; }

    /// <summary>
    /// Windows merged by Unix second: counts summed, percentiles recomputed from the summed window histograms (exact).
    /// <see cref="TimelineWindow.InFlightMax"/> is the sum of the shards' peaks (an upper bound: peaks need not coincide).
    /// </summary>
    public IReadOnlyList<TimelineWindow> Timeline { get; init; } = [];

    /// <summary>
    /// Instances merged by id: requests summed, busy intervals united. <see cref="InstanceUsage.MaxConcurrency"/> is the
    /// sum of the shards' peaks (an upper bound).
    /// </summary>
    public IReadOnlyList<InstanceUsage> Instances { get; init; } = [];

    public IReadOnlyDictionary<int, long> StatusCodes { get; init; } = new Dictionary<int, long>();

    /// <summary>Named requests merged by name (empty for a single target): see <see cref="MergedRequest"/>.</summary>
    public IReadOnlyList<MergedRequest> PerRequest { get; init; } = [];

    public IReadOnlyList<string> SampleErrors { get; init; } = [];

    /// <summary>Response checks' pass and fail counts summed over the shards (empty without checks).</summary>
    public IReadOnlyList<CheckResult> Checks { get; init; } = [];

    /// <summary>Sum over distinct (phase, round, variant) of that round's duration (the longest of its shards).</summary>
    public TimeSpan MeasuredDuration { get; init; }

    public DateTimeOffset StartedAt { get; init; }

    /// <summary>The latest shard start against its round's planned common start (see <see cref="ShardResult.StartDelay"/>).</summary>
    public TimeSpan MaxStartDelay { get; init; }

    public DateTimeOffset EndedAt { get; init; }

    /// <summary>Ended exchanges per second of <see cref="MeasuredDuration"/>.</summary>
    public double ThroughputRps { get; init; }

    /// <summary>Failed exchanges / ended exchanges (0 when nothing ended).</summary>
    public double ErrorRate => Requests == 0 ? 0 : (double)Errors.Total / Requests;
}

/// <summary>One named request over all merged shards.</summary>
public sealed record MergedRequest
{
    public required string Name { get; init; }

    public long Requests { get; init; }

    public long Successes { get; init; }

    public ErrorCounts Errors { get; init; } = ErrorCounts.None;

    /// <summary>Latency from the intended start, µs.</summary>
    public required LongHistogram Latency { get; init; }

    /// <summary>This request's windows merged by Unix second (exact, as the run's).</summary>
    public IReadOnlyList<TimelineWindow> Timeline { get; init; } = [];

    public IReadOnlyDictionary<int, long> StatusCodes { get; init; } = new Dictionary<int, long>();

    public double ErrorRate => Requests == 0 ? 0 : (double)Errors.Total / Requests;
}
