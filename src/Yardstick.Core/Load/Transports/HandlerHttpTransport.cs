using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using Yardstick.Core.Datasets;
using Yardstick.Core.Load.Requests;
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
    private readonly RequestCatalog _catalog;
    private readonly RequestTemplate _request;
    private readonly TransportOptions _options;
    private readonly Uri _uri;
    private readonly Version _version;
    private readonly string _origin;

    public HandlerHttpTransport(RequestTemplate request, TransportOptions options)
        : this(RequestCatalog.Single(request), options)
    {
    }

    /// <summary>A transport for a shard's requests (one origin); each exchange names its request.</summary>
    public HandlerHttpTransport(RequestCatalog catalog, TransportOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        _catalog = catalog;
        _request = catalog.First;
        _options = options;
        _uri = catalog.Origin;
        _origin = _uri.GetLeftPart(UriPartial.Authority);
        _version = _request.HttpVersion == "2" ? HttpVersion.Version20 : HttpVersion.Version11;
        var request = _request;

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
            ConnectCallback = TargetConnector.ConnectCallback(options.Policy),
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

    private HttpRequestMessage CreateMessage(CompiledRequest request, in ExchangeRequest exchange, DataRowBuffer? row, out int bodyLength)
    {
        var message = new HttpRequestMessage(new HttpMethod(request.Template.Method), new Uri(_origin + Render(request.PathAndQuery, row, request.VerbatimData ? ValueEncoding.Raw : ValueEncoding.Url, request.Columns), UriKind.Absolute))
        {
            Version = _version,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        string? contentType = null;
        foreach (var (name, value) in request.Headers)
        {
            var text = Render(value, row, ValueEncoding.Header, request.Columns);
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                contentType = text;
                continue;
            }

            message.Headers.TryAddWithoutValidation(name, text);
        }

        if (_catalog.Trace is { } trace)
        {
            Span<byte> traceParent = stackalloc byte[RunCorrelation.TraceParentLength];
            trace.Write(exchange.Sequence, traceParent);
            message.Headers.TryAddWithoutValidation(RunCorrelation.TraceParentHeader, Encoding.ASCII.GetString(traceParent));
            message.Headers.TryAddWithoutValidation(RunCorrelation.RunHeader, _catalog.CorrelationRunId);
        }

        bodyLength = 0;
        if (request.Template.Body is not null)
        {
            var body = RenderBytes(request, row);
            bodyLength = body.Length;
            message.Content = new ByteArrayContent(body);
            if (contentType is not null)
            {
                message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            }
        }

        return message;
    }

    private static string Render(IReadOnlyList<TemplatePart> parts, DataRowBuffer? row, ValueEncoding encoding, IReadOnlyDictionary<string, int>? columns = null)
    {
        if (parts.Count == 1 && !parts[0].IsHole)
        {
            return parts[0].Text;
        }

        var text = new StringBuilder();
        var buffer = new byte[64];
        foreach (var part in parts)
        {
            if (!part.IsHole)
            {
                text.Append(part.Text);
                continue;
            }

            var length = RequestWriter.WriteValue(row!.Value(ColumnOf(part.Text, row, columns)), encoding, ref buffer, 0);
            text.Append(Encoding.UTF8.GetString(buffer, 0, length));
        }

        return text.ToString();
    }

    private static int ColumnOf(string name, DataRowBuffer row, IReadOnlyDictionary<string, int>? columns) =>
        columns is not null && columns.TryGetValue(name, out var column) ? column : throw new InvalidOperationException($"no column '{name}' ({row.Columns} columns)");

    private byte[] RenderBytes(CompiledRequest request, DataRowBuffer? row)
    {
        if (request.StaticBodyLength >= 0)
        {
            return Encoding.UTF8.GetBytes(request.Template.Body!);
        }

        var buffer = new byte[256];
        var at = 0;
        var inString = false;
        foreach (var part in request.BodyParts)
        {
            if (!part.IsHole)
            {
                var bytes = Encoding.UTF8.GetBytes(part.Text);
                if (buffer.Length < at + bytes.Length)
                {
                    Array.Resize(ref buffer, Math.Max(buffer.Length * 2, at + bytes.Length));
                }

                bytes.CopyTo(buffer, at);
                at += bytes.Length;
                inString = request.BodyIsJson && InStringAfter(part.Text, inString);
                continue;
            }

            var encoding = !request.BodyIsJson || request.VerbatimData ? ValueEncoding.Raw : inString ? ValueEncoding.JsonString : ValueEncoding.JsonValue;
            at = RequestWriter.WriteValue(row!.Value(request.Columns[part.Text]), encoding, ref buffer, at);
        }

        return buffer.AsSpan(0, at).ToArray();
    }

    private static bool InStringAfter(string text, bool inString)
    {
        var escaped = false;
        foreach (var c in text)
        {
            if (escaped)
            {
                escaped = false;
            }
            else if (c == '\\' && inString)
            {
                escaped = true;
            }
            else if (c == '"')
            {
                inString = !inString;
            }
        }

        return inString;
    }

    private sealed class Slot(HandlerHttpTransport owner) : IHttpConnection
    {
        private readonly DataRowBuffer? _row = owner._catalog.Data is { } data ? new DataRowBuffer(data.Columns.Count) : null;
        private readonly Checks.ResponseCapture? _capture = owner._catalog.CreateCapture();
        private string? _lastInstance;

        public ValueTask<ExchangeResult> ExchangeAsync(CancellationToken cancellationToken) => ExchangeAsync(ExchangeRequest.First, cancellationToken);

        public async ValueTask<ExchangeResult> ExchangeAsync(ExchangeRequest request, CancellationToken cancellationToken)
        {
            var start = Stopwatch.GetTimestamp();
            var compiled = owner._catalog.Compiled[request.RequestIndex];
            if (compiled.UsesData && !owner._catalog.Data!.TryRead(request.RowKey, _row!))
            {
                return Failure(ExchangeOutcome.NotSent, start, "not sent: the dataset has no row left for it (onExhausted: stop)");
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(owner._options.RequestTimeout);
            using var message = owner.CreateMessage(compiled, request, _row, out var sent);
            try
            {
                using var response = await owner._invoker.SendAsync(message, timeout.Token);
                var firstByte = Stopwatch.GetTimestamp();
                var checks = compiled.Checks;
                if (_capture is { } capture)
                {
                    capture.Begin(checks);
                    if (checks is { HeaderNames.Count: > 0 })
                    {
                        foreach (var header in response.Headers.Concat(response.Content.Headers))
                        {
                            foreach (var value in header.Value)
                            {
                                capture.OnHeader(header.Key, value);
                            }
                        }
                    }
                }

                var received = await DrainAsync(response, checks is { NeedsBody: true } ? _capture : null, timeout.Token);
                var result = new ExchangeResult
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
                if (checks is not null && checks.Evaluate(result, _capture) is var failed && failed != 0)
                {
                    result = result with { FailedChecks = failed, Error = checks.Describe(failed) };
                }

                return result;
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

        private static async ValueTask<int> DrainAsync(HttpResponseMessage response, Checks.ResponseCapture? capture, CancellationToken cancellationToken)
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
                    capture?.OnBody(buffer.AsSpan(0, read));
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
