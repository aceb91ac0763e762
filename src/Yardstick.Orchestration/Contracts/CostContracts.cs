using Yardstick.Core.Cost;
using Yardstick.Core.Measurements;
using Yardstick.Core.Workloads;

namespace Yardstick.Orchestration.Contracts;

/// <summary>What the cost step needs (present when the workload has a <c>cost</c> section).</summary>
public sealed record CostPlan
{
    public required CostSpec Spec { get; init; }

    /// <summary>Read Azure Monitor's billing metrics too (Azure target, a plan with metrics, Azure access).</summary>
    public bool Metered { get; init; }

    /// <summary>Durable timer before the first metered read (ingestion delay).</summary>
    public TimeSpan MeteredDelay { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Metered reads before giving up ("metered unavailable").</summary>
    public int MeteredAttempts { get; init; } = 3;

    /// <summary>
    /// Query App Insights (<c>AppRequests</c>) for the server-side durations and instances of the measured window and
    /// model the cost from them too (<c>target.azure.logAnalyticsWorkspaceId</c> set and Azure access on).
    /// </summary>
    public bool ServerTelemetry { get; init; }

    /// <summary>Why metered cost is not read, when it is not.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}

/// <summary>Input of <see cref="Activities.SampleCostActivity"/>: the run's shards (warm-up ones count toward the benchmark's own cost only).</summary>
public sealed record CostSampleRequest
{
    public required string RunId { get; init; }

    public required string Workload { get; init; }

    /// <summary>Every shard summary (runs scheduled before <see cref="Roster"/> existed; empty otherwise).</summary>
    public IReadOnlyList<ShardSummary> Shards { get; init; } = [];

    /// <summary>The measured shards, compactly (see <see cref="ShardRoster"/>); null in requests of older runs.</summary>
    public ShardRoster? Roster { get; init; }

    /// <summary>The shards to read: the roster's, or (older runs) the listed summaries.</summary>
    public IReadOnlyList<ShardSummary> AllShards() => Roster?.Expand(RunId) ?? Shards;
}

/// <summary>Output of <see cref="Activities.SampleCostActivity"/>.</summary>
public sealed record CostSample
{
    public CostEstimate? Modeled { get; init; }

    /// <summary>Start of the measured window (first shard start), for the metered read.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>End of the measured window (last shard end).</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>The benchmark's own cost (Functions host only).</summary>
    public double? BenchmarkCostUsd { get; init; }

    public IReadOnlyList<string> Notes { get; init; } = [];
}

/// <summary>Input of <see cref="Activities.ReadMeteredCostActivity"/>.</summary>
public sealed record MeteredCostRequest
{
    public required string RunId { get; init; }

    public required string Workload { get; init; }

    public DateTimeOffset From { get; init; }

    public DateTimeOffset To { get; init; }

    /// <summary>Executions the load engine measured: the metered count should reach it once the metrics have landed.</summary>
    public long ExpectedExecutions { get; init; }

    /// <summary>The last read: accept partial metrics (with a note) instead of waiting for more.</summary>
    public bool Last { get; init; }
}

/// <summary>Output of <see cref="Activities.ReadMeteredCostActivity"/>.</summary>
public sealed record MeteredCostResult
{
    /// <summary>Set when the metrics were there.</summary>
    public CostEstimate? Metered { get; init; }

    public bool Ready => Metered is not null;

    /// <summary>Why not (yet).</summary>
    public string? Note { get; init; }
}

/// <summary>Input of <see cref="Activities.ReadServerTelemetryActivity"/>.</summary>
public sealed record ServerTelemetryRequest
{
    public required string RunId { get; init; }

    public required string Workload { get; init; }

    public DateTimeOffset From { get; init; }

    public DateTimeOffset To { get; init; }

    /// <summary>Executions the load engine measured: decides rows or aggregates, and flags a short count.</summary>
    public long ExpectedExecutions { get; init; }
}

/// <summary>Output of <see cref="Activities.ReadServerTelemetryActivity"/>.</summary>
public sealed record ServerTelemetryResult
{
    /// <summary>Set when App Insights had requests in the window.</summary>
    public Core.Summaries.ServerTelemetrySummary? Server { get; init; }

    /// <summary>The modeled cost recomputed from the server durations.</summary>
    public CostEstimate? ServerModeled { get; init; }

    /// <summary>Why there are no figures.</summary>
    public string? Note { get; init; }

    public IReadOnlyList<string> Notes { get; init; } = [];
}
