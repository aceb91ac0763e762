using System.Text.Json.Serialization;
using Yardstick.Core.Load.Requests;
using Yardstick.Core.Workloads;

namespace Yardstick.Core.Load;

/// <summary>Warm-up shards are stored but excluded from statistics; measured shards feed every result.</summary>
public enum RunPhase
{
    Warmup,
    Measured,
}

/// <summary>
/// The arrival curve of the whole run (not of one shard). Shard <c>i</c> of <c>K</c> takes arrivals
/// <c>i, i+K, i+2K…</c> of the run's timeline, so shards together produce exactly the run's arrivals.
/// </summary>
public sealed record ArrivalCurve
{
    public Rate StartRate { get; init; }

    /// <summary>Stages of the curve; a constant rate is one stage whose target equals the start rate.</summary>
    public required IReadOnlyList<StageSpec> Stages { get; init; }

    public ArrivalProcess Process { get; init; } = ArrivalProcess.Uniform;

    public TimeSpan Duration => Stages.Aggregate(TimeSpan.Zero, (sum, s) => sum + s.Duration);

    /// <summary>A constant rate for a duration.</summary>
    public static ArrivalCurve Constant(Rate rate, TimeSpan duration) =>
        new() { StartRate = rate, Stages = [new StageSpec(duration, rate)] };
}

/// <summary>
/// Everything one load activity needs to generate its share of a run's load. Serializable (it travels
/// through Durable Task) and deterministic: the same plan produces the same arrival timeline.
/// </summary>
public sealed record ShardPlan
{
    public required string RunId { get; init; }

    public required string Workload { get; init; }

    public RunPhase Phase { get; init; } = RunPhase.Measured;

    /// <summary>Measured round (0-based); warm-up is round 0.</summary>
    public int Round { get; init; }

    /// <summary>Settings variant for sweeps (empty when there is no sweep).</summary>
    public string Variant { get; init; } = "";

    public int ShardIndex { get; init; }

    public int ShardCount { get; init; } = 1;

    /// <summary>
    /// The first (for a single target, the only) request. Setting it sets <see cref="Requests"/> to a mix of one; kept
    /// for callers that send one request and not serialized (<see cref="Requests"/> is).
    /// </summary>
    [JsonIgnore]
    public RequestTemplate Request
    {
        get => Requests.Count > 0 ? Requests[0] : throw new InvalidOperationException("the plan has no request.");
        init => Requests = [value];
    }

    /// <summary>
    /// The requests this shard sends, in the workload's order: each arrival (open model) picks one by
    /// <see cref="RequestTemplate.Weight"/>, or each virtual user (closed model) walks <see cref="Steps"/>. A single
    /// target is a mix of one. See <see cref="RequestSelection"/> for how the choice is made.
    /// </summary>
    public IReadOnlyList<RequestTemplate> Requests { get; init; } = [];

    /// <summary>
    /// Put the correlation headers on every request (<see cref="RunCorrelation"/>: trace id from the run id and this
    /// shard's <see cref="Seed"/>).
    /// </summary>
    public bool Correlation { get; init; }

    /// <summary>Closed model: the journey every virtual user walks, in order (empty: each exchange picks by weight).</summary>
    public IReadOnlyList<JourneyStep> Steps { get; init; } = [];

    public LoadModel Model { get; init; } = LoadModel.Open;

    /// <summary>Open model: the run's arrival curve (this shard takes every <see cref="ShardCount"/>-th arrival).</summary>
    public ArrivalCurve? Arrivals { get; init; }

    /// <summary>
    /// Replay model: the trace as planned (window, speed, endpoints in the order of <see cref="Requests"/>); this shard
    /// takes arrivals i, i+K… of the window (see <see cref="Replay.ReplayFeed"/>).
    /// </summary>
    public Replay.TraceSummary? Trace { get; init; }

    /// <summary>Closed model: this shard's virtual users.</summary>
    public int Concurrency { get; init; }

    public TimeSpan ThinkTime { get; init; } = TimeSpan.Zero;

    /// <summary>How long this shard generates load.</summary>
    public required TimeSpan Duration { get; init; }

    /// <summary>This shard's in-flight cap (open model).</summary>
    public int MaxInFlight { get; init; } = 1000;

    /// <summary>This shard's connection pool size.</summary>
    public int Connections { get; init; } = 1;

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Open and replay models: how late an arrival may go out so one wake-up serves several (<c>load.timerSlack</c>).</summary>
    public TimeSpan TimerSlack { get; init; }

    /// <summary>Absolute wall-clock start shared by all shards of a round; a shard that is late starts at once and reports the lag.</summary>
    public DateTimeOffset StartAt { get; init; }

    public long Seed { get; init; }

    /// <summary>Stable key of this shard: run / phase / round / variant / shard. Storage keys and idempotency use it.</summary>
    public string Key => ShardKey.Of(RunId, Phase, Round, Variant, ShardIndex);
}

/// <summary>Builds the idempotency key of a shard (also its blob name stem).</summary>
public static class ShardKey
{
    public static string Of(string runId, RunPhase phase, int round, string variant, int shard) =>
        string.IsNullOrEmpty(variant)
            ? $"{runId}/{phase.ToString().ToLowerInvariant()}/r{round:D2}/s{shard:D3}"
            : $"{runId}/{phase.ToString().ToLowerInvariant()}/{variant}/r{round:D2}/s{shard:D3}";
}
