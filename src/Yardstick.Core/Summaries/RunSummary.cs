using System.Globalization;
using Yardstick.Core.Load;

namespace Yardstick.Core.Summaries;

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

    /// <summary>
    /// A request mix's named requests (<c>requests:</c>), in the workload's order, each with its own figures; empty for a
    /// single target. The run's totals above include them all.
    /// </summary>
    public IReadOnlyList<RequestSummary> PerRequest { get; init; } = [];

    /// <summary>
    /// Every response check (<c>checks:</c>) with its pass and fail counts over the measured rounds, in workload order;
    /// empty without checks. A 2xx/3xx response failing a check counts in <see cref="ErrorBreakdown.Check"/>.
    /// </summary>
    public IReadOnlyList<CheckSummary> Checks { get; init; } = [];

    public required LagSummary SchedulingLagMs { get; init; }

    /// <summary>Latest shard start against its round's common start, ms (shards re-base, so this is not in latency).</summary>
    public double MaxShardStartDelayMs { get; init; }

    /// <summary>
    /// The widest start spread of a round: how long after its first shard the last one began, ms. Above the run's
    /// tolerance (1 s by default) the run is <c>degraded</c> (<see cref="Measurements.ShardStartAlignment"/>).
    /// </summary>
    public double MaxShardStartSpreadMs { get; init; }

    /// <summary>Measured duration in seconds (all rounds).</summary>
    public double DurationSeconds { get; init; }

    public int ShardsSucceeded { get; init; }

    public int ShardsTotal { get; init; }

    /// <summary>Run-level values of every measured round (the unit of replication for verdicts).</summary>
    public IReadOnlyList<RoundSummary> Rounds { get; init; } = [];

    /// <summary>Where the run's artifacts and row are stored.</summary>
    public StorageLocations? Storage { get; init; }

    /// <summary>Verdict against the baseline and the threshold checks (set by the analysis step).</summary>
    public VerdictSummary? Verdict { get; init; }

    /// <summary>What became of each alert the run raised (set by the alerts step; null when none fired).</summary>
    public IReadOnlyList<AlertSummary>? Alerts { get; init; }

    /// <summary>Cold-start probes (when the workload asks for them).</summary>
    public ColdStartSummary? ColdStart { get; init; }

    /// <summary>Cost per request, modeled and (for Azure targets) metered.</summary>
    public CostSummary? Cost { get; init; }

    /// <summary>A capacity search's answer and per-step table (also stored alone as <c>capacity.json</c>); null for a plain run.</summary>
    public Capacity.CapacityResult? Capacity { get; init; }

    /// <summary>A capacity study (a sweep with <c>capacity:</c>): one search per variant and the two picks; null otherwise.</summary>
    public Capacity.CapacityStudy? CapacityStudy { get; init; }

    /// <summary>
    /// A fault run's faults (<c>faults:</c>): planned and applied offsets, the pre-fault band, errors during each, time to first
    /// success and time to recover (null with the reason when it did not); null for a run without faults.
    /// </summary>
    public IReadOnlyList<Faults.FaultRecovery>? Faults { get; init; }

    /// <summary>Attainment and burn rate of each objective of the workload's <c>slo:</c> (null without one).</summary>
    public SloSummary? Slo { get; init; }

    /// <summary>Sweeps: one entry per settings variant, with the cost/latency Pareto front marked.</summary>
    public IReadOnlyList<VariantSummary> Variants { get; init; } = [];

    /// <summary>
    /// A paired A/B gate: the reference's origin. The run's figures are the candidate's; the reference's rounds are in
    /// <see cref="Rounds"/> with variant <c>reference</c>. Null otherwise.
    /// </summary>
    public string? Against { get; init; }

    /// <summary>Sweeps: the parameter the variants set (<c>instanceMemoryMB</c>, <c>appSetting:NAME</c>…), a grid's joined with " × "; null otherwise.</summary>
    public string? SweepParameter { get; init; }

    /// <summary>Grid sweeps: the parameters in workload order (the heat map's axes); empty otherwise.</summary>
    public IReadOnlyList<string> SweepGrid { get; init; } = [];

    /// <summary>Sweeps: the recommended variant, the strategy that chose it and its one-sentence rule with the numbers.</summary>
    public RecommendationSummary? Recommendation { get; init; }

    /// <summary>
    /// Where the run was measured: each distinct generator environment with its shards, and the target as far as known
    /// (<see cref="Environments.RunEnvironment"/>). Null in summaries written before it was captured.
    /// </summary>
    public Environments.RunEnvironment? Environment { get; init; }

    /// <summary>The dataset the requests took their <c>${data.column}</c> values from; null without <c>data:</c>.</summary>
    public DatasetSummary? Dataset { get; init; }

    /// <summary>The trace a replay followed (<c>load.model: replay</c>): its identity, window, speed and endpoints; null otherwise.</summary>
    public Replay.TraceSummary? Trace { get; init; }

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

    /// <summary>2xx/3xx responses that failed a response check.</summary>
    public long Check { get; init; }
}

/// <summary>One response check over the run.</summary>
public sealed record CheckSummary
{
    public required string Name { get; init; }

    /// <summary>The named request it belongs to; null for the single target's checks.</summary>
    public string? Request { get; init; }

    public string Expression { get; init; } = "";

    public long Passed { get; init; }

    public long Failed { get; init; }

    /// <summary>Passed / (passed + failed); 1 when the check never ran.</summary>
    public double PassRate { get; init; } = 1;
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

    /// <summary>The round's named requests (empty for a single target): run-level samples of <c>checkout.p95</c>.</summary>
    public IReadOnlyList<RoundRequestSummary> PerRequest { get; init; } = [];

    /// <summary>
    /// When the round's first shard began (its common start, after any shard start delay); with <see cref="EndedAt"/> it
    /// places the round on the run's time axis, so a paired run's reference and candidate rounds can be drawn on one
    /// timeline. Null in summaries written before it was recorded.
    /// </summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When the round's last shard ended; null in summaries written before it was recorded.</summary>
    public DateTimeOffset? EndedAt { get; init; }
}

/// <summary>One named request within a measured round.</summary>
public sealed record RoundRequestSummary
{
    public required string Name { get; init; }

    public long Requests { get; init; }

    public long Errors { get; init; }

    public double ThroughputRps { get; init; }

    public required LatencySummary LatencyMs { get; init; }
}

/// <summary>One named request of a mix over the whole run.</summary>
public sealed record RequestSummary
{
    public required string Name { get; init; }

    public string Method { get; init; } = "GET";

    /// <summary>The URL as written (holes and <c>${env:}</c> references unresolved, secret query values masked).</summary>
    public string Url { get; init; } = "";

    /// <summary>Weight in the open model's mix.</summary>
    public double Weight { get; init; } = 1;

    public long Requests { get; init; }

    public long Successes { get; init; }

    public long Errors { get; init; }

    public double ErrorRate { get; init; }

    public ErrorBreakdown ErrorBreakdown { get; init; } = new();

    public required LatencySummary LatencyMs { get; init; }

    public double ThroughputRps { get; init; }

    /// <summary>Share of the run's requests this request took.</summary>
    public double Share { get; init; }

    public IReadOnlyDictionary<int, long> StatusCodes { get; init; } = new Dictionary<int, long>();
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

/// <summary>
/// The <c>verdict</c> section of <c>summary.json</c>: the overall verdict against the baseline, one entry per gated
/// metric, and the absolute threshold checks beside it.
/// </summary>
public sealed record VerdictSummary
{
    /// <summary><c>regression</c>, <c>improvement</c>, <c>equivalent</c>, <c>inconclusive</c> or <c>no-baseline</c>.</summary>
    public required string Overall { get; init; }

    /// <summary>One or two sentences saying why.</summary>
    public string Explanation { get; init; } = "";

    /// <summary>The runs the candidate was compared with (empty without a baseline).</summary>
    public IReadOnlyList<string> BaselineRunIds { get; init; } = [];

    public IReadOnlyList<MetricVerdictSummary> Metrics { get; init; } = [];

    public IReadOnlyList<ThresholdSummary> Thresholds { get; init; } = [];

    /// <summary>
    /// Fields in which the candidate's environment differs from a baseline run's (<c>logicalCores 2 vs 4</c>, candidate
    /// first). A note, not a failure: the explanation names them too. Empty when equal or not recorded on either side.
    /// </summary>
    public IReadOnlyList<string> EnvironmentDifferences { get; init; } = [];

    /// <summary>
    /// A paired A/B gate: the reference's origin the candidate was compared with, pair by pair, in the same run (the
    /// metrics' <c>baseline</c> values are the reference's); null for a comparison with stored baseline runs.
    /// </summary>
    public string? Reference { get; init; }

    /// <summary>What the metrics were compared with, for column headers: <c>reference</c> or <c>baseline</c>.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string ComparedWith => Reference is null ? "baseline" : "reference";

    /// <summary>
    /// The <c>drift</c> verdict: gated metrics whose history gained a new, sustained change point for the worse with
    /// this run (nightly watch); null when none (or the run was not checked). Beside <see cref="Overall"/>, never instead.
    /// </summary>
    public DriftSummary? Drift { get; init; }

    public bool ThresholdsPassed => Thresholds.All(t => t.Passed);
}

/// <summary>The verdict on one metric. Ratio and interval are candidate ÷ baseline (error rate: difference).</summary>
public sealed record MetricVerdictSummary
{
    public required string Metric { get; init; }

    /// <summary><c>regression</c>, <c>improvement</c>, <c>equivalent</c> or <c>inconclusive</c>.</summary>
    public required string Kind { get; init; }

    public double? Baseline { get; init; }

    public double? Candidate { get; init; }

    public double? Ratio { get; init; }

    public double? CiLow { get; init; }

    public double? CiHigh { get; init; }

    public double? ConfidenceLevel { get; init; }

    public double? PValue { get; init; }

    /// <summary>For inconclusive verdicts: how many more runs per side would likely decide.</summary>
    public int? AdditionalRunsNeeded { get; init; }

    public string Method { get; init; } = "";

    /// <summary>
    /// Latency quantiles: the fewest requests beyond the quantile in any compared run or round (requests × min(p, 1 - p)),
    /// the quantile's effective sample size; below <c>compare.minTailSamples</c> (default 100) it is inconclusive.
    /// </summary>
    public long? TailSamples { get; init; }

    /// <summary>One sentence with the numbers.</summary>
    public required string Explanation { get; init; }
}

/// <summary>One absolute threshold (<c>p(95) &lt; 200ms</c>) and whether the run met it.</summary>
public sealed record ThresholdSummary
{
    public required string Threshold { get; init; }

    public required string Metric { get; init; }

    public double? Actual { get; init; }

    public bool Passed { get; init; }

    public required string Explanation { get; init; }
}

/// <summary>The <c>coldStart</c> section: probe outcomes and the cold penalty.</summary>
public sealed record ColdStartSummary
{
    /// <summary><c>process</c>, <c>restart</c>, <c>appSetting</c> or <c>idle</c>.</summary>
    public required string Strategy { get; init; }

    /// <summary>Every probe with its classification and timing breakdown (also stored as <c>probes.json</c>).</summary>
    public IReadOnlyList<ColdStartProbeSummary> Probes { get; init; } = [];

    public int Cold { get; init; }

    public int Warm { get; init; }

    public int Unknown { get; init; }

    /// <summary>Probes excluded because the cold/warm classification contradicted the strategy (reported, not counted).</summary>
    public int Excluded { get; init; }

    public double? ColdP50Ms { get; init; }

    public double? ColdP90Ms { get; init; }

    public double? ColdMaxMs { get; init; }

    public double? WarmP50Ms { get; init; }

    /// <summary>Cold p50 minus warm p50.</summary>
    public double? PenaltyMs { get; init; }

    /// <summary>
    /// The eviction curve (<c>idle</c> strategy with <c>idleTimes</c>): per idle time, the share of probes that found no
    /// warm instance (one point for a single <c>idleTime</c>). Null for the other strategies.
    /// </summary>
    public IReadOnlyList<EvictionPoint>? Curve { get; init; }

    public IReadOnlyList<string> Notes { get; init; } = [];
}

/// <summary>
/// One point of the eviction curve: after <see cref="IdleSeconds"/> without a request, how many probes found no warm
/// instance (<see cref="Cold"/> of <see cref="Cold"/> + <see cref="Warm"/>; unknown and failed probes are not counted),
/// with the 95 % Wilson score interval of that share, and what the first request cost.
/// </summary>
public sealed record EvictionPoint
{
    public double IdleSeconds { get; init; }

    public int Cold { get; init; }

    public int Warm { get; init; }

    /// <summary>Probes at this idle time that could not be classified or failed (not in the share).</summary>
    public int Unknown { get; init; }

    /// <summary>Cold / (cold + warm); null when no probe was classified.</summary>
    public double? ColdShare { get; init; }

    public double? ColdShareLow { get; init; }

    public double? ColdShareHigh { get; init; }

    /// <summary>p50 of the first request's time to success over the classified probes, ms: what a caller after this idle time waits.</summary>
    public double? FirstP50Ms { get; init; }

    /// <summary>p50 of the cold probes' figure at this idle time, ms.</summary>
    public double? ColdP50Ms { get; init; }

    /// <summary>The idle time as files write it (<c>5m</c>, <c>500ms</c>).</summary>
    public string IdleText => DurationText.Format(TimeSpan.FromSeconds(IdleSeconds));

    /// <summary>One line for consoles and reports: <c>2 of 5 cold (40 %, 95 % CI 12–77 %), first request p50 812 ms</c>.</summary>
    public string Describe()
    {
        var classified = Cold + Warm;
        var text = ColdShare is { } share
            ? string.Create(CultureInfo.InvariantCulture, $"{Cold} of {classified} cold ({share * 100:0} %, 95 % CI {ColdShareLow * 100:0}–{ColdShareHigh * 100:0} %)")
            : "no probe classified";
        if (FirstP50Ms is { } first)
        {
            text += string.Create(CultureInfo.InvariantCulture, $", first request p50 {first:0} ms");
        }

        return Unknown > 0 ? text + $", {Unknown} unknown or failed" : text;
    }
}

/// <summary>One cold-start probe: what was forced, who answered, and where the time went.</summary>
public sealed record ColdStartProbeSummary
{
    public int Index { get; init; }

    /// <summary><c>cold</c>, <c>warm</c> or <c>unknown</c>.</summary>
    public required string Classification { get; init; }

    public string? InstanceId { get; init; }

    /// <summary>
    /// Time to the first successful response, ms: from the process start for <c>process</c>; for the Azure strategies from
    /// the probe's first request, after the forcing and any settle or idle wait (<c>probes.json</c> keeps the forcing time).
    /// </summary>
    public double? TimeToFirstSuccessMs { get; init; }

    public double? ConnectMs { get; init; }

    public double? TlsMs { get; init; }

    public double? FirstByteMs { get; init; }

    /// <summary><c>Server-Timing</c> duration of the first response, ms.</summary>
    public double? ServerMs { get; init; }

    /// <summary>Total of the first successful request, ms.</summary>
    public double? TotalMs { get; init; }

    /// <summary>Latencies of the warm requests sent right after, ms.</summary>
    public IReadOnlyList<double> WarmMs { get; init; } = [];

    /// <summary>Idle time before the probe (<c>idle</c> strategy), s.</summary>
    public double? IdleSeconds { get; init; }

    public bool Excluded { get; init; }

    public string? Note { get; init; }
}

/// <summary>The <c>cost</c> section: modeled and metered figures side by side.</summary>
public sealed record CostSummary
{
    public required string Plan { get; init; }

    public required string Region { get; init; }

    /// <summary>Which figure the headline uses: <c>metered</c> when available, else <c>modeled</c>.</summary>
    public required string Source { get; init; }

    public double? PerRequestUsd { get; init; }

    public double? Per1MRequestsUsd { get; init; }

    public double? PerRequestCiLowUsd { get; init; }

    public double? PerRequestCiHighUsd { get; init; }

    public CostFigures? Modeled { get; init; }

    public CostFigures? Metered { get; init; }

    /// <summary>
    /// Modeled cost recomputed from the server-side durations (and, with per-request rows, per-instance busy
    /// intervals) that App Insights recorded, with the same billing rules as <see cref="Modeled"/>; null unless
    /// <see cref="Server"/> is set.
    /// </summary>
    public CostFigures? ServerModeled { get; init; }

    /// <summary>Server-side durations, request count and instances from App Insights (optional).</summary>
    public ServerTelemetrySummary? Server { get; init; }

    /// <summary>What running the benchmark itself cost (load generators on Functions), shown apart; null on the local host.</summary>
    public double? BenchmarkCostUsd { get; init; }

    /// <summary>For example "price of X is UNCONFIRMED" or "metered figures were not available after 10 min".</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}

public sealed record CostFigures
{
    public double TotalUsd { get; init; }

    public double PerRequestUsd { get; init; }

    public double Per1MRequestsUsd { get; init; }

    public double? PerRequestCiLowUsd { get; init; }

    public double? PerRequestCiHighUsd { get; init; }

    public IReadOnlyList<CostLineItemSummary> Lines { get; init; } = [];
}

public sealed record CostLineItemSummary
{
    public required string Meter { get; init; }

    public double Quantity { get; init; }

    public required string Unit { get; init; }

    public double UnitPriceUsd { get; init; }

    public double Usd { get; init; }

    public bool Unconfirmed { get; init; }
}

/// <summary>One settings variant of a sweep, pooled over its rounds.</summary>
public sealed record VariantSummary
{
    public required string Variant { get; init; }

    public long Requests { get; init; }

    public long Errors { get; init; }

    public double ErrorRate { get; init; }

    public double ThroughputRps { get; init; }

    public required LatencySummary LatencyMs { get; init; }

    public double? CostPerRequestUsd { get; init; }

    public double? Per1MRequestsUsd { get; init; }

    /// <summary>
    /// Not dominated by another variant on (cost per request, p95 latency), or on (p95 latency, error rate) when the
    /// workload has no cost section; lower is better on both (see <c>Cost.SweepRecommendation</c>).
    /// </summary>
    public bool OnParetoFront { get; init; }

    /// <summary>The variant the sweep recommends (at most one): see <c>Cost.SweepRecommendation</c> for the rule.</summary>
    public bool Recommended { get; init; }

    /// <summary>Measured rounds that contributed to this variant (its shards' distinct rounds).</summary>
    public int Rounds { get; init; }

    /// <summary>Grid sweeps: the cell's value of each parameter (empty for a one-parameter sweep, whose variant is the value).</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();
}

/// <summary>A sweep's recommendation as stored in <c>summary.json</c> (see <c>Cost.SweepRecommendation</c>).</summary>
public sealed record RecommendationSummary
{
    /// <summary>margin | cost | speed | balanced.</summary>
    public required string Strategy { get; init; }

    /// <summary>The recommended variant; null when none was measured.</summary>
    public string? Variant { get; init; }

    /// <summary>The rule, in one sentence with the numbers.</summary>
    public required string Rule { get; init; }
}

/// <summary>
/// One alert of a run: condition (<c>regression</c>, <c>failed</c>, <c>threshold</c>), channel (<c>slack-0</c>: type and
/// position, never its URL), state (<c>sent</c>, <c>failed</c>, <c>suppressed</c>) and what happened.
/// </summary>
public sealed record AlertSummary(string Condition, string Channel, string State, string? Detail);

/// <summary>
/// Which dataset a run used (<c>data:</c>), read once when the run was planned: the file as the workload names it, the
/// SHA-256 of its bytes, its rows and size, how rows were dealt, and which shards ran out of rows.
/// </summary>
public sealed record DatasetSummary
{
    /// <summary>The dataset as the workload names it: <c>data/users.csv</c> (a file) or <c>datasets/users.csv</c> (a blob).</summary>
    public required string File { get; init; }

    /// <summary><c>file</c> (the CLI's disk) or <c>blob</c> (the results storage account's datasets container).</summary>
    public string Source { get; init; } = "file";

    /// <summary>A blob's ETag when the run was planned (every shard reads that exact content or fails); null for a file.</summary>
    public string? ETag { get; init; }

    /// <summary>A blob's version id when the account keeps versions; null otherwise.</summary>
    public string? VersionId { get; init; }

    /// <summary>Lowercase hex SHA-256 of the file's bytes.</summary>
    public required string Sha256 { get; init; }

    /// <summary>Data rows (CSV records after the header, or JSON Lines objects).</summary>
    public long Rows { get; init; }

    /// <summary>The file's size in bytes.</summary>
    public long Bytes { get; init; }

    /// <summary>sequential, random or unique.</summary>
    public string Mode { get; init; } = "sequential";

    /// <summary>stop or wrap.</summary>
    public string OnExhausted { get; init; } = "wrap";

    /// <summary>Measured shards that ran out of rows (<c>onExhausted: stop</c>), each with its reason; empty when none did.</summary>
    public IReadOnlyList<string> Exhausted { get; init; } = [];

    /// <summary>One line for people: <c>data/users.csv · 8 rows · 312 B · sha256 1a2b3c4d5e6f · unique, stop</c>.</summary>
    public string Describe() =>
        $"{File}{(Source == "blob" ? " (blob)" : "")} · {Rows} rows · {Bytes} B · sha256 {Sha256[..Math.Min(12, Sha256.Length)]} · {Mode}, {OnExhausted}";
}
