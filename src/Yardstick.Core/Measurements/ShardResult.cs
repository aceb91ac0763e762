using System.Text.Json.Serialization;
using Yardstick.Core.Load;

namespace Yardstick.Core.Measurements;

/// <summary>
/// What one load shard measured. Bulky (histograms, timeline, instances), so it is stored as a blob and
/// travels through Durable Task only as a <see cref="ShardSummary"/>. Shards merge exactly (<c>ShardMerger</c>).
/// </summary>
public sealed record ShardResult
{
    public const int CurrentSchemaVersion = 1;

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    public required string RunId { get; init; }

    public RunPhase Phase { get; init; }

    public int Round { get; init; }

    public string Variant { get; init; } = "";

    public int ShardIndex { get; init; }

    /// <summary>Wall-clock time the first arrival was due.</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>Wall-clock time the last response (or cancellation) was seen.</summary>
    public DateTimeOffset EndedAt { get; init; }

    /// <summary>
    /// How late the shard began against the round's planned common start. Beyond a small tolerance the shard re-bases its
    /// arrival timeline to its actual start, so this delay is not counted as latency.
    /// </summary>
    public TimeSpan StartDelay { get; init; }

    /// <summary>The load-generation window (planned duration, or less when cancelled).</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>Arrivals the plan asked for in this shard (open model), or exchanges attempted (closed).</summary>
    public long ScheduledArrivals { get; init; }

    /// <summary>Exchanges that ended (success or failure).</summary>
    public long Requests { get; init; }

    /// <summary>Responses with status 2xx/3xx.</summary>
    public long Successes { get; init; }

    public ErrorCounts Errors { get; init; } = ErrorCounts.None;

    /// <summary>Arrivals not sent because max-in-flight was reached (open model).</summary>
    public long DroppedArrivals { get; init; }

    public long BytesSent { get; init; }

    public long BytesReceived { get; init; }

    /// <summary>
    /// Latency from the intended start (includes queueing: no coordinated omission), µs: every response (any status)
    /// and every timeout; connect and protocol failures are counted in <see cref="Errors"/> but not timed.
    /// </summary>
    public required EncodedHistogram Latency { get; init; }

    /// <summary>Service time from the actual send to the end of the response, µs, for the same exchanges as <see cref="Latency"/>.</summary>
    public required EncodedHistogram ServiceTime { get; init; }

    /// <summary>Lateness of the actual send against the intended start, µs, every sent request.</summary>
    public required EncodedHistogram SchedulingLag { get; init; }

    /// <summary>Per-second windows, aligned to whole Unix seconds so shards line up.</summary>
    public IReadOnlyList<TimelineWindow> Timeline { get; init; } = [];

    /// <summary>Responses per serving instance (value of the instance header) with busy intervals.</summary>
    public IReadOnlyList<InstanceUsage> Instances { get; init; } = [];

    /// <summary>Count of responses per HTTP status code.</summary>
    public IReadOnlyDictionary<int, long> StatusCodes { get; init; } = new Dictionary<int, long>();

    /// <summary>A few distinct failure descriptions (redacted), for the error breakdown.</summary>
    public IReadOnlyList<string> SampleErrors { get; init; } = [];

    /// <summary>
    /// Per named request (<c>requests:</c>), in the plan's order: its own counts, latency histogram, windows and status
    /// codes. Empty for a single <c>target</c>. The shard's totals above include every request.
    /// </summary>
    public IReadOnlyList<RequestResult> PerRequest { get; init; } = [];

    /// <summary>
    /// Pass and fail counts of every response check (<c>checks:</c>), in plan order; empty without checks. Checks run on
    /// every full response (any status); a response whose status is 2xx/3xx but fails a check is an error of class
    /// <see cref="ErrorCounts.Check"/>.
    /// </summary>
    public IReadOnlyList<CheckResult> Checks { get; init; } = [];

    /// <summary>Which worker generated this shard (<c>machine/pid</c>): shows how a run spread over workers.</summary>
    public string? Worker { get; init; }

    /// <summary>
    /// Set when the shard's dataset rows ran out (<c>data.onExhausted: stop</c>) and later arrivals were not sent, with
    /// the reason (rows used, mode).
    /// </summary>
    public string? DataExhausted { get; init; }

    /// <summary>The environment this shard's load was generated in (null in results from before it was captured).</summary>
    public Environments.GeneratorEnvironment? Environment { get; init; }

    /// <summary>Set when the shard as a whole failed (nothing measured), with the reason.</summary>
    public string? FailureReason { get; init; }
}

/// <summary>One named request's share of a shard (or, merged, of a run). Merges exactly, like the shard's totals.</summary>
public sealed record RequestResult
{
    public required string Name { get; init; }

    public long Requests { get; init; }

    public long Successes { get; init; }

    public ErrorCounts Errors { get; init; } = ErrorCounts.None;

    /// <summary>Latency from the intended start, µs (same rules as <see cref="ShardResult.Latency"/>).</summary>
    public required EncodedHistogram Latency { get; init; }

    /// <summary>Per-second windows of this request alone (requests, errors, latency histogram).</summary>
    public IReadOnlyList<TimelineWindow> Timeline { get; init; } = [];

    public IReadOnlyDictionary<int, long> StatusCodes { get; init; } = new Dictionary<int, long>();
}

/// <summary>One response check's counts over a shard (or, merged, a run). Merges exactly: counts add.</summary>
public sealed record CheckResult
{
    /// <summary>The check's name (its expression unless named).</summary>
    public required string Name { get; init; }

    /// <summary>The named request it belongs to; null for the single target's checks.</summary>
    public string? Request { get; init; }

    /// <summary>The expression as written.</summary>
    public string Expression { get; init; } = "";

    public long Passed { get; init; }

    public long Failed { get; init; }

    public long Total => Passed + Failed;

    /// <summary>The key thresholds and merges use: <c>request.name</c>, or the name for the single target.</summary>
    public string Key => Request is null ? Name : Request + "." + Name;
}

/// <summary>Failures by class.</summary>
public sealed record ErrorCounts
{
    public static ErrorCounts None { get; } = new();

    public long Timeout { get; init; }

    /// <summary>Connect refused or failed (also DNS and TLS handshake failures).</summary>
    public long Connect { get; init; }

    public long Http4xx { get; init; }

    public long Http5xx { get; init; }

    /// <summary>Protocol errors, broken connections and anything else.</summary>
    public long Other { get; init; }

    /// <summary>Responses with a 2xx/3xx status that failed a response check (class <c>check</c>).</summary>
    public long Check { get; init; }

    public long Total => Timeout + Connect + Http4xx + Http5xx + Other + Check;

    public ErrorCounts Add(ErrorCounts other) => new()
    {
        Timeout = Timeout + other.Timeout,
        Connect = Connect + other.Connect,
        Http4xx = Http4xx + other.Http4xx,
        Http5xx = Http5xx + other.Http5xx,
        Other = Other + other.Other,
        Check = Check + other.Check,
    };
}

/// <summary>One second of a shard (or of a merged run).</summary>
public sealed record TimelineWindow
{
    /// <summary>Start of the window as Unix seconds.</summary>
    public long UnixSecond { get; init; }

    /// <summary>Exchanges that ended in this second.</summary>
    public long Requests { get; init; }

    public long Errors { get; init; }

    public long Dropped { get; init; }

    public double LatencyP50Ms { get; init; }

    public double LatencyP99Ms { get; init; }

    public double LatencyMaxMs { get; init; }

    /// <summary>Highest number of requests in flight during the second.</summary>
    public int InFlightMax { get; init; }

    /// <summary>Latency histogram of the window (µs, 2 significant digits, encoded) so merged windows stay exact.</summary>
    public EncodedHistogram? Histogram { get; init; }
}

/// <summary>What one serving instance handled, with the intervals during which it had requests in flight.</summary>
public sealed record InstanceUsage
{
    public required string InstanceId { get; init; }

    public long Requests { get; init; }

    public int MaxConcurrency { get; init; }

    /// <summary>
    /// Coalesced, sorted, non-overlapping intervals with at least one request in flight; stored compactly
    /// (<see cref="BusyIntervalCodec"/>), since a long run keeps one per request while the instance idles in between.
    /// </summary>
    [JsonConverter(typeof(BusyIntervalsJsonConverter))]
    public IReadOnlyList<BusyInterval> Busy { get; init; } = [];

    public TimeSpan ActiveTime => TimeSpan.FromMicroseconds(Busy.Sum(b => b.EndUnixMicros - b.StartUnixMicros));
}

/// <summary>A half-open interval [start, end) in Unix microseconds.</summary>
public readonly record struct BusyInterval(long StartUnixMicros, long EndUnixMicros);

/// <summary>
/// An HdrHistogram encoded with <c>HistogramEncoderV2</c> and compressed with <c>ZLibStream</c>, base64.
/// (The library's own compressed decode is broken on .NET 6+.) Values are microseconds.
/// </summary>
public sealed record EncodedHistogram(string Base64)
{
    public static EncodedHistogram Empty { get; } = new("");
}

/// <summary>
/// The small, Durable-payload-sized view of a shard result: counts and a reference to the full result blob.
/// </summary>
public sealed record ShardSummary
{
    public required string Key { get; init; }

    public RunPhase Phase { get; init; }

    public int Round { get; init; }

    public string Variant { get; init; } = "";

    public int ShardIndex { get; init; }

    public long Requests { get; init; }

    public long Successes { get; init; }

    public long Errors { get; init; }

    public long DroppedArrivals { get; init; }

    /// <summary>Blob path of the full <see cref="ShardResult"/> (relative to the run's prefix).</summary>
    public required string ResultRef { get; init; }

    public string? FailureReason { get; init; }

    public bool Succeeded => FailureReason is null;
}
