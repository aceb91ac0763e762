namespace Yardstick.Core.Reports;

/// <summary>
/// <c>summary.json</c>: the versioned, machine-readable result of a run. The CLI's <c>--json</c> writes the same
/// document. Later stages add the verdict, cold-start and cost sections.
/// </summary>
public sealed record RunSummary
{
    public const int CurrentSchemaVersion = 1;

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    public required string RunId { get; init; }

    public required string Workload { get; init; }

    /// <summary>completed | degraded | failed | cancelled.</summary>
    public required string Status { get; init; }

    public DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset CompletedAt { get; init; }

    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    /// <summary>Settings variant (sweeps) or <c>default</c>.</summary>
    public string SettingsKey { get; init; } = "default";

    public string Model { get; init; } = "open";

    public long Requests { get; init; }

    public long Successes { get; init; }

    public long Errors { get; init; }

    public double ErrorRate { get; init; }

    public ErrorBreakdown ErrorBreakdown { get; init; } = new();

    public required LatencySummary LatencyMs { get; init; }

    public LatencySummary? ServiceTimeMs { get; init; }

    public double ThroughputRps { get; init; }

    /// <summary>Target arrival rate (open model), for comparison with <see cref="ThroughputRps"/>.</summary>
    public double? TargetRps { get; init; }

    public long DroppedArrivals { get; init; }

    public required LagSummary SchedulingLagMs { get; init; }

    /// <summary>Measured duration in seconds (all rounds).</summary>
    public double DurationSeconds { get; init; }

    public int ShardsSucceeded { get; init; }

    public int ShardsTotal { get; init; }

    /// <summary>Run-level values of every measured round (the unit of replication for verdicts).</summary>
    public IReadOnlyList<RoundSummary> Rounds { get; init; } = [];

    /// <summary>Where the run's artifacts and row are stored.</summary>
    public StorageLocations? Storage { get; init; }

    public string? FailureReason { get; init; }
}

public sealed record LatencySummary
{
    public double P50 { get; init; }

    public double P90 { get; init; }

    public double P95 { get; init; }

    public double P99 { get; init; }

    public double Max { get; init; }

    public double Mean { get; init; }
}

public sealed record LagSummary
{
    public double P50 { get; init; }

    public double P99 { get; init; }

    public double Max { get; init; }
}

public sealed record ErrorBreakdown
{
    public long Timeout { get; init; }

    public long Connect { get; init; }

    public long Http4xx { get; init; }

    public long Http5xx { get; init; }

    public long Other { get; init; }
}

/// <summary>Run-level values of one measured round (and settings variant).</summary>
public sealed record RoundSummary
{
    public int Round { get; init; }

    public string Variant { get; init; } = "";

    public long Requests { get; init; }

    public long Errors { get; init; }

    public double ThroughputRps { get; init; }

    public required LatencySummary LatencyMs { get; init; }
}

public sealed record StorageLocations
{
    /// <summary>URL of the run's blob folder (no credentials).</summary>
    public required string Artifacts { get; init; }

    /// <summary>Table and keys of the run's row.</summary>
    public required string Table { get; init; }

    public string? PartitionKey { get; init; }

    public string? RowKey { get; init; }
}
