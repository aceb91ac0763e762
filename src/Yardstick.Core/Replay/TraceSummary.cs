namespace Yardstick.Core.Replay;

/// <summary>
/// One endpoint of a replay: the requests of a trace grouped by recorded name (and method), in order of first appearance
/// in the replayed window. Each becomes one of the shard's requests, so per-request metrics group by it.
/// </summary>
/// <param name="Name">The name metrics are grouped under (the recorded name; <c>(METHOD)</c> appended when one name
/// comes with several methods; <c>other METHOD</c> for the names beyond <see cref="TraceDescription.MaxNamedEndpoints"/>).</param>
/// <param name="Method">The method every arrival of the endpoint sends.</param>
/// <param name="RecordedName">The name the trace records (empty for an <c>other</c> group).</param>
/// <param name="HasBody">Some arrival of the endpoint carries a body (the request then sends each arrival's body, empty when it has none).</param>
/// <param name="Arrivals">Arrivals of the window that send it.</param>
public sealed record ReplayEndpoint(string Name, string Method, string RecordedName, bool HasBody, long Arrivals);

/// <summary>A dataset column the replayed lines of a trace name with a <c>${data.column}</c> hole (in a path or a body).</summary>
/// <param name="Column">The column.</param>
/// <param name="Line">The 1-based line of the trace that names it first.</param>
public sealed record TraceHole(string Column, long Line);

/// <summary>
/// Which trace a replay followed, read once (streaming) when the run was planned: its identity (SHA-256 of the bytes,
/// arrivals, size, span, distinct endpoints), the slice replayed and how fast, and the endpoints it sends. Recorded in
/// <c>plan.json</c> and <c>summary.json</c> (<c>trace</c>), and part of the baseline comparison like a dataset.
/// </summary>
public sealed record TraceSummary
{
    /// <summary>The trace as the workload names it: <c>traces/prod.jsonl</c> (a file) or the blob name.</summary>
    public required string File { get; init; }

    /// <summary><c>file</c> (the CLI's disk) or <c>blob</c> (the results storage account).</summary>
    public string Source { get; init; } = "file";

    /// <summary>A blob's ETag when the run was planned (every shard reads that exact content); null for a file.</summary>
    public string? ETag { get; init; }

    /// <summary>A blob's version id when the account keeps versions; null otherwise.</summary>
    public string? VersionId { get; init; }

    /// <summary>Lowercase hex SHA-256 of the trace's bytes.</summary>
    public required string Sha256 { get; init; }

    /// <summary>The trace's size in bytes.</summary>
    public long Bytes { get; init; }

    /// <summary>Recorded requests in the whole trace.</summary>
    public long Arrivals { get; init; }

    /// <summary>The <c>t</c> of the trace's first line.</summary>
    public DateTimeOffset? Start { get; init; }

    /// <summary>From the first to the last line of the whole trace.</summary>
    public TimeSpan Span { get; init; }

    /// <summary>Distinct recorded (method, name) pairs in the whole trace (counted up to <see cref="TraceDescription.MaxCountedNames"/>).</summary>
    public int DistinctEndpoints { get; init; }

    /// <summary>Replay speed (1 = as recorded).</summary>
    public double Speed { get; init; } = 1.0;

    /// <summary>Where the replayed slice starts (offset from the first line).</summary>
    public TimeSpan WindowFrom { get; init; }

    /// <summary>The slice's length in trace time when <c>load.window.duration</c> gives it; null: to the end.</summary>
    public TimeSpan? WindowDuration { get; init; }

    /// <summary>Arrivals replayed per round (those of the window).</summary>
    public long WindowArrivals { get; init; }

    /// <summary>How long a round lasts: the window's span (its duration, or up to its last arrival) ÷ speed.</summary>
    public TimeSpan ReplayDuration { get; init; }

    /// <summary>Most arrivals in one second of replay time (after speed), the rate cap checks.</summary>
    public long PeakPerSecond { get; init; }

    /// <summary>The endpoints in the order of the shard plan's requests.</summary>
    public IReadOnlyList<ReplayEndpoint> Endpoints { get; init; } = [];

    /// <summary>Recorded names grouped under <c>other METHOD</c> because there were more than <see cref="TraceDescription.MaxNamedEndpoints"/>.</summary>
    public int GroupedAsOther { get; init; }

    /// <summary>
    /// The dataset columns the window's lines name with <c>${data.column}</c> holes, each with the first line naming it, in
    /// order of first appearance: checked against the dataset's header before anything runs (<see cref="ReplayData"/>).
    /// </summary>
    public IReadOnlyList<TraceHole> DataHoles { get; init; } = [];

    /// <summary>Average arrivals per second of replay time.</summary>
    public double AverageRate => ReplayDuration > TimeSpan.Zero ? WindowArrivals / ReplayDuration.TotalSeconds : 0;

    /// <summary>One line for people: <c>traces/prod.jsonl · 100,000 arrivals · 9.8 MB · span 20s · 3 endpoints · sha256 1a2b3c4d5e6f · ×1</c>.</summary>
    public string Describe()
    {
        var window = WindowFrom > TimeSpan.Zero || WindowDuration is not null
            ? $" · window {Load.DurationText.Format(WindowFrom)}+{(WindowDuration is { } d ? Load.DurationText.Format(d) : "end")} ({WindowArrivals:N0} arrivals)"
            : "";
        var other = GroupedAsOther > 0 ? $" ({GroupedAsOther} more names grouped as other)" : "";
        return string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{File}{(Source == "blob" ? " (blob)" : "")} · {Arrivals:N0} arrivals · {Bytes:N0} B · span {Load.DurationText.Format(Span)} · {DistinctEndpoints} endpoints{other} · sha256 {Sha256[..Math.Min(12, Sha256.Length)]} · speed ×{Speed:0.##}{window} · peak {PeakPerSecond:N0}/s");
    }
}
