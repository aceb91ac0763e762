using Yardstick.Core.Measurements;
using Yardstick.Core.Summaries;
using Yardstick.Core.Runs;

namespace Yardstick.Orchestration.Contracts;

/// <summary>Output of <see cref="BenchmarkRunOrchestrator"/>: the headline of the run (the details are in <c>summary.json</c>).</summary>
public sealed record RunOutcome
{
    public required string RunId { get; init; }

    public required string Workload { get; init; }

    public RunStatus Status { get; init; }

    public long Requests { get; init; }

    public long Errors { get; init; }

    public double ThroughputRps { get; init; }

    public double? P50Ms { get; init; }

    public double? P95Ms { get; init; }

    public double? P99Ms { get; init; }

    public int ShardsSucceeded { get; init; }

    public int ShardsTotal { get; init; }

    /// <summary>Overall verdict once the analysis step ran (<c>no-baseline</c> when there was nothing to compare).</summary>
    public string? Verdict { get; init; }

    /// <summary>Gated metrics on which this run confirmed a drift (a new sustained change point for the worse); empty when none.</summary>
    public IReadOnlyList<string> Drift { get; init; } = [];

    /// <summary>Threshold breaches (empty when all passed or none were set).</summary>
    public IReadOnlyList<string> FailedThresholds { get; init; } = [];

    /// <summary>URL of the run's artifact folder.</summary>
    public string? Artifacts { get; init; }

    public IReadOnlyDictionary<string, double> PhaseSeconds { get; init; } = new Dictionary<string, double>();

    public string? FailureReason { get; init; }

    /// <summary>
    /// The run failed at planning on bad input (a dataset blob that does not exist, a site that does not answer on the
    /// target's host…): <see cref="FailureReason"/> names the field, and the CLI exits 2 (invalid input), not 3.
    /// </summary>
    public bool InvalidInput { get; init; }

    /// <summary>What became of each alert the run raised (also the run's <c>alerts.json</c>); empty when none fired.</summary>
    public IReadOnlyList<AlertResult> Alerts { get; init; } = [];

    /// <summary>Sweeps of an Azure target: the settings put back when the rounds ended (also the run's <c>settings/restored.json</c>).</summary>
    public SettingsRestore? SettingsRestored { get; init; }
}

/// <summary>Input of <see cref="Activities.PersistRunActivity"/>.</summary>
public sealed record PersistRequest
{
    public required RunPlan Plan { get; init; }

    /// <summary>Every shard summary (runs scheduled before <see cref="Roster"/> existed; empty otherwise).</summary>
    public IReadOnlyList<ShardSummary> Shards { get; init; } = [];

    /// <summary>The measured shards, compactly (see <see cref="ShardRoster"/>); null in requests of older runs.</summary>
    public ShardRoster? Roster { get; init; }

    public IReadOnlyDictionary<string, double> PhaseSeconds { get; init; } = new Dictionary<string, double>();

    public DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset CompletedAt { get; init; }

    /// <summary>Set when the run failed before producing measurements.</summary>
    public string? FailureReason { get; init; }

    /// <summary>The run's <see cref="RunRequest.ShardStartTolerance"/> (null: the default; requests of older runs).</summary>
    public TimeSpan? ShardStartTolerance { get; init; }

    /// <summary>The cold-start probes' section of <c>summary.json</c>, when the workload ran probes.</summary>
    public ColdStartSummary? ColdStart { get; init; }

    /// <summary>The capacity search's answer and steps, when the run was a capacity search.</summary>
    public Yardstick.Core.Capacity.CapacityResult? Capacity { get; init; }

    /// <summary>A capacity study's searches, one per sweep variant (a sweep with <c>capacity:</c>).</summary>
    public IReadOnlyList<Yardstick.Core.Capacity.VariantCapacity>? Capacities { get; init; }

    /// <summary>The cost section of <c>summary.json</c>, when the workload has a <c>cost</c> section.</summary>
    public CostSummary? Cost { get; init; }

    /// <summary>What each fault step of a fault run did (empty for other runs).</summary>
    public IReadOnlyList<Yardstick.Core.Faults.AppliedFault> Faults { get; init; } = [];

    /// <summary>The shards to read: the roster's, or (older runs) the listed summaries.</summary>
    public IReadOnlyList<ShardSummary> AllShards() => Roster?.Expand(Plan.RunId) ?? Shards;
}

/// <summary>Durable custom status: what the run is doing now (the CLI and <c>GET /api/runs/{id}</c> show it).</summary>
public sealed record RunProgress
{
    public required string Phase { get; init; }

    public int Round { get; init; }

    public int Rounds { get; init; }

    public string Variant { get; init; } = "";

    public int ShardsDone { get; init; }

    public int ShardsTotal { get; init; }
}
