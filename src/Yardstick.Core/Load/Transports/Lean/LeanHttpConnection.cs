using System.Diagnostics;
using System.Net.Security;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Authentication;

namespace Yardstick.Core.Load.Transports.Lean;

/// <summary>
/// One TCP connection of <see cref="LeanHttpTransport"/>: sends the pre-encoded request, parses the response from a
/// per-connection buffer, and reconnects on the next exchange after a failure or <c>Connection: close</c>.
/// </summary>
/// <remarks>
/// Steady state allocates nothing: socket and <see cref="SslStream"/> operations complete through cached
/// awaitables, <see cref="ExchangeAsync"/> uses a pooled async builder, the instance id is compared as bytes, and
/// timeouts and run cancellation close the socket from outside (<see cref="Abort"/>) instead of registering
/// a token on every I/O call.
/// </remarks>
internal sealed partial class LeanHttpConnection : IHttpConnection
{
    // Small responses (the common case) fit many times over; large bodies just take more reads. 8 KiB keeps
    // 10,000 connections under 100 MB.
    private const int BufferBytes = 8 * 1024;

    private readonly LeanHttpTransport _transport;
    private readonly Http1ResponseParser _parser;
    private readonly Memory<byte> _buffer;
    private readonly Lock _gate = new();

    private Socket? _socket;
    private SslStream? _ssl;
    private bool _inFlight;
    private volatile AbortReason _abort;
    private long _deadline;
    private long _connectedTimestamp;
    private long _tlsTimestamp;
    private CancellationToken _watchedToken;
    private CancellationTokenRegistration _registration;
    private bool _disposed;

    public LeanHttpConnection(LeanHttpTransport transport)
    {
        _transport = transport;
        _parser = new Http1ResponseParser(transport.InstanceHeader);

        // Pinned once for the connection's life, so socket I/O never pins per call.
        _buffer = MemoryMarshal.CreateFromPinnedArray(GC.AllocateUninitializedArray<byte>(BufferBytes, pinned: true), 0, BufferBytes);
    }

    private enum AbortReason
    {
        None,
        Timeout,
        Cancelled,
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<ExchangeResult> ExchangeAsync(CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_transport.IsDisposed)
        {
            return Failure(ExchangeOutcome.Cancelled, start, 0, "transport disposed");
        }

        Begin(start);
        Watch(cancellationToken);
        if (cancellationToken.IsCancellationRequested)
        {
            return End(Failure(ExchangeOutcome.Cancelled, start, 0, "cancelled"), keepOpen: true);
        }

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
                    return End(connectFailure, keepOpen: false);
                }

                fresh = true;
            }

            _parser.Reset(_transport.IsHead);
            var status = Http1ParseStatus.NeedMoreData;
            long firstByte = 0;
            var received = 0;
            var last = 0;
            var consumed = 0;
            Exception? error = null;
            try
            {
                // No token on I/O calls (a registration per call costs time): Abort closes the socket instead.
                if (_ssl is { } ssl)
                {
                    await ssl.WriteAsync(_transport.RequestBytes, CancellationToken.None);
                }
                else
                {
                    var request = _transport.RequestBytes;
                    for (var sent = 0; sent < request.Length;)
                    {
                        sent += await _socket!.SendAsync(request[sent..], SocketFlags.None, CancellationToken.None);
                    }
                }

                while (status == Http1ParseStatus.NeedMoreData)
                {
                    last = await ReceiveAsync();
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

            if (status == Http1ParseStatus.Complete)
            {
                // Bytes after the response were never asked for (no pipelining): the stream is out of step.
                return End(Success(start, firstByte), keepOpen: _parser.KeepAlive && consumed == last);
            }

            if (status == Http1ParseStatus.Error)
            {
                return End(Failure(ExchangeOutcome.ProtocolError, start, firstByte, _parser.Error), keepOpen: false);
            }

            if (_abort != AbortReason.None)
            {
                return End(AbortFailure(start, firstByte), keepOpen: false);
            }

            // A reused connection the server closed while idle fails before any response byte; the request
            // never reached the application, so one retry on a fresh connection is safe for idempotent methods.
            if (received == 0 && !fresh && !retried && _transport.IsIdempotent)
            {
                CloseConnection();
                retried = true;
                continue;
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
    }

    public ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            _registration.Dispose();
            CloseConnection();
            _transport.Remove(this);
        }

        return ValueTask.CompletedTask;
    }

    private ValueTask<int> ReceiveAsync() =>
        _ssl is { } ssl ? ssl.ReadAsync(_buffer, CancellationToken.None) : _socket!.ReceiveAsync(_buffer, SocketFlags.None, CancellationToken.None);

    private ExchangeResult Success(long start, long firstByte) => new()
    {
        Outcome = ExchangeOutcome.Response,
        StatusCode = _parser.StatusCode,
        BytesSent = _transport.BodyLength,
        BytesReceived = (int)Math.Min(int.MaxValue, _parser.BodyBytes),
        StartTimestamp = start,
        ConnectedTimestamp = _connectedTimestamp,
        TlsTimestamp = _tlsTimestamp,
        FirstByteTimestamp = firstByte,
        EndTimestamp = Stopwatch.GetTimestamp(),
        InstanceId = _parser.InstanceId,
        ServerDurationMs = _parser.ServerDurationMs,
    };

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
