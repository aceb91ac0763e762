namespace Yardstick.Orchestration.Contracts;

/// <summary>
/// Input of <see cref="BenchmarkRunOrchestrator"/>. The workload travels as text (YAML or JSON, secrets still as
/// <c>${env:NAME}</c> references) and is validated inside <see cref="Activities.PlanRunActivity"/>, on a worker.
/// </summary>
public sealed record RunRequest
{
    /// <summary>Also the Durable instance id.</summary>
    public required string RunId { get; init; }

    /// <summary>The workload file's text.</summary>
    public required string WorkloadText { get; init; }

    /// <summary>Where the text came from (file path or <c>api</c>), for error messages.</summary>
    public string WorkloadSource { get; init; } = "workload";

    /// <summary>Folder relative paths of the workload resolve against (local host only).</summary>
    public string? WorkloadDirectory { get; init; }

    /// <summary><c>--set path=value</c> overrides, validated like the file.</summary>
    public IReadOnlyList<string> Overrides { get; init; } = [];

    /// <summary>Tags added to the workload's own (commit, pipeline, trigger…).</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    /// <summary><c>local</c> or <c>functions</c>.</summary>
    public string Host { get; init; } = "local";

    /// <summary>Lead time between scheduling a fan-out and the shards' common start, so every shard is dispatched before it begins.</summary>
    public TimeSpan ShardStartDelay { get; init; } = TimeSpan.FromSeconds(1.5);

    /// <summary>
    /// How far apart the shards of a round may begin before the run is <c>degraded</c>
    /// (<see cref="Hosting.ShardStartTiming"/>; null: its default).
    /// </summary>
    public TimeSpan? ShardStartTolerance { get; init; }

    /// <summary>
    /// Run each group of a wide round (more than <see cref="ShardFanOut.GroupSize"/> shards) as one
    /// <see cref="Activities.RunLoadShardGroupActivity"/>, its shards concurrently in the process that takes it, instead
    /// of one <see cref="Activities.RunLoadShardActivity"/> per shard. Set by the CLI when its own process takes every
    /// shard of a round (no <c>--max-activities</c>); off on the Functions host, where shards spread over instances, and
    /// for runs left to <c>yardstick worker</c> processes.
    /// </summary>
    public bool ShardGroupsInProcess { get; init; }

    /// <summary>Baseline to compare with: <c>current</c> (default), or a run id.</summary>
    public string? Baseline { get; init; }

    /// <summary>
    /// Compare with a baseline measured on another dataset (another SHA-256 of <c>data.file</c>, or none); otherwise such a
    /// baseline is left out and the verdict says why (<c>--allow-dataset-change</c>).
    /// </summary>
    public bool AllowDatasetChange { get; init; }

    /// <summary>The registered workload version this run runs (<c>PUT /api/workloads/{name}</c>); null for a file or inline text.</summary>
    public int? WorkloadVersion { get; init; }

    /// <summary>
    /// End the run with <see cref="Activities.RecordRunTelemetryActivity"/>: set by a host whose runs no process waits for
    /// (the Functions host). The CLI leaves it off and records the run's telemetry in the process that waits.
    /// </summary>
    public bool RecordTelemetry { get; init; }

    /// <summary>Content hash of <see cref="WorkloadText"/> (<c>WorkloadContentHash</c>); computed by the plan step when null.</summary>
    public string? WorkloadHash { get; init; }
}
