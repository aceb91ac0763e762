using Yardstick.Core.Load;

namespace Yardstick.Core.Workloads;

/// <summary>
/// A benchmark description as written in a workload file (YAML or JSON). Loading validates it
/// against <c>workloads/schema/workload.schema.json</c> and then semantically (see <c>WorkloadLoader</c>).
/// </summary>
public sealed record Workload
{
    /// <summary>Version of this model; stored with every run so old runs stay readable.</summary>
    public const int CurrentSchemaVersion = 1;

    /// <summary>Identifier used as the partition key of stored runs: lowercase letters, digits and dashes.</summary>
    public required string Name { get; init; }

    public string? Description { get; init; }

    public required TargetSpec Target { get; init; }

    /// <summary>
    /// Named requests (a mix): each arrival of the open model picks one by weight; the closed model picks likewise, or
    /// walks <see cref="Steps"/>. Empty: every request is <see cref="Target"/>'s (a mix of one). See <see cref="RequestSpec"/>.
    /// </summary>
    public IReadOnlyList<RequestSpec> Requests { get; init; } = [];

    /// <summary>Closed model: the journey each virtual user walks, in order, naming entries of <see cref="Requests"/>.</summary>
    public IReadOnlyList<StepSpec> Steps { get; init; } = [];

    /// <summary>The dataset <c>${data.column}</c> holes take their values from; null without one.</summary>
    public DataSpec? Data { get; init; }

    public required LoadSpec Load { get; init; }

    public ColdStartSpec ColdStart { get; init; } = new();

    public CostSpec? Cost { get; init; }

    public CompareSpec Compare { get; init; } = new();

    /// <summary>Absolute SLO thresholds in k6-like syntax, for example <c>p(95) &lt; 200ms</c>.</summary>
    public IReadOnlyList<string> Thresholds { get; init; } = [];

    public SweepSpec? Sweep { get; init; }

    /// <summary>A capacity search instead of fixed-rate rounds (combined with a sweep: one search per variant).</summary>
    public CapacitySpec? Capacity { get; init; }

    /// <summary>Service level objectives: every run reports attainment and burn rate against them.</summary>
    public SloSpec? Slo { get; init; }

    /// <summary>
    /// Fault steps applied at offsets inside the measured phase (a fault run, see <see cref="FaultSpec"/>); empty in a
    /// normal run. Only runs that declare them touch the target this way.
    /// </summary>
    public IReadOnlyList<FaultSpec> Faults { get; init; } = [];

    /// <summary>Alerts on regression, failure or a threshold breach (see <see cref="AlertsSpec"/>); null sends none.</summary>
    public AlertsSpec? Alerts { get; init; }

    /// <summary>
    /// When the deployed app's timer runs this workload: <c>nightly</c>, <c>weekly</c>, <c>hourly</c> or a six-field NCRONTAB
    /// expression (UTC; see <c>Schedules.WorkloadSchedule</c>); null runs it only on demand.
    /// </summary>
    public string? Schedule { get; init; }

    /// <summary>Free-form tags stored with every run (commit, pipeline, environment, team...).</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Absolute folder of the file the workload was loaded from; relative paths in the workload (such as
    /// <see cref="ProcessSpec.WorkingDirectory"/>) resolve against it. Null when loaded from text.
    /// </summary>
    public string? SourceDirectory { get; init; }
}

/// <summary>What to send and where. Exactly one of <see cref="Url"/>-only, <see cref="Process"/> or <see cref="Azure"/> describes how the target lives.</summary>
public sealed record TargetSpec
{
    /// <summary>Absolute http/https URL. May contain <c>${env:NAME}</c> references in the query.</summary>
    public required string Url { get; init; }

    public string Method { get; init; } = "GET";

    /// <summary>Request headers; values may reference secrets as <c>${env:NAME}</c>, resolved inside activities only.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    public string? Body { get; init; }

    /// <summary>
    /// Response checks every response must pass (<see cref="Load.Checks.ResponseCheckParser"/> has the grammar): of the
    /// single target's request, or, with <c>requests:</c>, of every request (before the request's own).
    /// </summary>
    public IReadOnlyList<Load.Checks.CheckSpec> Checks { get; init; } = [];

    /// <summary>"1.1" (default) or "2".</summary>
    public string HttpVersion { get; init; } = "1.1";

    /// <summary>Which client implementation generates load.</summary>
    public TransportKind Transport { get; init; } = TransportKind.Auto;

    /// <summary>Response header that names the serving instance (cold/warm classification, cost per instance).</summary>
    public string InstanceHeader { get; init; } = "x-instance-id";

    /// <summary>Skip TLS certificate validation. Allowed for loopback targets only.</summary>
    public bool InsecureSkipTlsVerify { get; init; }

    /// <summary>
    /// Send the W3C <c>traceparent</c> (trace id starting with the run's prefix) and <c>x-yardstick-run</c> on every request
    /// (<see cref="Load.Requests.RunCorrelation"/>); default on.
    /// </summary>
    public bool Correlation { get; init; } = true;

    /// <summary>A local process to start before the run (and to restart for <c>process</c> cold starts).</summary>
    public ProcessSpec? Process { get; init; }

    /// <summary>The Azure resource behind the URL, for cold-start strategies, settings sweeps and metered cost.</summary>
    public AzureTargetSpec? Azure { get; init; }
}

/// <summary>A local target process (for example the sample target) started and stopped by Yardstick.</summary>
public sealed record ProcessSpec
{
    public required string Command { get; init; }

    public IReadOnlyList<string> Args { get; init; } = [];

    /// <summary>Relative paths resolve against the workload file's folder.</summary>
    public string? WorkingDirectory { get; init; }

    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();

    /// <summary>URL polled until it answers 2xx before load starts; defaults to the target URL.</summary>
    public string? ReadyUrl { get; init; }

    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>The Azure function app behind the target URL.</summary>
public sealed record AzureTargetSpec
{
    /// <summary>ARM id of the <c>Microsoft.Web/sites</c> resource.</summary>
    public required string ResourceId { get; init; }

    /// <summary>Log Analytics workspace (GUID) holding the app's <c>AppRequests</c>; enables server-side durations.</summary>
    public string? LogAnalyticsWorkspaceId { get; init; }
}

public enum LoadModel
{
    /// <summary>Arrival-rate driven: requests start on a schedule whatever responses do (no coordinated omission).</summary>
    Open,

    /// <summary>Fixed concurrency: each virtual user sends, waits for the response, thinks, repeats.</summary>
    Closed,

    /// <summary>
    /// Production replay: arrivals at the offsets a trace recorded (<see cref="LoadSpec.Trace"/>), each sending its
    /// recorded method, path and body; intended starts come from the trace, so latency is measured from them (no
    /// coordinated omission). Sharded like the open model.
    /// </summary>
    Replay,
}

/// <summary>
/// The trace a replay follows (<c>load.trace</c>): a JSON Lines file next to the workload file (<see cref="File"/>; the
/// CLI only) or a blob in the results storage account (<see cref="Blob"/>: <c>traces/&lt;name&gt;.jsonl</c>, kept in the
/// datasets container under <c>traces/</c>; every host). Its SHA-256, arrivals, size, span and endpoints are recorded with the run.
/// </summary>
public sealed record TraceSpec
{
    /// <summary>A .jsonl file, relative to the workload file's folder.</summary>
    public string? File { get; init; }

    /// <summary>A blob: <c>traces/&lt;name&gt;.jsonl</c> (see <c>TraceBlobNames</c>).</summary>
    public string? Blob { get; init; }

    /// <summary>What the workload names: the file or the blob.</summary>
    public string Name => File ?? Blob ?? "";
}

/// <summary>A slice of a trace (<c>load.window</c>): offsets from its first line.</summary>
/// <param name="From">Where the slice starts (offset from the trace's first line).</param>
/// <param name="Duration">How long it lasts in trace time; null: to the end of the trace.</param>
public sealed record TraceWindow(TimeSpan From, TimeSpan? Duration);

/// <summary>How much load, for how long, split how.</summary>
public sealed record LoadSpec
{
    public LoadModel Model { get; init; } = LoadModel.Open;

    /// <summary>Constant arrival rate (open model without stages).</summary>
    public Rate? Rate { get; init; }

    /// <summary>Arrival rate at time zero for a ramp (open model with stages); default 0/s.</summary>
    public Rate? StartRate { get; init; }

    /// <summary>Ramping arrival rate: each stage moves linearly from the previous rate to its target.</summary>
    public IReadOnlyList<StageSpec> Stages { get; init; } = [];

    /// <summary>Virtual users for the closed model.</summary>
    public int? Concurrency { get; init; }

    public TimeSpan ThinkTime { get; init; } = TimeSpan.Zero;

    /// <summary>Measured duration (per round). With stages it is their sum and may be omitted.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>Warm-up before the measured rounds: same load, stored apart, excluded from statistics.</summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.Zero;

    /// <summary>Number of load activities the load is split across (fan-out).</summary>
    public int Shards { get; init; } = 1;

    /// <summary>Cap on requests in flight across the run (open model); arrivals beyond it are dropped and counted.</summary>
    public int MaxInFlight { get; init; } = 1000;

    /// <summary>Connections across the run; default = concurrency (closed) or min(maxInFlight, 256) (open).</summary>
    public int? Connections { get; init; }

    /// <summary>Per-request timeout.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Open and replay models: how late an arrival may go out so that one wake-up of the generator serves the arrivals
    /// that fall due meanwhile (Linux's timer slack, applied to the arrival schedule). Zero (default): each arrival
    /// goes out as soon as it is due. Latency still counts from each arrival's own intended start, so the slack shows
    /// in lag and latency, never hides; it buys CPU per request (see README "Timer slack").
    /// </summary>
    public TimeSpan TimerSlack { get; init; } = TimeSpan.Zero;

    /// <summary>Fraction of shards that must succeed: all → Completed, at least this → Degraded, fewer → Failed.</summary>
    public double MinShardSuccess { get; init; } = 0.75;

    /// <summary>Seed for anything random in the plan (jitter, Poisson arrivals); fixed seeds make runs repeatable.</summary>
    public long? Seed { get; init; }

    /// <summary>Inter-arrival distribution for the open model.</summary>
    public ArrivalProcess Arrivals { get; init; } = ArrivalProcess.Uniform;

    /// <summary>Replay model: the trace to replay.</summary>
    public TraceSpec? Trace { get; init; }

    /// <summary>Replay model: how much faster than recorded (2 halves every gap; 0.5 doubles them).</summary>
    public double Speed { get; init; } = 1.0;

    /// <summary>Replay model: the slice of the trace to replay; null: all of it.</summary>
    public TraceWindow? Window { get; init; }
}

/// <summary>One stage of a ramping arrival rate.</summary>
public sealed record StageSpec(TimeSpan Duration, Rate Target);

public enum ArrivalProcess
{
    /// <summary>Evenly spaced arrivals following the rate curve (deterministic; exact counts).</summary>
    Uniform,

    /// <summary>Exponential inter-arrival times (Poisson process), seeded.</summary>
    Poisson,
}

public enum ColdStartStrategy
{
    None,

    /// <summary>Start the local target process fresh for each probe.</summary>
    Process,

    /// <summary>ARM restart of the function app, then probe.</summary>
    Restart,

    /// <summary>Bump the <c>YARDSTICK_COLD_START</c> app setting (all others preserved), then probe.</summary>
    AppSetting,

    /// <summary>Wait (durable timer) for the configured idle time, then probe.</summary>
    Idle,
}

public sealed record ColdStartSpec
{
    public ColdStartStrategy Strategy { get; init; } = ColdStartStrategy.None;

    public int Probes { get; init; } = 5;

    /// <summary>Warm requests sent after each cold probe (the warm reference).</summary>
    public int WarmRequests { get; init; } = 3;

    /// <summary>Idle time for the <c>idle</c> strategy.</summary>
    public TimeSpan IdleTime { get; init; } = TimeSpan.FromMinutes(20);

    /// <summary>
    /// The eviction curve (<c>idle</c> strategy): idle times probed in turn, <see cref="Probes"/> probes at each. Empty:
    /// one idle time, <see cref="IdleTime"/>.
    /// </summary>
    public IReadOnlyList<TimeSpan> IdleTimes { get; init; } = [];

    /// <summary>The idle times probed: <see cref="IdleTimes"/>, or <see cref="IdleTime"/> alone.</summary>
    public IReadOnlyList<TimeSpan> EffectiveIdleTimes => IdleTimes.Count > 0 ? IdleTimes : [IdleTime];

    /// <summary>Wait after a restart or setting change before probing.</summary>
    public TimeSpan Settle { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long one probe may wait for the first successful response.</summary>
    public TimeSpan ProbeTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>URL probed; defaults to the target URL.</summary>
    public string? Url { get; init; }
}

public enum HostingPlan
{
    Consumption,
    FlexConsumption,
    FlexConsumptionAlwaysReady,
    Premium,
}

public sealed record CostSpec
{
    public required HostingPlan Plan { get; init; }

    /// <summary>ARM region name, for example <c>eastus</c>.</summary>
    public string Region { get; init; } = "eastus";

    /// <summary>Flex instance memory: 512, 2048 or 4096 MB.</summary>
    public int InstanceMemoryMB { get; init; } = 2048;

    /// <summary>Consumption: observed memory per execution, rounded up to 128 MB by the billing rule.</summary>
    public int ExecutionMemoryMB { get; init; } = 128;

    /// <summary>Flex always-ready instance count (billed baseline).</summary>
    public int AlwaysReadyInstances { get; init; }

    /// <summary>Premium: instance vCPUs and memory (EP1 = 1 vCPU, 3.5 GB).</summary>
    public double PremiumVcpu { get; init; } = 1;

    public double PremiumMemoryGB { get; init; } = 3.5;

    public int PremiumInstances { get; init; } = 1;

    /// <summary>Subtract monthly free grants (off by default: marginal cost).</summary>
    public bool IncludeFreeGrant { get; init; }

    /// <summary>Pricing catalog path; default <c>workloads/pricing/azure-functions.json</c>.</summary>
    public string? PricingFile { get; init; }
}

/// <summary>How runs are compared with the baseline.</summary>
public sealed record CompareSpec
{
    /// <summary>Gated metrics; default p50, p95, p99 and errorRate (+ throughput for the closed model).</summary>
    public IReadOnlyList<string> Metrics { get; init; } = [];

    /// <summary>Equivalence margin as a fraction (0.05 = 5 %).</summary>
    public double Margin { get; init; } = 0.05;

    public double Alpha { get; init; } = 0.01;

    /// <summary>Measured rounds per run, back to back against the same warm target: rounds, not independent runs.</summary>
    public int Repeat { get; init; } = 1;

    /// <summary>Tail samples a gated latency quantile needs per run or round (requests × min(p, 1 - p)); 0 turns the floor off.</summary>
    public int MinTailSamples { get; init; } = 100;

    /// <summary><c>current</c> (the promoted run) or <c>rolling(N)</c> (last N accepted runs).</summary>
    public string Baseline { get; init; } = "current";

    /// <summary>Optional environment tag keeping baselines of different environments apart.</summary>
    public string? Environment { get; init; }

    /// <summary>
    /// A paired A/B gate: the origin (scheme, host, port) of the reference — what runs in production now. Each of the
    /// <see cref="Repeat"/> pairs runs one round against it and one against the target, in an ABBA-balanced seeded
    /// order, and the verdict compares the pairs instead of a stored baseline. Null: compare with the baseline.
    /// </summary>
    public string? Against { get; init; }

    /// <summary>
    /// Restart the local <c>target.process</c> before every measured round, each round then warmed up on its own: the
    /// <see cref="Repeat"/> rounds become independent runs (new process, new connections, own warm-up) instead of rounds
    /// back to back against one warm process. Only a process target can be recycled (an Azure app would need an ARM
    /// restart and a cold start per round, which is not built).
    /// </summary>
    public bool Recycle { get; init; }
}

/// <summary>
/// A settings sweep (power tuning): the measured rounds run once per value, interleaved (A B C A B C …), and the
/// value is applied to the target before each of its turns. A grid (<see cref="Grid"/>) sweeps every combination of
/// several parameters, each combination a variant, in a seeded random order per round.
/// </summary>
public sealed record SweepSpec
{
    /// <summary>Default of <see cref="SettleTimeout"/>: a Flex Consumption scale change recycles the app, which can take minutes.</summary>
    public static readonly TimeSpan DefaultSettleTimeout = TimeSpan.FromMinutes(5);

    /// <summary>
    /// <c>instanceMemoryMB</c>, <c>perInstanceConcurrency</c>, <c>alwaysReady</c>, <c>maximumInstanceCount</c> (Azure
    /// targets) or <c>appSetting:NAME</c> (Azure targets, or a local <c>target.process</c> started with NAME=value).
    /// Empty for a grid (see <see cref="Label"/>).
    /// </summary>
    public string Parameter { get; init; } = "";

    /// <summary>Values of <see cref="Parameter"/> (empty for a grid).</summary>
    public IReadOnlyList<string> Values { get; init; } = [];

    /// <summary>A grid: several parameters, each with its values; every combination is a variant (empty for a one-parameter sweep).</summary>
    public IReadOnlyList<SweepDimension> Grid { get; init; } = [];

    /// <summary>Order of the variants within a round; null = the default (interleaved for one parameter, shuffled for a grid).</summary>
    public RoundOrderSpec? Order { get; init; }

    /// <summary>How the recommended variant is chosen (default: the cheapest within the margin of the fastest).</summary>
    public RecommendSpec Recommend { get; init; } = new();

    /// <summary>How long to wait, after applying a value, for the target to serve again (2xx) before the variant counts as failed.</summary>
    public TimeSpan SettleTimeout { get; init; } = DefaultSettleTimeout;

    /// <summary>The swept dimensions: the grid's, or the one parameter with its values.</summary>
    public IReadOnlyList<SweepDimension> Dimensions => Grid.Count > 0 ? Grid : [new SweepDimension(Parameter, Values)];

    /// <summary>What the sweep varies, for titles: the parameter, or the grid's parameters joined with " × ".</summary>
    public string Label => Grid.Count > 0 ? string.Join(" × ", Grid.Select(d => d.Parameter)) : Parameter;

    /// <summary>The variants (cells) in workload order: the values, or every combination of the grid (first parameter slowest).</summary>
    public IReadOnlyList<SweepCell> Cells() => SweepCell.Of(this);
}

/// <summary>One parameter of a grid and the values it takes.</summary>
public sealed record SweepDimension(string Parameter, IReadOnlyList<string> Values);

/// <summary>The order of a sweep's variants within each round, as written in the workload.</summary>
public enum RoundOrderSpec
{
    /// <summary>A B C A B C.</summary>
    Interleaved,

    /// <summary>A seeded random order per round.</summary>
    Shuffled,
}
