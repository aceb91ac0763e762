using Yardstick.Core.Load;
using Yardstick.Core.Runs;
using Yardstick.Core.Workloads;

namespace Yardstick.Orchestration.Contracts;

/// <summary>
/// What the orchestrator needs to drive a run: counts and durations only. The full plan (validated workload and
/// shard templates) is stored as the run's <c>plan.json</c> blob and read by the shard activities, so Durable
/// payloads stay small whatever the shard count.
/// </summary>
public sealed record RunPlan
{
    public required string RunId { get; init; }

    public required string Workload { get; init; }

    public LoadModel Model { get; init; }

    public int Shards { get; init; }

    public int Repeat { get; init; } = 1;

    public TimeSpan Warmup { get; init; }

    /// <summary><c>compare.recycle</c>: restart the local target process before each measured round, which then gets its own warm-up.</summary>
    public bool Recycle { get; init; }

    public TimeSpan Duration { get; init; }

    /// <summary>Settings variants of a sweep, in order (one empty variant when there is no sweep).</summary>
    public IReadOnlyList<string> Variants { get; init; } = [""];

    /// <summary>
    /// Measured turns in order (see <see cref="RoundPlan"/>): A B C A B C, or shuffled per round for grids. Empty in plans
    /// stored before turns were planned: the orchestrator then walks the rounds in workload order.
    /// </summary>
    public IReadOnlyList<RoundTurn> Turns { get; init; } = [];

    /// <summary>The planned turns, or every variant in order per round for plans without them.</summary>
    public IReadOnlyList<RoundTurn> TurnsInOrder() =>
        Turns.Count > 0 ? Turns : RoundPlan.Turns(Math.Max(1, Variants.Count), Math.Max(1, Repeat), RoundOrder.Interleaved, 0);

    public ColdStartStrategy ColdStart { get; init; }

    /// <summary>Cold-start probes to run before the load (null when the strategy is <c>none</c>).</summary>
    public ColdStartPlan? ColdStartPlan { get; init; }

    /// <summary>Cost sampling after the measured rounds (null without a <c>cost</c> section).</summary>
    public CostPlan? CostPlan { get; init; }

    public double MinShardSuccess { get; init; } = 0.75;

    /// <summary>The workload (or the host's defaults) has alerts: the orchestrator sends them after the verdict.</summary>
    public bool HasAlerts { get; init; }

    /// <summary>A fault run's faults, set off at their offsets while the measured shards run (empty otherwise).</summary>
    public IReadOnlyList<FaultPlan> Faults { get; init; } = [];

    /// <summary>A capacity search: its steps replace the measured rounds (null for a plain run).</summary>
    public CapacityPlan? Capacity { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>The full plan stored as <c>plan.json</c>.</summary>
public sealed record StoredPlan
{
    public const int CurrentSchemaVersion = 1;

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    public required RunPlan Plan { get; init; }

    public required Workload Workload { get; init; }

    /// <summary>Folder the workload's relative paths resolve against (local host).</summary>
    public string? WorkloadDirectory { get; init; }

    /// <summary>
    /// An Azure target's Flex scale settings as ARM reported them when the run was planned (before any sweep setting was
    /// applied), for the summary's environment; null for other targets, other plans, or when the read failed.
    /// </summary>
    public Core.Ports.FlexScaleSettings? TargetScale { get; init; }

    /// <summary>
    /// The target as captured when the run was planned (process command and executable hash, Azure scale settings from
    /// ARM), compared with a second capture when the run is persisted; null in plans stored before it was recorded.
    /// </summary>
    public Core.Environments.TargetEnvironment? TargetAtStart { get; init; }

    /// <summary>Shard plans of a measured round (round 0, no variant, no start time): copied per round and variant.</summary>
    public required IReadOnlyList<ShardPlan> MeasuredShards { get; init; }

    /// <summary>Shard plans of the warm-up (empty without warm-up).</summary>
    public IReadOnlyList<ShardPlan> WarmupShards { get; init; } = [];

    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    public string SettingsHash { get; init; } = "";

    /// <summary>The registered workload version the run runs; null for a file or inline text.</summary>
    public int? WorkloadVersion { get; init; }

    /// <summary>Content hash of the workload text (<c>WorkloadContentHash</c>); empty in plans stored before it was recorded.</summary>
    public string WorkloadHash { get; init; } = "";

    /// <summary>The dataset as read when planning (hash, rows, size); null without <c>data:</c>.</summary>
    public Core.Summaries.DatasetSummary? Dataset { get; init; }

    /// <summary>The replayed trace as read when planning (hash, arrivals, size, span, endpoints); null unless <c>load.model: replay</c>.</summary>
    public Core.Replay.TraceSummary? Trace { get; init; }
}

/// <summary>
/// Input of one load shard activity: which shard of which round, and when it starts. <c>RatePerSecond</c> (a capacity
/// step) replaces the open-model rate of the whole round; each shard sends its share.
/// </summary>
public sealed record ShardTask(
    string RunId,
    string Workload,
    RunPhase Phase,
    int Round,
    string Variant,
    int ShardIndex,
    DateTimeOffset StartAt,
    double? RatePerSecond = null)
{
    public string Key => ShardKey.Of(RunId, Phase, Round, Variant, ShardIndex);
}

/// <summary>Input of <see cref="RunShardGroupOrchestrator"/>: shards <c>[FirstShard, FirstShard + Count)</c> of one round.</summary>
public sealed record ShardGroupTask(
    string RunId,
    string Workload,
    RunPhase Phase,
    int Round,
    string Variant,
    int FirstShard,
    int Count,
    DateTimeOffset StartAt,
    double? RatePerSecond = null);
