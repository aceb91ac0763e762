using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using Yardstick.Core.Load.Safety;

namespace Yardstick.Core.Load.Transports;

/// <summary>
/// <c>SocketsHttpHandler</c> via <c>HttpMessageInvoker</c> (no <c>HttpClient</c> overhead): HTTP/2, h2c and
/// anything the lean HTTP/1.1 engine does not speak. Connections are pooled by the handler; a
/// <see cref="IHttpConnection"/> here is a logical slot.
/// </summary>
public sealed class HandlerHttpTransport : IHttpTransport
{
    private readonly HttpMessageInvoker _invoker;
    private readonly RequestTemplate _request;
    private readonly TransportOptions _options;
    private readonly Uri _uri;
    private readonly Version _version;
    private readonly byte[]? _body;
    private readonly string? _contentType;

    public HandlerHttpTransport(RequestTemplate request, TransportOptions options)
    {
        _request = request;
        _options = options;
        _uri = new Uri(request.Url, UriKind.Absolute);
        _version = request.HttpVersion == "2" ? HttpVersion.Version20 : HttpVersion.Version11;
        _body = request.Body is null ? null : Encoding.UTF8.GetBytes(request.Body);
        _contentType = request.Headers.FirstOrDefault(h => h.Name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))?.Value;

        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = Math.Max(1, options.MaxConnections),
            ConnectTimeout = options.ConnectTimeout,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2),
            AutomaticDecompression = DecompressionMethods.None,
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            EnableMultipleHttp2Connections = true,
            ConnectCallback = ConnectAsync,
        };
        if (request.InsecureSkipTlsVerify)
        {
            if (!TargetPolicy.IsLoopbackHost(_uri.IdnHost))
            {
                throw new InputException("target.insecureSkipTlsVerify", "skipping certificate validation is allowed for loopback targets only.");
            }

            handler.SslOptions = new SslClientAuthenticationOptions
            {
#pragma warning disable CA5359 // Loopback only (checked above): self-signed certificates of local test targets.
                RemoteCertificateValidationCallback = static (_, _, _, _) => true,
#pragma warning restore CA5359
            };
        }

        _invoker = new HttpMessageInvoker(handler, disposeHandler: true);
    }

    public IHttpConnection CreateConnection() => new Slot(this);

    public ValueTask DisposeAsync()
    {
        _invoker.Dispose();
        return ValueTask.CompletedTask;
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken);
        var allowed = addresses.Where(a => _options.Policy.IsAddressAllowed(a, host)).ToArray();
        if (allowed.Length == 0)
        {
            throw new HttpRequestException(HttpRequestError.ConnectionError, $"no allowed address for {host} (target policy)");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private HttpRequestMessage CreateMessage()
    {
        var message = new HttpRequestMessage(new HttpMethod(_request.Method), _uri)
        {
            Version = _version,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        foreach (var header in _request.Headers)
        {
            if (header.Name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            message.Headers.TryAddWithoutValidation(header.Name, header.Value);
        }

        if (_body is not null)
        {
            message.Content = new ByteArrayContent(_body);
            if (_contentType is not null)
            {
                message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(_contentType);
            }
        }

        return message;
    }

    private sealed class Slot(HandlerHttpTransport owner) : IHttpConnection
    {
        private string? _lastInstance;

        public async ValueTask<ExchangeResult> ExchangeAsync(CancellationToken cancellationToken)
        {
            var start = Stopwatch.GetTimestamp();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(owner._options.RequestTimeout);
            using var message = owner.CreateMessage();
            var sent = owner._body?.Length ?? 0;
            try
            {
                using var response = await owner._invoker.SendAsync(message, timeout.Token);
                var firstByte = Stopwatch.GetTimestamp();
                var received = await DrainAsync(response, timeout.Token);
                return new ExchangeResult
                {
                    Outcome = ExchangeOutcome.Response,
                    StatusCode = (int)response.StatusCode,
                    BytesSent = sent,
                    BytesReceived = received,
                    StartTimestamp = start,
                    FirstByteTimestamp = firstByte,
                    EndTimestamp = Stopwatch.GetTimestamp(),
                    InstanceId = Instance(response),
                    ServerDurationMs = ServerTiming.TryParseDuration(response.Headers.TryGetValues("Server-Timing", out var st) ? string.Join(",", st) : null),
                };
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return Failure(ExchangeOutcome.Cancelled, start, "cancelled");
            }
            catch (OperationCanceledException)
            {
                return Failure(ExchangeOutcome.Timeout, start, $"no response within {owner._options.RequestTimeout.TotalMilliseconds:0} ms");
            }
            catch (HttpRequestException e)
            {
                return Failure(Classify(e), start, Describe(e));
            }
            catch (IOException e)
            {
                return Failure(ExchangeOutcome.IoError, start, e.Message);
            }
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;

        private string? Instance(HttpResponseMessage response)
        {
            if (!response.Headers.TryGetValues(owner._request.InstanceHeader, out var values))
            {
                return null;
            }

            var value = values.FirstOrDefault();
            if (value is not null && value != _lastInstance)
            {
                _lastInstance = value;
            }

            return _lastInstance;
        }

        private static async ValueTask<int> DrainAsync(HttpResponseMessage response, CancellationToken cancellationToken)
        {
            var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
            try
            {
                await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
                var total = 0;
                int read;
                while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    total += read;
                }

                return total;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        private static ExchangeResult Failure(ExchangeOutcome outcome, long start, string error) => new()
        {
            Outcome = outcome,
            StartTimestamp = start,
            EndTimestamp = Stopwatch.GetTimestamp(),
            Error = error,
        };

        private static ExchangeOutcome Classify(HttpRequestException e)
        {
            if (e.InnerException is AuthenticationException)
            {
                return ExchangeOutcome.TlsFailed;
            }

            return e.HttpRequestError switch
            {
                HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError => ExchangeOutcome.ConnectFailed,
                HttpRequestError.SecureConnectionError => ExchangeOutcome.TlsFailed,
                HttpRequestError.HttpProtocolError or HttpRequestError.InvalidResponse or HttpRequestError.ResponseEnded
                    or HttpRequestError.VersionNegotiationError => ExchangeOutcome.ProtocolError,
                _ => e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused }
                    ? ExchangeOutcome.ConnectFailed
                    : ExchangeOutcome.IoError,
            };
        }

        private static string Describe(HttpRequestException e) =>
            e.InnerException is null ? e.HttpRequestError + ": " + e.Message : e.HttpRequestError + ": " + e.InnerException.Message;
    }
}
