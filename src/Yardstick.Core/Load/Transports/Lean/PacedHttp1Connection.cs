using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Yardstick.Core.Load.Requests;
using Yardstick.Core.Load.Safety;

namespace Yardstick.Core.Load.Transports.Lean;

/// <summary>Receives the end of every exchange of a <see cref="PacedHttp1Connection"/>, on the loop's thread.</summary>
internal interface IPacedExchangeOwner
{
    void Completed(PacedHttp1Connection connection, in ExchangeResult result);

    /// <summary>
    /// A <see cref="PacedHttp1Connection.Open"/> ended: the connection is connected (and its TLS handshake done), or
    /// closed again after a failure, which is not a result (its first exchange connects and reports as usual).
    /// </summary>
    void Opened(PacedHttp1Connection connection);
}

/// <summary>
/// One HTTP/1.1 connection (plain, or TLS on the lean transport's OpenSSL engine) driven by a single-threaded epoll loop (<see cref="LinuxEventLoop"/>): a non-blocking
/// socket the loop owns (never registered with .NET's socket engine: only synchronous calls on a non-blocking
/// <see cref="Socket"/>, and raw <c>send</c>/<c>recv</c> on its descriptor), the request rendered by the same
/// <see cref="RequestWriter"/> and the response read by the same <see cref="Http1ResponseParser"/> as
/// <see cref="LeanHttpConnection"/>, with the same results: outcomes, error texts, timestamps, checks, instance header,
/// Server-Timing, the one retry of an idempotent request on a reused connection the server had closed. For https the
/// socket's bytes go through an <see cref="OpenSslSession"/> (memory BIOs: the loop still makes every system call), with
/// the same handshake, validation and messages as <see cref="LeanHttpConnection"/>'s OpenSSL path. Connecting
/// resolves and filters through <see cref="TargetConnector.ResolveAsync"/> (the target policy sees every address
/// dialled). Deadlines are checked by the loop (<see cref="CheckDeadlines"/>). Nothing is allocated per exchange.
/// </summary>
internal sealed class PacedHttp1Connection
{
    private const int BufferBytes = 8 * 1024;

    /// <summary><see cref="FlushWire"/>: the socket is full; epoll says when to go on.</summary>
    private const int WireBlocked = -1;

    private readonly LeanHttpTransport _transport;
    private readonly LinuxEventLoop _loop;
    private readonly IPacedExchangeOwner _owner;
    private readonly ulong _id;
    private readonly Http1ResponseParser _parser;
    private readonly RequestWriter _writer;
    private readonly Checks.ResponseCapture? _capture;
    private readonly byte[] _buffer = GC.AllocateUninitializedArray<byte>(BufferBytes, pinned: true);

    // TLS only: ciphertext from the socket, or pending output on its way to it (never both at once).
    private readonly byte[] _wire;
    private readonly OpenSslClient? _openSsl;
    private OpenSslSession? _tls;
    private int _wireLength;
    private int _wireSent;
    private long _tlsTimestamp;
    private readonly long _connectTimeoutTicks;
    private readonly bool _stampReceives;

    private State _state;
    private Socket? _socket;
    private int _fd = -1;
    private uint _interest;
    private IPAddress[] _addresses = [];
    private int _addressIndex;
    private SocketError _lastConnectError;
    private Task<(IPAddress[] Allowed, string? Refusal)>? _resolving;
    private CancellationTokenSource? _resolveTimeout;

    private ReadOnlyMemory<byte> _request;
    private int _sent;
    private int _requestBodyLength;
    private bool _requestIsHead;
    private bool _requestIdempotent;
    private Checks.ResponseChecks? _requestChecks;
    private long _start;
    private long _deadline;
    private long _connectDeadline;
    private long _connectedTimestamp;
    private long _firstByte;
    private long _lastByte;
    private int _received;
    private bool _fresh;
    private bool _retried;
    private bool _opening;

    /// <summary>
    /// A connection of the loop's epoll set, reported there as <paramref name="id"/>. With <paramref name="stampReceives"/>
    /// a response's first and last byte are the kernel's receive times of the reads that brought them
    /// (<see cref="LinuxEventLoop.ReceiveStamped"/>), not the times of those reads: the loop may then read late
    /// (<see cref="LinuxEventLoop.SleepQuiet"/>) without moving what is measured.
    /// </summary>
    public PacedHttp1Connection(LeanHttpTransport transport, LinuxEventLoop loop, ulong id, IPacedExchangeOwner owner, bool stampReceives = false)
    {
        _transport = transport;
        _stampReceives = stampReceives;
        _loop = loop;
        _id = id;
        _owner = owner;
        _parser = new Http1ResponseParser(transport.InstanceHeader);
        _writer = new RequestWriter(transport.Catalog);
        _capture = transport.Catalog.CreateCapture();
        _parser.Capture = _capture;
        _connectTimeoutTicks = (long)(transport.Options.ConnectTimeout.TotalSeconds * Stopwatch.Frequency);
        _openSsl = transport.OpenSsl;
        _wire = _openSsl is null ? [] : GC.AllocateUninitializedArray<byte>(BufferBytes, pinned: true);
    }

    private enum State
    {
        /// <summary>No exchange; the socket (if any) is open and quiet.</summary>
        Idle,
        Resolving,
        Connecting,

        /// <summary>TLS: handshake messages going out or the peer's awaited.</summary>
        Handshaking,
        Sending,
        Receiving,
    }

    /// <summary>The connection's id in the loop's epoll set (its index among the shard's connections).</summary>
    public ulong Id => _id;

    /// <summary>An exchange is under way.</summary>
    public bool Busy => _state != State.Idle;

    /// <summary>The loop's bookkeeping for the exchange under way (which arrival it serves).</summary>
    public int RequestIndex { get; private set; }

    public long IntendedTicks { get; private set; }

    public long DispatchTicks { get; private set; }

    /// <summary>Starts <paramref name="request"/> at <paramref name="now"/>; may complete (through the owner) before returning.</summary>
    public void Start(in ExchangeRequest request, long now)
    {
        Debug.Assert(_state == State.Idle, "one exchange at a time");
        RequestIndex = request.RequestIndex;
        IntendedTicks = request.IntendedTicks;
        DispatchTicks = now;
        _start = now;
        _deadline = now + _transport.RequestTimeoutTicks;
        _connectedTimestamp = 0;
        _tlsTimestamp = 0;
        _firstByte = 0;
        _lastByte = 0;
        _received = 0;
        _retried = false;
        _fresh = false;
        if (_transport.IsDisposed)
        {
            Finish(Failure(ExchangeOutcome.Cancelled, "transport disposed"), keepOpen: true);
            return;
        }

        if (!_writer.Render(request, out _request, out _requestBodyLength))
        {
            Finish(Failure(ExchangeOutcome.NotSent, "not sent: the dataset has no row left for it (onExhausted: stop)"), keepOpen: true);
            return;
        }

        var compiled = _transport.Catalog.Compiled[request.RequestIndex];
        _requestIsHead = compiled.IsHead;
        _requestIdempotent = compiled.IsIdempotent;
        _requestChecks = compiled.Checks;
        if (_socket is null)
        {
            BeginConnect();
        }
        else
        {
            BeginSend();
        }
    }

    /// <summary>
    /// Connects, and for https handshakes and validates, ahead of any exchange (during the shard's start lead);
    /// ends in <see cref="IPacedExchangeOwner.Opened"/>. The connect timeout bounds it as it bounds an exchange's connect.
    /// </summary>
    public void Open(long now)
    {
        Debug.Assert(_state == State.Idle && _socket is null, "opened once, before any exchange");
        _opening = true;
        _start = now;
        _deadline = now + _transport.RequestTimeoutTicks;
        _connectedTimestamp = 0;
        _tlsTimestamp = 0;
        BeginConnect();
    }

    /// <summary>Handles what epoll reported for this connection's socket.</summary>
    public void OnEvent(uint flags)
    {
        switch (_state)
        {
            case State.Idle:
                // Readable or hung up between exchanges: the server closed (or sent what nobody asked for). Closed now,
                // so the next exchange connects afresh instead of failing on a dead socket. Over TLS a record that
                // carries no data (a TLS 1.3 session ticket) is taken and the connection kept.
                if (_tls is null || !TookTlsMessageWhileIdle())
                {
                    CloseSocket();
                }

                break;
            case State.Connecting:
                OnConnectReady();
                break;
            case State.Handshaking:
                ContinueHandshake();
                break;
            case State.Sending:
                ContinueSend();
                break;
            case State.Receiving when _tls is not null:
                OnReadableTls();
                break;
            case State.Receiving:
                OnReadable();
                break;
        }
    }

    /// <summary>A resolution finished (the loop polls after a wake-up): connect to what it allowed.</summary>
    public void PollResolution()
    {
        if (_state != State.Resolving || _resolving is not { IsCompleted: true } task)
        {
            return;
        }

        _resolving = null;
        _resolveTimeout?.Dispose();
        _resolveTimeout = null;
        if (task.IsCompletedSuccessfully)
        {
            Resolved(task.Result);
            return;
        }

        var e = task.Exception?.InnerException;
        Finish(task.IsCanceled || e is OperationCanceledException
            ? Failure(ExchangeOutcome.ConnectFailed, $"DNS lookup of {_transport.Host} timed out after {ConnectTimeoutText}")
            : Failure(ExchangeOutcome.ConnectFailed, $"DNS lookup of {_transport.Host} failed: " + (e is SocketException s ? s.SocketErrorCode.ToString() : e?.Message)), keepOpen: false);
    }

    public bool IsResolving => _state == State.Resolving;

    /// <summary>Ends the exchange under way if its request timeout (or, while connecting, the connect timeout) has passed.</summary>
    public void CheckDeadlines(long now)
    {
        if (_state == State.Idle)
        {
            return;
        }

        if (now > _deadline)
        {
            Finish(Failure(ExchangeOutcome.Timeout, _transport.TimeoutMessage), keepOpen: false);
        }
        else if (_state is State.Resolving or State.Connecting or State.Handshaking && now > _connectDeadline)
        {
            // The connect timeout bounds DNS, TCP connect and TLS handshake together, as on the other path.
            var (phase, outcome) = _state switch
            {
                State.Resolving => ("DNS lookup of " + _transport.Host, ExchangeOutcome.ConnectFailed),
                State.Connecting => ("connect to " + _transport.Endpoint, ExchangeOutcome.ConnectFailed),
                _ => ("TLS handshake with " + _transport.Endpoint, ExchangeOutcome.TlsFailed),
            };
            Finish(Failure(outcome, $"{phase} timed out after {ConnectTimeoutText}"), keepOpen: false);
        }
    }

    /// <summary>Ends the exchange under way as cancelled (run cancelled, or the drain deadline passed).</summary>
    public void Abort()
    {
        if (_state != State.Idle)
        {
            Finish(Failure(ExchangeOutcome.Cancelled, "cancelled"), keepOpen: false);
        }
    }

    /// <summary>Closes the socket (end of the run).</summary>
    public void Close()
    {
        CloseSocket();
        Enter(State.Idle);
    }

    private string ConnectTimeoutText => _transport.Options.ConnectTimeout.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) + " ms";

    private void BeginConnect()
    {
        _fresh = true;
        _connectDeadline = Stopwatch.GetTimestamp() + _connectTimeoutTicks;
        Enter(State.Resolving);
        var transport = _transport;
        var timeout = new CancellationTokenSource(transport.Options.ConnectTimeout);
        ValueTask<(IPAddress[] Allowed, string? Refusal)> pending;
        try
        {
            pending = TargetConnector.ResolveAsync(transport.Options.Policy, transport.Host, transport.LiteralAddress, timeout.Token);
        }
        catch (Exception e) when (e is SocketException or ArgumentException)
        {
            timeout.Dispose();
            Finish(Failure(ExchangeOutcome.ConnectFailed, $"DNS lookup of {transport.Host} failed: {e.Message}"), keepOpen: false);
            return;
        }

        if (pending.IsCompletedSuccessfully)
        {
            // An IP literal (or a cached answer): no hop off the loop.
            timeout.Dispose();
            Resolved(pending.Result);
            return;
        }

        // A name: resolved off the loop, which is woken to connect when the answer (or its failure) is in.
        _resolveTimeout = timeout;
        var task = pending.AsTask();
        _resolving = task;
        var loop = _loop;
        _ = task.ContinueWith(static (_, state) => ((LinuxEventLoop)state!).Wake(), loop, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private void Resolved((IPAddress[] Allowed, string? Refusal) answer)
    {
        if (answer.Refusal is not null)
        {
            // The target policy refused every address: nothing was dialled.
            Finish(Failure(ExchangeOutcome.ConnectFailed, answer.Refusal), keepOpen: false);
            return;
        }

        _addresses = answer.Allowed;
        _addressIndex = 0;
        _lastConnectError = SocketError.HostNotFound;
        ConnectNext();
    }

    /// <summary>Dials the allowed addresses in turn from <see cref="_addressIndex"/>, as <c>Socket.ConnectAsync(IPAddress[])</c> does.</summary>
    private void ConnectNext()
    {
        for (; _addressIndex < _addresses.Length; _addressIndex++)
        {
            var address = _addresses[_addressIndex];
            try
            {
                // Never registered with .NET's socket engine: the Socket only owns the descriptor and its options.
                var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, Blocking = false };
                _socket = socket;
                _fd = (int)socket.SafeHandle.DangerousGetHandle();
                if (_stampReceives)
                {
                    // Refused: the reads answer their own time, as on every other path.
                    _ = LinuxEventLoop.StampReceives(_fd);
                }
            }
            catch (SocketException e)
            {
                _lastConnectError = e.SocketErrorCode;
                CloseSocket();
                continue;
            }

            // One connect(2) of our own: Socket.Connect on a non-blocking socket throws for the usual EINPROGRESS.
            var started = LinuxEventLoop.Connect(_fd, address, _transport.Port);
            if (started == 0)
            {
                Connected();
                return;
            }

            if (started is -LinuxEventLoop.Einprogress or -LinuxEventLoop.Eagain)
            {
                Enter(State.Connecting);
                Watch(LinuxEventLoop.EpollOut);
                return;
            }

            _lastConnectError = LinuxEventLoop.ToSocketError(-started);
            CloseSocket();
        }

        Finish(Failure(ExchangeOutcome.ConnectFailed, $"connect to {_transport.Endpoint} failed: {_lastConnectError}"), keepOpen: false);
    }

    private void OnConnectReady()
    {
        var error = LinuxEventLoop.PendingError(_fd);
        if (error == 0)
        {
            Connected();
            return;
        }

        _lastConnectError = LinuxEventLoop.ToSocketError(error);
        CloseSocket();
        Enter(State.Connecting);
        _addressIndex++;
        ConnectNext();
    }

    private void Connected()
    {
        _connectedTimestamp = Stopwatch.GetTimestamp();
        if (_openSsl is { } openSsl)
        {
            _tls = openSsl.CreateSession();
            Enter(State.Handshaking);
            ContinueHandshake();
            return;
        }

        Ready();
    }

    /// <summary>Connected (and handshaken): the exchange's request goes out, or an <see cref="Open"/> is done.</summary>
    private void Ready()
    {
        if (_opening)
        {
            _opening = false;
            Enter(State.Idle);

            // Quiet until the first exchange, but a server that closes shows up at once.
            Watch(LinuxEventLoop.EpollIn);
            _owner.Opened(this);
            return;
        }

        BeginSend();
    }

    /// <summary>Steps the handshake until it needs the peer (epoll says when), completes, or fails.</summary>
    private void ContinueHandshake()
    {
        var tls = _tls!;
        while (true)
        {
            // Stepping again after a wait is harmless: OpenSSL answers from where it stopped.
            var status = tls.Handshake();

            // Sent even when the handshake failed: the output is then OpenSSL's alert telling the peer why.
            var flushed = FlushWire();
            if (flushed == WireBlocked)
            {
                return;
            }

            if (status == TlsHandshakeStatus.Failed || flushed > 0)
            {
                var reason = status == TlsHandshakeStatus.Failed ? tls.LastError : LinuxEventLoop.ToSocketError(flushed).ToString();
                Finish(Failure(ExchangeOutcome.TlsFailed, $"TLS handshake with {_transport.Endpoint} failed: {reason}"), keepOpen: false);
                return;
            }

            if (status == TlsHandshakeStatus.Done)
            {
                if (_openSsl!.Validate(tls) is { } invalid)
                {
                    Finish(Failure(ExchangeOutcome.TlsFailed, $"TLS handshake with {_transport.Endpoint} failed: {invalid}"), keepOpen: false);
                    return;
                }

                _tlsTimestamp = Stopwatch.GetTimestamp();
                Ready();
                return;
            }

            var read = LinuxEventLoop.Receive(_fd, _wire);
            if (read > 0)
            {
                tls.Feed(_wire.AsSpan(0, (int)read));
                continue;
            }

            if (read == -LinuxEventLoop.Eagain)
            {
                Watch(LinuxEventLoop.EpollIn);
                return;
            }

            // SslStream's words for the peer closing mid-handshake, so both engines read the same.
            var cause = read == 0 ? "Received an unexpected EOF or 0 bytes from the transport stream." : LinuxEventLoop.ToSocketError((int)-read).ToString();
            Finish(Failure(ExchangeOutcome.TlsFailed, $"TLS handshake with {_transport.Endpoint} failed: {cause}"), keepOpen: false);
            return;
        }
    }

    /// <summary>
    /// Sends the session's pending ciphertext: 0 when all of it went, <see cref="WireBlocked"/> when the socket is full
    /// (epoll calls back when it has room), else the errno that broke the send.
    /// </summary>
    private int FlushWire()
    {
        var tls = _tls!;
        while (true)
        {
            if (_wireSent == _wireLength)
            {
                _wireSent = 0;
                _wireLength = tls.TakeOutput(_wire);
                if (_wireLength == 0)
                {
                    return 0;
                }
            }

            var sent = LinuxEventLoop.Send(_fd, _wire.AsSpan(_wireSent, _wireLength - _wireSent));
            if (sent >= 0)
            {
                _wireSent += (int)sent;
                continue;
            }

            if (-sent == LinuxEventLoop.Eagain)
            {
                Watch(LinuxEventLoop.EpollOut);
                return WireBlocked;
            }

            return (int)-sent;
        }
    }

    /// <summary>
    /// Between exchanges over TLS: takes what arrived. True when it was a record without data (the connection stays);
    /// false when the peer closed, failed or sent data nobody asked for.
    /// </summary>
    private bool TookTlsMessageWhileIdle()
    {
        var read = LinuxEventLoop.Receive(_fd, _wire);
        if (read == -LinuxEventLoop.Eagain)
        {
            return true;
        }

        if (read <= 0)
        {
            return false;
        }

        try
        {
            _tls!.Feed(_wire.AsSpan(0, (int)read));
            return _tls.Read(_buffer) == 0;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private void BeginSend()
    {
        _parser.Reset(_requestIsHead);
        _capture?.Begin(_requestChecks);
        _received = 0;
        _firstByte = 0;
        _lastByte = 0;
        _sent = 0;
        Enter(State.Sending);
        if (_tls is { } tls)
        {
            // Encrypted into the session's output (a memory BIO takes it all); ContinueSend flushes it to the socket.
            try
            {
                tls.Write(_request.Span);
            }
            catch (IOException e)
            {
                Finish(Failure(ExchangeOutcome.IoError, "connection broke: " + e.Message), keepOpen: false);
                return;
            }
        }

        ContinueSend();
    }

    private void ContinueSend()
    {
        if (_tls is not null)
        {
            var flushed = FlushWire();
            if (flushed == WireBlocked)
            {
                return;
            }

            if (flushed > 0)
            {
                EndOfInput(flushed);
                return;
            }

            Enter(State.Receiving);
            Watch(LinuxEventLoop.EpollIn);
            return;
        }

        var request = _request.Span;
        while (_sent < request.Length)
        {
            var sent = LinuxEventLoop.Send(_fd, request[_sent..]);
            if (sent >= 0)
            {
                _sent += (int)sent;
                continue;
            }

            if (-sent == LinuxEventLoop.Eagain)
            {
                // The socket buffer is full: the rest goes when epoll says it has room.
                Watch(LinuxEventLoop.EpollOut);
                return;
            }

            EndOfInput((int)-sent);
            return;
        }

        // Sent: nothing to read yet (no receive attempt that would only say EAGAIN); epoll says when the answer is in.
        Enter(State.Receiving);
        Watch(LinuxEventLoop.EpollIn);
    }

    private void OnReadable()
    {
        while (true)
        {
            var read = Receive(_buffer, out var received);
            if (read > 0)
            {
                if (Parsed((int)read, received) || read < _buffer.Length)
                {
                    // Done, or a short read emptied the socket: wait for epoll rather than ask again for an EAGAIN.
                    return;
                }

                continue;
            }

            if (read == -LinuxEventLoop.Eagain)
            {
                return;
            }

            EndOfInput(read == 0 ? 0 : (int)-read);
            return;
        }
    }

    /// <summary>
    /// Over TLS: reads the socket first (after a request nothing can be waiting in the session: it was drained when the
    /// last response completed), then decrypts everything fed before reading the socket again.
    /// </summary>
    private void OnReadableTls()
    {
        var tls = _tls!;
        while (true)
        {
            var read = Receive(_wire, out var received);
            if (read <= 0)
            {
                if (read != -LinuxEventLoop.Eagain)
                {
                    EndOfInput(read == 0 ? 0 : (int)-read);
                }

                return;
            }

            int plain;
            try
            {
                tls.Feed(_wire.AsSpan(0, (int)read));
                while ((plain = tls.Read(_buffer)) > 0)
                {
                    if (Parsed(plain, received))
                    {
                        return;
                    }
                }
            }
            catch (IOException e)
            {
                Finish(Failure(ExchangeOutcome.IoError, "connection broke: " + e.Message), keepOpen: false);
                return;
            }

            if (plain < 0)
            {
                // close_notify: an end of stream like the socket's.
                EndOfInput(0);
                return;
            }

            if (read < _wire.Length)
            {
                // A short read emptied the socket: wait for epoll rather than ask again for an EAGAIN.
                return;
            }
        }
    }

    /// <summary>A response's bytes from the socket, with when they were received (the kernel's stamp, or now).</summary>
    private long Receive(Span<byte> buffer, out long received)
    {
        if (_stampReceives)
        {
            return LinuxEventLoop.ReceiveStamped(_fd, buffer, out received);
        }

        received = 0;
        return LinuxEventLoop.Receive(_fd, buffer);
    }

    /// <summary>
    /// Parses the buffer's first <paramref name="length"/> bytes (received, or decrypted), which arrived at
    /// <paramref name="received"/> (0: now); true when that ended the exchange.
    /// </summary>
    private bool Parsed(int length, long received)
    {
        // Never before the request went out nor before the bytes already read: the kernel's real-time stamp is
        // converted to the monotonic clock at the read, to within a clock reading.
        _lastByte = Math.Max(received != 0 ? received : Stopwatch.GetTimestamp(), _received == 0 ? _start : _firstByte);
        if (_received == 0)
        {
            _firstByte = _lastByte;
        }

        _received += length;
        var status = _parser.Parse(_buffer.AsSpan(0, length), out var consumed);
        if (status == Http1ParseStatus.Complete)
        {
            // Bytes after the response, in this read or held decrypted by OpenSSL, put the stream out of step.
            Finish(Success(), keepOpen: _parser.KeepAlive && consumed == length && _tls?.HasBufferedPlaintext != true);
            return true;
        }

        if (status == Http1ParseStatus.Error)
        {
            Finish(Failure(ExchangeOutcome.ProtocolError, _parser.Error), keepOpen: false);
            return true;
        }

        return false;
    }

    /// <summary>The stream ended (<paramref name="errno"/> 0) or broke before the response was complete.</summary>
    private void EndOfInput(int errno)
    {
        // A reused connection the server closed while idle fails before any response byte; the request never reached
        // the application, so one retry on a fresh connection is safe for idempotent methods.
        if (_received == 0 && !_fresh && !_retried && _requestIdempotent)
        {
            CloseSocket();
            _retried = true;
            BeginConnect();
            return;
        }

        if (errno != 0)
        {
            Finish(Failure(ExchangeOutcome.IoError, "connection broke: " + LinuxEventLoop.ToSocketError(errno)), keepOpen: false);
            return;
        }

        // End of stream: completes a close-delimited body, anything else was cut short.
        if (_parser.Finish() == Http1ParseStatus.Complete)
        {
            Finish(Success(), keepOpen: false);
            return;
        }

        Finish(Failure(_received == 0 ? ExchangeOutcome.IoError : ExchangeOutcome.ProtocolError, _parser.Error), keepOpen: false);
    }

    /// <summary>
    /// Moves to <paramref name="state"/>, keeping the loop's count of sockets that must be served the moment they are
    /// ready (connecting, handshaking, sending): while there are any, the loop does not sleep quietly.
    /// </summary>
    private void Enter(State state)
    {
        var urgent = IsUrgent(state);
        if (urgent != IsUrgent(_state))
        {
            _loop.UrgentSockets += urgent ? 1 : -1;
        }

        _state = state;
    }

    private static bool IsUrgent(State state) => state is State.Connecting or State.Handshaking or State.Sending;

    private void Watch(uint events)
    {
        if (_interest == 0)
        {
            _loop.Add(_fd, _id, events);
        }
        else if (_interest != events)
        {
            _loop.Modify(_fd, _id, events);
        }

        _interest = events;
    }

    private void Finish(in ExchangeResult result, bool keepOpen)
    {
        if (_opening)
        {
            // An Open that failed (refused, timed out, certificate refused, cancelled) records nothing: the first
            // exchange on this connection connects afresh and reports what happens then.
            _opening = false;
            CloseSocket();
            Enter(State.Idle);
            _owner.Opened(this);
            return;
        }

        if (!keepOpen)
        {
            CloseSocket();
        }
        else if (_socket is not null)
        {
            // Quiet between exchanges, but a server that closes shows up at once.
            Watch(LinuxEventLoop.EpollIn);
        }

        Enter(State.Idle);
        _owner.Completed(this, result);
    }

    private void CloseSocket()
    {
        if (_resolving is not null)
        {
            // Abandoned (timeout, abort): its answer is ignored; the lookup is cancelled.
            _resolving = null;
            _resolveTimeout?.Cancel();
            _resolveTimeout?.Dispose();
            _resolveTimeout = null;
        }

        _tls?.Dispose();
        _tls = null;
        _wireLength = 0;
        _wireSent = 0;
        if (_socket is { } socket)
        {
            if (_interest != 0)
            {
                _loop.Remove(_fd, _id);
            }

            socket.Dispose();
            _socket = null;
            _fd = -1;
            _interest = 0;
        }
    }

    private ExchangeResult Success()
    {
        var result = _parser.ToResponseResult(_requestBodyLength, _start, _connectedTimestamp, _tlsTimestamp, _firstByte, _lastByte);
        if (_requestChecks is { } checks && checks.Evaluate(result, _capture) is var failed && failed != 0)
        {
            result = result with { FailedChecks = failed, Error = checks.Describe(failed) };
        }

        return result;
    }

    private ExchangeResult Failure(ExchangeOutcome outcome, string? error) => new()
    {
        Outcome = outcome,
        StartTimestamp = _start,
        ConnectedTimestamp = _connectedTimestamp,
        TlsTimestamp = _tlsTimestamp,
        FirstByteTimestamp = _firstByte,
        EndTimestamp = Stopwatch.GetTimestamp(),
        Error = error,
    };
}
