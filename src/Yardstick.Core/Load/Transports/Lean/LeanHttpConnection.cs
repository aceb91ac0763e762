using System.Diagnostics;
using System.Net.Security;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Security.Authentication;
using Yardstick.Core.Load.Requests;

namespace Yardstick.Core.Load.Transports.Lean;

/// <summary>
/// One TCP connection of <see cref="LeanHttpTransport"/>: sends the pre-encoded request, parses the response from a
/// per-connection buffer, and reconnects on the next exchange after a failure or <c>Connection: close</c>.
/// </summary>
/// <remarks>
/// Steady state allocates nothing, at any concurrency: one long-lived loop (<see cref="RunAsync"/>, one state machine
/// for the connection's life) carries every exchange, and <see cref="ExchangeAsync(ExchangeRequest, CancellationToken)"/> hands back a
/// <see cref="ValueTask{TResult}"/> over this connection's own reusable result slot, which the loop completes. (A
/// pooled async builder per exchange was not enough: with tens of exchanges in flight its small per-core cache misses
/// and nearly every exchange that completes asynchronously allocated a ~470 B box.) Socket and
/// <see cref="SslStream"/> operations complete through cached awaitables, the instance id is compared as bytes, and
/// timeouts and run cancellation close the socket from outside (<see cref="Abort"/>) instead of registering a token on
/// every I/O call.
/// </remarks>
internal sealed partial class LeanHttpConnection : IHttpConnection
{
    // Small responses (the common case) fit many times over; large bodies just take more reads. 8 KiB keeps
    // 10,000 connections under 100 MB.
    private const int BufferBytes = 8 * 1024;

    private readonly LeanHttpTransport _transport;
    private readonly Http1ResponseParser _parser;
    private readonly RequestWriter _writer;
    private readonly Memory<byte> _buffer;
    private readonly Memory<byte> _wire;
    private readonly Lock _gate = new();

    private Socket? _socket;
    private SslStream? _ssl;
    private OpenSslSession? _tls;
    private bool _inFlight;
    private volatile AbortReason _abort;
    private long _deadline;
    private long _connectedTimestamp;
    private long _tlsTimestamp;
    private CancellationToken _watchedToken;
    private CancellationTokenRegistration _registration;
    private bool _disposed;
    private ReadOnlyMemory<byte> _requestBytes;
    private int _requestBodyLength;
    private bool _requestIsHead;
    private bool _requestIdempotent;
    private readonly Checks.ResponseCapture? _capture;
    private Checks.ResponseChecks? _requestChecks;

    public LeanHttpConnection(LeanHttpTransport transport)
    {
        _transport = transport;
        _parser = new Http1ResponseParser(transport.InstanceHeader);
        _writer = new RequestWriter(transport.Catalog);
        _capture = transport.Catalog.CreateCapture();
        _parser.Capture = _capture;

        // Pinned once for the connection's life, so socket I/O never pins per call.
        _buffer = MemoryMarshal.CreateFromPinnedArray(GC.AllocateUninitializedArray<byte>(BufferBytes, pinned: true), 0, BufferBytes);
        if (transport.OpenSsl is not null)
        {
            // Ciphertext to and from the socket; OpenSSL decrypts from its own buffer into _buffer.
            _wire = MemoryMarshal.CreateFromPinnedArray(GC.AllocateUninitializedArray<byte>(BufferBytes, pinned: true), 0, BufferBytes);
        }
    }

    private enum AbortReason
    {
        None,
        Timeout,
        Cancelled,
    }

    /// <inheritdoc />
    /// <remarks>One exchange at a time: the returned value must be awaited before the next call.</remarks>
    public ValueTask<ExchangeResult> ExchangeAsync(CancellationToken cancellationToken) => ExchangeAsync(ExchangeRequest.First, cancellationToken);

    /// <inheritdoc />
    /// <remarks>One exchange at a time: the returned value must be awaited before the next call.</remarks>
    public ValueTask<ExchangeResult> ExchangeAsync(ExchangeRequest request, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        if (_disposed)
        {
            return ValueTask.FromException<ExchangeResult>(new ObjectDisposedException(nameof(LeanHttpConnection)));
        }

        if (_transport.IsDisposed)
        {
            return new ValueTask<ExchangeResult>(Failure(ExchangeOutcome.Cancelled, start, 0, "transport disposed"));
        }

        if (Interlocked.CompareExchange(ref _phase, Busy, Idle) is var phase && phase != Idle)
        {
            return ValueTask.FromException<ExchangeResult>(phase == Closed
                ? new ObjectDisposedException(nameof(LeanHttpConnection))
                : new InvalidOperationException("an exchange is already under way on this connection (one at a time)."));
        }

        Begin(start);
        Watch(cancellationToken);
        if (cancellationToken.IsCancellationRequested)
        {
            var cancelled = End(Failure(ExchangeOutcome.Cancelled, start, 0, "cancelled"), keepOpen: true);
            Interlocked.CompareExchange(ref _phase, Idle, Busy);
            return new ValueTask<ExchangeResult>(cancelled);
        }

        // Rendered here, on the caller's thread, before the loop runs: the loop only sends what is ready.
        if (!_writer.Render(request, out _requestBytes, out _requestBodyLength))
        {
            var exhausted = End(Failure(ExchangeOutcome.NotSent, start, 0, "not sent: the dataset has no row left for it (onExhausted: stop)"), keepOpen: true);
            Interlocked.CompareExchange(ref _phase, Idle, Busy);
            return new ValueTask<ExchangeResult>(exhausted);
        }

        var compiled = _transport.Catalog.Compiled[request.RequestIndex];
        _requestIsHead = compiled.IsHead;
        _requestIdempotent = compiled.IsIdempotent;
        _requestChecks = compiled.Checks;
        return Dispatch(start, cancellationToken);
    }

    public ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            _registration.Dispose();
            CloseConnection();
            _transport.Remove(this);
            StopLoop();
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// The connection's one exchange loop: waits for <see cref="Dispatch"/>, runs the exchange, completes the result
    /// slot, and waits again. Every await is on a cached or reusable awaitable, so this state machine is boxed once.
    /// </summary>
    private async Task RunAsync()
    {
        while (await NextRequestAsync())
        {
            var start = _start;
            var cancellationToken = _cancellation;
            ExchangeResult result;
            try
            {
                _connectedTimestamp = 0;
                _tlsTimestamp = 0;
                var retried = false;
                while (true)
                {
                    var fresh = false;
                    if (_socket is null)
                    {
                        if (await ConnectAsync(start, cancellationToken) is { } connectFailure)
                        {
                            result = End(connectFailure, keepOpen: false);
                            break;
                        }

                        fresh = true;
                    }

                    _parser.Reset(_requestIsHead);
                    _capture?.Begin(_requestChecks);
                    var status = Http1ParseStatus.NeedMoreData;
                    long firstByte = 0;
                    var received = 0;
                    var last = 0;
                    var consumed = 0;
                    Exception? error = null;
                    try
                    {
                        // No token on I/O calls (a registration per call costs time): Abort closes the socket instead.
                        // The OpenSSL engine's I/O is written out here, in the connection's one long-lived state machine,
                        // so that awaiting the socket allocates nothing.
                        var tlsNeedsInput = false;
                        if (_tls is { } tls)
                        {
                            tls.Write(_requestBytes.Span);
                            for (var pending = tls.TakeOutput(_wire.Span); pending > 0; pending = tls.TakeOutput(_wire.Span))
                            {
                                for (var sent = 0; sent < pending;)
                                {
                                    sent += await _socket!.SendAsync(_wire[sent..pending], SocketFlags.None, CancellationToken.None);
                                }
                            }

                            // Nothing to decrypt can be waiting for a request just sent: read the socket first.
                            tlsNeedsInput = true;
                        }
                        else if (_ssl is { } ssl)
                        {
                            await ssl.WriteAsync(_requestBytes, CancellationToken.None);
                        }
                        else
                        {
                            var request = _requestBytes;
                            for (var sent = 0; sent < request.Length;)
                            {
                                sent += await _socket!.SendAsync(request[sent..], SocketFlags.None, CancellationToken.None);
                            }
                        }

                        while (status == Http1ParseStatus.NeedMoreData)
                        {
                            if (_tls is { } reader)
                            {
                                last = tlsNeedsInput ? 0 : reader.Read(_buffer.Span);
                                while (last == 0)
                                {
                                    var wire = await _socket!.ReceiveAsync(_wire, SocketFlags.None, CancellationToken.None);
                                    if (wire == 0)
                                    {
                                        break;
                                    }

                                    reader.Feed(_wire.Span[..wire]);
                                    last = reader.Read(_buffer.Span);
                                }

                                // -1: the peer's close_notify, an end of stream like the socket's.
                                last = Math.Max(last, 0);
                                tlsNeedsInput = false;
                            }
                            else
                            {
                                last = await ReceiveAsync();
                            }

                            if (last == 0)
                            {
                                break;
                            }

                            if (received == 0)
                            {
                                firstByte = Stopwatch.GetTimestamp();
                            }

                            received += last;
                            status = _parser.Parse(_buffer.Span[..last], out consumed);
                        }
                    }
                    catch (Exception e) when (IsTransportFailure(e))
                    {
                        error = e;
                    }

                    // A reused connection the server closed while idle fails before any response byte; the request
                    // never reached the application, so one retry on a fresh connection is safe for idempotent methods.
                    if (status == Http1ParseStatus.NeedMoreData && _abort == AbortReason.None
                        && received == 0 && !fresh && !retried && _requestIdempotent)
                    {
                        CloseConnection();
                        retried = true;
                        continue;
                    }

                    // Bytes after the response (in the last read, or decrypted and held by OpenSSL) put it out of step.
                    var inStep = consumed == last && (status != Http1ParseStatus.Complete || !TlsHoldsPlaintext());
                    result = Conclude(status, start, firstByte, received, keepInStep: inStep, error);
                    break;
                }
            }
            catch (Exception e)
            {
                // Not a transport failure (those become outcomes): a bug, surfaced to the caller as before.
                End(default, keepOpen: false);
                if (!Complete(default, e))
                {
                    return;
                }

                continue;
            }

            if (!Complete(result, null))
            {
                return;
            }
        }
    }

    /// <summary>Turns the end of an exchange's I/O into its result and closes the connection unless it stays in step.</summary>
    private ExchangeResult Conclude(Http1ParseStatus status, long start, long firstByte, int received, bool keepInStep, Exception? error)
    {
        if (status == Http1ParseStatus.Complete)
        {
            // Bytes after the response were never asked for (no pipelining): the stream is out of step.
            return End(Success(start, firstByte), keepOpen: _parser.KeepAlive && keepInStep);
        }

        if (status == Http1ParseStatus.Error)
        {
            return End(Failure(ExchangeOutcome.ProtocolError, start, firstByte, _parser.Error), keepOpen: false);
        }

        if (_abort != AbortReason.None)
        {
            return End(AbortFailure(start, firstByte), keepOpen: false);
        }

        if (error is not null)
        {
            return End(Failure(ExchangeOutcome.IoError, start, firstByte, Describe(error)), keepOpen: false);
        }

        // End of stream: completes a close-delimited body, anything else was cut short.
        if (_parser.Finish() == Http1ParseStatus.Complete)
        {
            return End(Success(start, firstByte), keepOpen: false);
        }

        var outcome = received == 0 ? ExchangeOutcome.IoError : ExchangeOutcome.ProtocolError;
        return End(Failure(outcome, start, firstByte, _parser.Error), keepOpen: false);
    }

    private bool TlsHoldsPlaintext()
    {
        try
        {
            return _tls?.HasBufferedPlaintext == true;
        }
        catch (ObjectDisposedException)
        {
            // Closed meanwhile (transport disposal): the connection is not kept either way.
            return true;
        }
    }

    private ValueTask<int> ReceiveAsync() =>
        _ssl is { } ssl ? ssl.ReadAsync(_buffer, CancellationToken.None) : _socket!.ReceiveAsync(_buffer, SocketFlags.None, CancellationToken.None);

    private ExchangeResult Success(long start, long firstByte)
    {
        var result = Response(start, firstByte);
        if (_requestChecks is { } checks && checks.Evaluate(result, _capture) is var failed && failed != 0)
        {
            result = result with { FailedChecks = failed, Error = checks.Describe(failed) };
        }

        return result;
    }

    private ExchangeResult Response(long start, long firstByte) =>
        _parser.ToResponseResult(_requestBodyLength, start, _connectedTimestamp, _tlsTimestamp, firstByte);

    private ExchangeResult Failure(ExchangeOutcome outcome, long start, long firstByte, string? error) => new()
    {
        Outcome = outcome,
        StartTimestamp = start,
        ConnectedTimestamp = _connectedTimestamp,
        TlsTimestamp = _tlsTimestamp,
        FirstByteTimestamp = firstByte,
        EndTimestamp = Stopwatch.GetTimestamp(),
        Error = error,
    };

    private ExchangeResult AbortFailure(long start, long firstByte) => _abort == AbortReason.Timeout
        ? Failure(ExchangeOutcome.Timeout, start, firstByte, _transport.TimeoutMessage)
        : Failure(ExchangeOutcome.Cancelled, start, firstByte, "cancelled");

    private static bool IsTransportFailure(Exception e) =>
        e is SocketException or IOException or ObjectDisposedException or OperationCanceledException or AuthenticationException;

    private static string Describe(Exception e) => e switch
    {
        SocketException s => "connection broke: " + s.SocketErrorCode,
        IOException { InnerException: SocketException s } => "connection broke: " + s.SocketErrorCode,
        _ => "connection broke: " + e.Message,
    };
}
