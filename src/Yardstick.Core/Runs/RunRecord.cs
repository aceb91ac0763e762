namespace Yardstick.Core.Runs;

/// <summary>
/// The headline of one run: one row of the <c>Runs</c> table (partition = workload, row = time-descending run id).
/// The full results live in blobs under <see cref="BlobPrefix"/>.
/// </summary>
public sealed record RunRecord
{
    public const int CurrentSchemaVersion = 1;

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    public required string RunId { get; init; }

    public required string Workload { get; init; }

    public RunStatus Status { get; init; } = RunStatus.Pending;

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary><c>local</c> (CLI) or <c>functions</c> (Azure).</summary>
    public string Host { get; init; } = "local";

    /// <summary>Seconds spent per phase (plan, coldStart, warmup, measured, persist, analyze…).</summary>
    public IReadOnlyDictionary<string, double> PhaseSeconds { get; init; } = new Dictionary<string, double>();

    public long Requests { get; init; }

    public long Errors { get; init; }

    public double ErrorRate { get; init; }

    public double ThroughputRps { get; init; }

    public double? P50Ms { get; init; }

    public double? P90Ms { get; init; }

    public double? P95Ms { get; init; }

    public double? P99Ms { get; init; }

    public double? MaxMs { get; init; }

    public long DroppedArrivals { get; init; }

    public int ShardsSucceeded { get; init; }

    public int ShardsTotal { get; init; }

    /// <summary>Overall verdict against the baseline (<c>regression</c>, <c>equivalent</c>, <c>improvement</c>, <c>inconclusive</c>, <c>no-baseline</c>).</summary>
    public string? Verdict { get; init; }

    /// <summary>
    /// The <c>drift</c> verdict: the gated metrics (comma-separated, <c>p95,p99</c>) whose history gained a new sustained
    /// change point for the worse with this run (<c>summary.json</c> → <c>verdict.drift</c> has the details); null when none.
    /// </summary>
    public string? Drift { get; init; }

    /// <summary>Tags (commit, pipeline, environment…). Never secrets.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    /// <summary>Settings variant (sweep value) or <c>default</c>; baselines are kept per workload + settings key.</summary>
    public string SettingsKey { get; init; } = "default";

    /// <summary>Hash of everything that makes two runs comparable (target, load shape, cost settings).</summary>
    public string SettingsHash { get; init; } = "";

    /// <summary>Blob prefix of the run's artifacts: <c>{workload}/{runId}/</c>.</summary>
    public string BlobPrefix { get; init; } = "";

    public string? FailureReason { get; init; }

    /// <summary>Cold-start p50 of the run's probes, ms (when it probed cold starts).</summary>
    public double? ColdStartP50Ms { get; init; }

    /// <summary>Headline cost per million requests, USD (metered when available, else modeled), when the workload has a <c>cost</c> section.</summary>
    public double? CostPer1MUsd { get; init; }

    /// <summary>The registered workload version the run ran (<c>PUT /api/workloads/{name}</c>); null for a file or inline text.</summary>
    public int? WorkloadVersion { get; init; }

    /// <summary>Content hash of the workload text the run ran (SHA-256 hex; <c>WorkloadContentHash</c>); empty for runs stored before it was recorded.</summary>
    public string WorkloadHash { get; init; } = "";

    /// <summary>The run's environment in one line (<c>RunEnvironment.Digest</c>); null for runs stored before it was captured.</summary>
    public string? Environment { get; init; }

    /// <summary>
    /// Fingerprint of the run's generator environments (<c>RunEnvironment.Fingerprint</c>, 16 hex digits): runs with equal
    /// values were generated in equal environments. Empty for runs stored before it was captured.
    /// </summary>
    public string EnvironmentHash { get; init; } = "";
}
