using Yardstick.Core.Load.Requests;

namespace Yardstick.Core.Load.Transports;

/// <summary>
/// A client for a shard's resolved requests (secrets already substituted): one <see cref="RequestTemplate"/>, or a
/// <see cref="RequestCatalog"/> of several to one origin. It hands out connections; each connection carries one
/// exchange at a time and reconnects by itself after failures.
/// </summary>
public interface IHttpTransport : IAsyncDisposable
{
    /// <summary>A new logical connection. It connects lazily on its first exchange.</summary>
    IHttpConnection CreateConnection();
}

/// <summary>One connection able to carry one request/response exchange at a time.</summary>
public interface IHttpConnection : IAsyncDisposable
{
    /// <summary>
    /// Sends the template request and reads the whole response. Never throws for network or HTTP
    /// failures: they come back as an <see cref="ExchangeOutcome"/>. Honours the per-request timeout
    /// given to the transport; <paramref name="cancellationToken"/> aborts the run.
    /// </summary>
    ValueTask<ExchangeResult> ExchangeAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Sends the request <paramref name="request"/> names (its index into the transport's requests, with the keys of its
    /// variable parts) and reads the whole response; otherwise as <see cref="ExchangeAsync(CancellationToken)"/>.
    /// Transports of a single request need not implement it: the default sends that request.
    /// </summary>
    ValueTask<ExchangeResult> ExchangeAsync(ExchangeRequest request, CancellationToken cancellationToken) =>
        request.RequestIndex == 0
            ? ExchangeAsync(cancellationToken)
            : throw new NotSupportedException($"{GetType().Name} sends one request; request {request.RequestIndex} needs a transport over a RequestCatalog.");
}

/// <summary>How an exchange ended.</summary>
public enum ExchangeOutcome
{
    /// <summary>A full response arrived (any status code; see <see cref="ExchangeResult.StatusCode"/>).</summary>
    Response,

    /// <summary>No full response within the per-request timeout.</summary>
    Timeout,

    /// <summary>TCP connect (or DNS) failed or was refused.</summary>
    ConnectFailed,

    /// <summary>TLS handshake or certificate validation failed.</summary>
    TlsFailed,

    /// <summary>The peer sent something that is not valid HTTP.</summary>
    ProtocolError,

    /// <summary>The connection broke mid-exchange.</summary>
    IoError,

    /// <summary>The run was cancelled while this exchange was under way.</summary>
    Cancelled,

    /// <summary>Nothing was sent: the request's data row was exhausted (<c>onExhausted: stop</c>). Not counted as a request.</summary>
    NotSent,
}

/// <summary>
/// The result of one exchange. Timestamps are <see cref="System.Diagnostics.Stopwatch.GetTimestamp"/> values
/// (0 when the step did not happen, e.g. no connect on a reused connection). A value type: no allocation per request.
/// </summary>
public readonly record struct ExchangeResult
{
    public ExchangeOutcome Outcome { get; init; }

    /// <summary>HTTP status code when <see cref="Outcome"/> is <see cref="ExchangeOutcome.Response"/>, else 0.</summary>
    public int StatusCode { get; init; }

    public int BytesSent { get; init; }

    public int BytesReceived { get; init; }

    /// <summary>When the exchange began (before any connect).</summary>
    public long StartTimestamp { get; init; }

    /// <summary>When the TCP connection was established (0 when reused).</summary>
    public long ConnectedTimestamp { get; init; }

    /// <summary>When the TLS handshake finished (0 when plain or reused).</summary>
    public long TlsTimestamp { get; init; }

    /// <summary>When the first byte of the response arrived.</summary>
    public long FirstByteTimestamp { get; init; }

    /// <summary>When the response was complete (or the failure was detected).</summary>
    public long EndTimestamp { get; init; }

    /// <summary>Value of the template's instance header (cached string: equal values share one instance).</summary>
    public string? InstanceId { get; init; }

    /// <summary><c>Server-Timing</c> duration (first <c>dur=</c> value) in milliseconds, when present.</summary>
    public double? ServerDurationMs { get; init; }

    /// <summary>Short description of a failure (never contains header values).</summary>
    public string? Error { get; init; }

    /// <summary>
    /// Bit <c>i</c> set: check <c>i</c> of the request (<see cref="RequestTemplate.Checks"/>) failed on this response.
    /// 0 when every check passed, when the request has none, or when no full response arrived (checks did not run).
    /// </summary>
    public uint FailedChecks { get; init; }

    public bool IsSuccess => Outcome == ExchangeOutcome.Response && StatusCode is >= 200 and < 400 && FailedChecks == 0;
}

/// <summary>Options shared by every transport.</summary>
public sealed record TransportOptions
{
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Upper bound on simultaneously open connections.</summary>
    public int MaxConnections { get; init; } = 256;

    /// <summary>Addresses are checked against this policy at connect time (after DNS).</summary>
    public Safety.TargetPolicy Policy { get; init; } = Safety.TargetPolicy.LoopbackOnly;

    /// <summary>
    /// The lean transport's TLS engine; null follows <c>YARDSTICK_TLS</c> (unset: OpenSSL where it can run, else
    /// <see cref="System.Net.Security.SslStream"/>).
    /// </summary>
    public Lean.LeanTlsEngine? TlsEngine { get; init; }

    /// <summary>
    /// Test seam: the chain policy certificates are validated with (a custom trust store for a test CA) instead of the
    /// system's trust, by either TLS engine.
    /// </summary>
    internal System.Security.Cryptography.X509Certificates.X509ChainPolicy? CertificateChainPolicy { get; init; }

    /// <summary>The clock certificates are validated against by the OpenSSL engine (tests move it).</summary>
    internal TimeProvider Time { get; init; } = TimeProvider.System;
}
