using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using Yardstick.Core.Load.Requests;
using Yardstick.Core.Load.Safety;

namespace Yardstick.Core.Load.Transports.Lean;

/// <summary>
/// Yardstick's own HTTP/1.1 client for the load hot path: one <see cref="System.Net.Sockets.Socket"/> per
/// <see cref="IHttpConnection"/> (for https, an <see cref="OpenSslSession"/> on Linux or an <see cref="SslStream"/>:
/// <see cref="TlsEngine"/>), the request encoded once, a per-connection receive buffer and incremental parser, and no
/// allocation per request in steady state.
/// </summary>
/// <remarks>
/// Each <see cref="CreateConnection"/> is one real TCP connection (at most <see cref="TransportOptions.MaxConnections"/>
/// alive at once). Per-request timeouts are enforced by a periodic deadline check (<see cref="DeadlineWatcher"/>, one
/// thread for the process), which closes the socket of an exchange past its deadline, so a request costs no timer or
/// cancellation registration.
/// <see cref="TransportOptions.ConnectTimeout"/> bounds DNS, TCP connect and TLS handshake together; running out of it
/// is reported as <see cref="ExchangeOutcome.ConnectFailed"/> (or <see cref="ExchangeOutcome.TlsFailed"/> during the
/// handshake), while the request timeout, which also runs during connecting, gives <see cref="ExchangeOutcome.Timeout"/>.
/// A reused connection that the server closed while idle is retried once on a new one for idempotent methods.
/// <see cref="ExchangeResult.BytesSent"/> and <see cref="ExchangeResult.BytesReceived"/> count body bytes (request body,
/// de-chunked response body), as <see cref="HandlerHttpTransport"/> does.
/// </remarks>
public sealed class LeanHttpTransport : IHttpTransport
{
    private readonly Lock _gate = new();
    private readonly TimeSpan _deadlinePeriod;
    private LeanHttpConnection[] _connections = [];
    private bool _watched;
    private bool _disposed;

    /// <summary>Prepares the request bytes and TLS options; nothing connects until the first exchange.</summary>
    /// <exception cref="InputException">The URL, method, headers or TLS settings cannot be used by this transport.</exception>
    public LeanHttpTransport(RequestTemplate request, TransportOptions options)
        : this(CompileOne(request), options)
    {
    }

    /// <summary>A transport for a shard's requests (one origin); each exchange names its request.</summary>
    /// <exception cref="InputException">The TLS settings cannot be used by this transport.</exception>
    public LeanHttpTransport(RequestCatalog catalog, TransportOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var request = catalog.First;
        if (request.HttpVersion == "2")
        {
            throw new InputException("target.transport", "the lean transport speaks HTTP/1.1 only; use 'handler' or 'auto' for HTTP/2.");
        }

        var uri = catalog.Origin;
        Catalog = catalog;
        Options = options;
        Host = uri.IdnHost.Trim('[', ']');
        Port = uri.Port;
        Endpoint = uri.HostNameType == UriHostNameType.IPv6 ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
        LiteralAddress = IPAddress.TryParse(Host, out var literal) ? literal : null;
        InstanceHeader = request.InstanceHeader;
        RequestTimeoutTicks = (long)(options.RequestTimeout.TotalSeconds * Stopwatch.Frequency);
        TimeoutMessage = $"no response within {options.RequestTimeout.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)} ms";

        if (request.InsecureSkipTlsVerify && !TargetPolicy.IsLoopbackHost(Host))
        {
            throw new InputException("target.insecureSkipTlsVerify", "skipping certificate validation is allowed for loopback targets only.");
        }

        if (uri.Scheme == Uri.UriSchemeHttps)
        {
            TlsOptions = new SslClientAuthenticationOptions
            {
                // SNI and name validation; SslStream sends no SNI for IP literals, as RFC 6066 asks.
                TargetHost = Host,
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                ApplicationProtocols = [SslApplicationProtocol.Http11],
            };
            if (request.InsecureSkipTlsVerify)
            {
#pragma warning disable CA5359 // Loopback only (checked above): self-signed certificates of local test targets.
                TlsOptions.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
#pragma warning restore CA5359
            }
            else if (options.CertificateChainPolicy is { } chainPolicy)
            {
                TlsOptions.CertificateChainPolicy = chainPolicy;
            }

            TlsEngine = ChooseTlsEngine(options.TlsEngine ?? OpenSslClient.EngineFromEnvironment());
            if (TlsEngine == LeanTlsEngine.OpenSsl)
            {
                OpenSsl = OpenSslClient.Create(Host, request.InsecureSkipTlsVerify, options.CertificateChainPolicy, options.Time);
            }
        }

        // Coarse enough to cost nothing, fine enough that a timeout is reported within ~1/8 of its length.
        var period = options.RequestTimeout / 8;
        _deadlinePeriod = period < TimeSpan.FromMilliseconds(5) ? TimeSpan.FromMilliseconds(5)
            : period > TimeSpan.FromMilliseconds(250) ? TimeSpan.FromMilliseconds(250) : period;
    }

    internal TransportOptions Options { get; }

    /// <summary>Host name or IP literal (no brackets), as checked by the target policy.</summary>
    internal string Host { get; }

    internal int Port { get; }

    /// <summary><c>host:port</c> for error messages.</summary>
    internal string Endpoint { get; }

    internal IPAddress? LiteralAddress { get; }

    /// <summary>The requests this transport sends (each exchange names one by index).</summary>
    internal RequestCatalog Catalog { get; }

    internal string InstanceHeader { get; }

    internal long RequestTimeoutTicks { get; }

    internal string TimeoutMessage { get; }

    internal SslClientAuthenticationOptions? TlsOptions { get; }

    /// <summary>The TLS engine https exchanges run on (null for plain http).</summary>
    public LeanTlsEngine? TlsEngine { get; }

    /// <summary>The OpenSSL client when <see cref="TlsEngine"/> is <see cref="LeanTlsEngine.OpenSsl"/>.</summary>
    internal OpenSslClient? OpenSsl { get; }

    /// <summary>How often request deadlines are checked (by <see cref="DeadlineWatcher"/>, or by the paced loop itself).</summary>
    internal TimeSpan DeadlinePeriod => _deadlinePeriod;

    internal bool IsDisposed => Volatile.Read(ref _disposed);

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">More than <see cref="TransportOptions.MaxConnections"/> connections would be open.</exception>
    public IHttpConnection CreateConnection()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_connections.Length >= Math.Max(1, Options.MaxConnections))
            {
                throw new InvalidOperationException(
                    $"the lean transport already has {_connections.Length} connections (TransportOptions.MaxConnections); dispose one first.");
            }

            var connection = new LeanHttpConnection(this);
            _connections = [.. _connections, connection];
            if (!_watched)
            {
                _watched = true;
                DeadlineWatcher.Add(this, _deadlinePeriod);
            }

            return connection;
        }
    }

    /// <summary>Stops the deadline checks and closes every socket (exchanges under way end as cancelled).</summary>
    public ValueTask DisposeAsync()
    {
        LeanHttpConnection[] connections;
        lock (_gate)
        {
            if (_disposed)
            {
                return ValueTask.CompletedTask;
            }

            _disposed = true;
            connections = _connections;
        }

        DeadlineWatcher.Remove(this);
        foreach (var connection in connections)
        {
            connection.ForceClose();
        }

        // Sessions still open keep their own reference on the context; it is freed after the last one.
        OpenSsl?.Dispose();

        return ValueTask.CompletedTask;
    }

    internal void Remove(LeanHttpConnection connection)
    {
        lock (_gate)
        {
            _connections = [.. _connections.Where(c => c != connection)];
        }
    }

    /// <summary>OpenSSL unless asked otherwise or unusable here; asking for it where it cannot run is an error.</summary>
    private static LeanTlsEngine ChooseTlsEngine(LeanTlsEngine? asked) => asked switch
    {
        LeanTlsEngine.SslStream => LeanTlsEngine.SslStream,
        LeanTlsEngine.OpenSsl when OpenSslNative.Unavailable is { } reason =>
            throw new InputException(OpenSslClient.EngineVariable, $"the OpenSSL engine cannot run here: {reason}."),
        LeanTlsEngine.OpenSsl => LeanTlsEngine.OpenSsl,
        _ => OpenSslNative.IsAvailable ? LeanTlsEngine.OpenSsl : LeanTlsEngine.SslStream,
    };

    private static RequestCatalog CompileOne(RequestTemplate request)
    {
        if (request.HttpVersion == "2")
        {
            throw new InputException("target.transport", "the lean transport speaks HTTP/1.1 only; use 'handler' or 'auto' for HTTP/2.");
        }

        return RequestCatalog.Single(request);
    }

    /// <summary>Called by <see cref="DeadlineWatcher"/>: ends every exchange past its deadline at <paramref name="now"/>.</summary>
    internal void CheckDeadlines(long now)
    {
        foreach (var connection in Volatile.Read(ref _connections))
        {
            connection.CheckDeadline(now);
        }
    }
}
