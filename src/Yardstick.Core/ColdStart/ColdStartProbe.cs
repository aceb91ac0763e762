using System.Diagnostics;
using Yardstick.Core.Load.Transports;

namespace Yardstick.Core.ColdStart;

/// <summary>
/// What one cold-start probe measured, before classification: when the cold start was forced, the first successful
/// exchange (with its timing breakdown) and the warm exchanges sent right after it. Produced by the probe activities,
/// classified by <see cref="ColdStartClassifier"/>, summarized by <see cref="ColdStartStatistics"/>.
/// </summary>
public sealed record ColdStartProbe
{
    /// <summary>0-based probe number, in the order the probes ran.</summary>
    public int Index { get; init; }

    /// <summary>Wall-clock time the cold start was forced (process start, restart call, setting change, end of the idle wait).</summary>
    public DateTimeOffset ForcedAt { get; init; }

    /// <summary>
    /// Time from the start of the timed section to the first successful response, ms: from the process start for
    /// <c>process</c>, from the first probe request for the Azure strategies (their forcing happens in another activity).
    /// </summary>
    public double? TimeToFirstSuccessMs { get; init; }

    /// <summary>Requests sent until the first success (refused connections while the target starts count too).</summary>
    public int Attempts { get; init; }

    /// <summary>The first successful exchange; null when the probe never got one.</summary>
    public ProbeExchange? First { get; init; }

    /// <summary>The warm requests sent after the first success, each on a fresh connection.</summary>
    public IReadOnlyList<ProbeExchange> Warm { get; init; } = [];

    /// <summary>Why the probe failed (no success within the probe timeout, process exited…), redacted.</summary>
    public string? Failure { get; init; }

    /// <summary>Idle time the probe waited for, s (<c>idle</c> strategy): the point of the eviction curve it belongs to.</summary>
    public double? IdleSeconds { get; init; }

    /// <summary>Counter written to <c>YARDSTICK_COLD_START</c> (appSetting strategy).</summary>
    public long? ColdStartCounter { get; init; }

    /// <summary>Serving instance named by the telemetry (App Insights role instance) when the response carried none.</summary>
    public string? TelemetryInstanceId { get; init; }

    /// <summary>Instance of the first success: the response header's value, else the telemetry's.</summary>
    public string? InstanceId => First?.InstanceId ?? TelemetryInstanceId;
}

/// <summary>One timed exchange of a probe: the breakdown of <see cref="ExchangeResult"/> in milliseconds.</summary>
public sealed record ProbeExchange
{
    /// <summary>Wall-clock time the exchange began.</summary>
    public DateTimeOffset At { get; init; }

    public int StatusCode { get; init; }

    /// <summary>Value of the instance header, when the response had one.</summary>
    public string? InstanceId { get; init; }

    /// <summary>TCP connect time (null on a reused connection).</summary>
    public double? ConnectMs { get; init; }

    /// <summary>TLS handshake time (null for plain HTTP).</summary>
    public double? TlsMs { get; init; }

    /// <summary>From the start of the exchange to the first response byte.</summary>
    public double? FirstByteMs { get; init; }

    /// <summary><c>Server-Timing</c> duration the target reported.</summary>
    public double? ServerMs { get; init; }

    /// <summary>From the start of the exchange to the end of the response.</summary>
    public double TotalMs { get; init; }

    /// <summary>The breakdown of a transport result (timestamps are <see cref="Stopwatch"/> ticks; 0 = step did not happen).</summary>
    public static ProbeExchange From(in ExchangeResult result, DateTimeOffset at)
    {
        var start = result.StartTimestamp;
        double? Between(long from, long to) => from != 0 && to != 0 && to >= from ? Stopwatch.GetElapsedTime(from, to).TotalMilliseconds : null;
        return new ProbeExchange
        {
            At = at,
            StatusCode = result.StatusCode,
            InstanceId = result.InstanceId,
            ConnectMs = Between(start, result.ConnectedTimestamp),
            TlsMs = Between(result.ConnectedTimestamp, result.TlsTimestamp),
            FirstByteMs = Between(start, result.FirstByteTimestamp),
            ServerMs = result.ServerDurationMs,
            TotalMs = Between(start, result.EndTimestamp) ?? 0,
        };
    }
}
