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
    /// <summary>Each slot's response buffer: bodies are read through it in pieces this large.</summary>
    private const int DrainBufferBytes = 8 * 1024;

    private readonly HttpMessageInvoker[] _invokers;
    private int _slots;
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
        if (request.InsecureSkipTlsVerify && !TargetPolicy.IsLoopbackHost(_uri.IdnHost))
        {
            throw new InputException("target.insecureSkipTlsVerify", "skipping certificate validation is allowed for loopback targets only.");
        }

        // HTTP/1.1: one pool of MaxConnections connections, one request each at a time. HTTP/2: MaxConnections pools of
        // one connection each, slots spread over them round-robin, so the shard holds exactly that many connections
        // with its requests multiplexed as streams (one pool that may open more HTTP/2 connections opens more than
        // MaxConnectionsPerServer: 6-7 for 4 were seen), as h2load -c N -m M does.
        var http2 = _version == HttpVersion.Version20;
        var connections = Math.Max(1, options.MaxConnections);
        _invokers = new HttpMessageInvoker[http2 ? connections : 1];
        for (var i = 0; i < _invokers.Length; i++)
        {
            _invokers[i] = new HttpMessageInvoker(CreateHandler(request, options, http2 ? 1 : connections), disposeHandler: true);
        }

        _fixed = catalog.Compiled
            .Select(c => new FixedParts(
                HttpMethod.Parse(c.Template.Method),
                c.PathAndQuery.Any(p => p.IsHole) ? null : new Uri(_origin + Render(c.PathAndQuery, null, ValueEncoding.Url), UriKind.Absolute)))
            .ToArray();
    }

    private static SocketsHttpHandler CreateHandler(RequestTemplate request, TransportOptions options, int connections)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            ConnectTimeout = options.ConnectTimeout,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2),
            AutomaticDecompression = DecompressionMethods.None,
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            EnableMultipleHttp2Connections = false,
            ConnectCallback = TargetConnector.ConnectCallback(options.Policy),
        };
        if (request.InsecureSkipTlsVerify)
        {
            handler.SslOptions = new SslClientAuthenticationOptions
            {
#pragma warning disable CA5359 // Loopback only (checked above): self-signed certificates of local test targets.
                RemoteCertificateValidationCallback = static (_, _, _, _) => true,
#pragma warning restore CA5359
            };
        }

        return handler;
    }

    /// <summary>Per request of the catalog (by index): its method, and its URI when it has no data holes.</summary>
    private readonly FixedParts[] _fixed;

    private readonly record struct FixedParts(HttpMethod Method, Uri? Uri);

    public IHttpConnection CreateConnection() => new Slot(this, _invokers[(uint)(Interlocked.Increment(ref _slots) - 1) % (uint)_invokers.Length]);

    public ValueTask DisposeAsync()
    {
        foreach (var invoker in _invokers)
        {
            invoker.Dispose();
        }
        return ValueTask.CompletedTask;
    }

    private HttpRequestMessage CreateMessage(CompiledRequest request, in ExchangeRequest exchange, DataRowBuffer? row, out int bodyLength)
    {
        // What does not vary per exchange is built once per request (HttpMethod.Parse returns the shared instance of a
        // known method; a Uri without holes is immutable and can be shared by every message).
        var fixedParts = _fixed[request.Index];
        var uri = fixedParts.Uri ?? new Uri(_origin + Render(request.PathAndQuery, row, request.VerbatimData ? ValueEncoding.Raw : ValueEncoding.Url, request.Columns), UriKind.Absolute);
        var message = new HttpRequestMessage(fixedParts.Method, uri)
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

    /// <param name="owner">The transport.</param>
    /// <param name="invoker">The pool this slot sends through (HTTP/2: one connection of the transport's).</param>
    private sealed class Slot(HandlerHttpTransport owner, HttpMessageInvoker invoker) : IHttpConnection
    {
        private readonly DataRowBuffer? _row = owner._catalog.Data is { } data ? new DataRowBuffer(data.Columns.Count) : null;
        private readonly Checks.ResponseCapture? _capture = owner._catalog.CreateCapture();

        // Reused by every exchange of this slot (one at a time): the response body is read into it, and the timeout
        // source is reset after an exchange it did not cancel, so its timer is created once.
        private readonly byte[] _drain = new byte[DrainBufferBytes];
        private CancellationTokenSource _timeout = new();
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

            var timeout = _timeout;
            timeout.CancelAfter(owner._options.RequestTimeout);
            using var stop = cancellationToken.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), timeout);
            using var message = owner.CreateMessage(compiled, request, _row, out var sent);
            try
            {
                using var response = await invoker.SendAsync(message, timeout.Token);
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

                var received = await DrainAsync(response, _drain, checks is { NeedsBody: true } ? _capture : null, timeout.Token);
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
                    ServerDurationMs = ServerDuration(response),
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
            finally
            {
                stop.Dispose();
                if (!_timeout.TryReset())
                {
                    // It fired (timeout or stop): a cancelled source cannot be reused.
                    _timeout.Dispose();
                    _timeout = new CancellationTokenSource();
                }
            }
        }

        public ValueTask DisposeAsync()
        {
            _timeout.Dispose();
            return ValueTask.CompletedTask;
        }

        /// <summary>The instance header's first value (read without parsing: no per-response arrays or copies).</summary>
        private string? Instance(HttpResponseMessage response)
        {
            if (!response.Headers.NonValidated.TryGetValues(owner._request.InstanceHeader, out var values) || values.Count == 0)
            {
                return null;
            }

            string? value = null;
            foreach (var first in values)
            {
                value = first;
                break;
            }

            if (value is not null && value != _lastInstance)
            {
                _lastInstance = value;
            }

            return _lastInstance;
        }

        private static double? ServerDuration(HttpResponseMessage response) =>
            response.Headers.NonValidated.TryGetValues("Server-Timing", out var values)
                ? ServerTiming.TryParseDuration(values.Count == 1 ? values.ToString() : string.Join(",", values))
                : null;

        private static async ValueTask<int> DrainAsync(HttpResponseMessage response, byte[] buffer, Checks.ResponseCapture? capture, CancellationToken cancellationToken)
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
