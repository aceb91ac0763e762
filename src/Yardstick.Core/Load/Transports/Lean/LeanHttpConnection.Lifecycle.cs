using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Yardstick.Core.Load.Safety;

namespace Yardstick.Core.Load.Transports.Lean;

/// <summary>Connecting, and ending exchanges from outside (deadline check, run cancellation, transport disposal).</summary>
internal sealed partial class LeanHttpConnection
{
    /// <summary>Resolves, filters by the target policy, connects and (for https) handshakes. Null when connected.</summary>
    private async ValueTask<ExchangeResult?> ConnectAsync(long start, CancellationToken cancellationToken)
    {
        var transport = _transport;
        using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        connectTimeout.CancelAfter(transport.Options.ConnectTimeout);
        var phase = "DNS lookup of " + transport.Host;
        try
        {
            var (allowed, refusal) = await TargetConnector.ResolveAsync(transport.Options.Policy, transport.Host, transport.LiteralAddress, connectTimeout.Token);
            if (refusal is not null)
            {
                return Failure(ExchangeOutcome.ConnectFailed, start, 0, refusal);
            }

            phase = "connect to " + transport.Endpoint;
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            Attach(socket, null, null);
            await socket.ConnectAsync(allowed, transport.Port, connectTimeout.Token);
            _connectedTimestamp = Stopwatch.GetTimestamp();

            if (transport.OpenSsl is { } openSsl)
            {
                phase = "TLS handshake with " + transport.Endpoint;
                var session = openSsl.CreateSession();
                Attach(socket, null, session);
                await HandshakeAsync(socket, session, connectTimeout.Token);
                if (openSsl.Validate(session) is { } invalid)
                {
                    throw new AuthenticationException(invalid);
                }

                _tlsTimestamp = Stopwatch.GetTimestamp();
            }
            else if (transport.TlsOptions is { } tls)
            {
                phase = "TLS handshake with " + transport.Endpoint;
                var ssl = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false);
                Attach(socket, ssl, null);
                await ssl.AuthenticateAsClientAsync(tls, connectTimeout.Token);
                _tlsTimestamp = Stopwatch.GetTimestamp();
            }

            return null;
        }
        catch (Exception e) when (IsTransportFailure(e))
        {
            CloseConnection();
            if (_abort != AbortReason.None)
            {
                return AbortFailure(start, 0);
            }

            if (cancellationToken.IsCancellationRequested)
            {
                return Failure(ExchangeOutcome.Cancelled, start, 0, "cancelled");
            }

            var outcome = _connectedTimestamp != 0 ? ExchangeOutcome.TlsFailed : ExchangeOutcome.ConnectFailed;
            var message = e switch
            {
                OperationCanceledException => $"{phase} timed out after {transport.Options.ConnectTimeout.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)} ms",
                SocketException s => $"{phase} failed: {s.SocketErrorCode}",
                _ => $"{phase} failed: {e.Message}",
            };
            return Failure(outcome, start, 0, message);
        }
    }

    /// <summary>
    /// The OpenSSL engine's handshake: each step's messages go out on the socket, and the peer's answer is fed back
    /// until OpenSSL is done (or fails: its reason becomes the exchange's error).
    /// </summary>
    private async ValueTask HandshakeAsync(Socket socket, OpenSslSession session, CancellationToken cancellationToken)
    {
        while (true)
        {
            var status = session.Handshake();

            // Sent even when the handshake failed: the output is then OpenSSL's alert telling the peer why.
            for (var pending = session.TakeOutput(_wire.Span); pending > 0; pending = session.TakeOutput(_wire.Span))
            {
                for (var sent = 0; sent < pending;)
                {
                    sent += await socket.SendAsync(_wire[sent..pending], SocketFlags.None, cancellationToken);
                }
            }

            switch (status)
            {
                case TlsHandshakeStatus.Done:
                    return;
                case TlsHandshakeStatus.Failed:
                    throw new AuthenticationException(session.LastError);
            }

            var read = await socket.ReceiveAsync(_wire, SocketFlags.None, cancellationToken);
            if (read == 0)
            {
                // SslStream's words for the same event.
                throw new AuthenticationException("Received an unexpected EOF or 0 bytes from the transport stream.");
            }

            session.Feed(_wire.Span[..read]);
        }
    }

    /// <summary>Publishes the socket so that <see cref="Abort"/> can close it; closes it at once if the exchange was already aborted.</summary>
    private void Attach(Socket socket, SslStream? ssl, OpenSslSession? tls)
    {
        lock (_gate)
        {
            _socket = socket;
            _ssl = ssl;
            _tls = tls;
            if (_abort != AbortReason.None)
            {
                socket.Dispose();
            }
        }
    }

    private void CloseConnection()
    {
        Socket? socket;
        SslStream? ssl;
        OpenSslSession? tls;
        lock (_gate)
        {
            socket = _socket;
            ssl = _ssl;
            tls = _tls;
            _socket = null;
            _ssl = null;
            _tls = null;
        }

        ssl?.Dispose();
        tls?.Dispose();
        socket?.Dispose();
    }

    private void Begin(long start)
    {
        lock (_gate)
        {
            _deadline = start + _transport.RequestTimeoutTicks;
            _abort = AbortReason.None;
            _inFlight = true;
        }
    }

    /// <summary>Ends the exchange; the connection stays open only if asked and nobody aborted it meanwhile.</summary>
    private ExchangeResult End(in ExchangeResult result, bool keepOpen)
    {
        bool aborted;
        lock (_gate)
        {
            _inFlight = false;
            aborted = _abort != AbortReason.None;
        }

        if (!keepOpen || aborted)
        {
            CloseConnection();
        }

        return result;
    }

    /// <summary>Registers for run cancellation once per token rather than once per request.</summary>
    private void Watch(CancellationToken cancellationToken)
    {
        if (!cancellationToken.CanBeCanceled || cancellationToken == _watchedToken)
        {
            return;
        }

        _registration.Dispose();
        _watchedToken = cancellationToken;
        _registration = cancellationToken.UnsafeRegister(static state => ((LeanHttpConnection)state!).Abort(AbortReason.Cancelled), this);
    }

    /// <summary>Called by the transport's periodic deadline check (<see cref="DeadlineWatcher"/>).</summary>
    internal void CheckDeadline(long now)
    {
        if (!Volatile.Read(ref _inFlight) || now <= Volatile.Read(ref _deadline))
        {
            return;
        }

        lock (_gate)
        {
            // Checked again under the lock: the lock-free reads above may mix two exchanges.
            if (_inFlight && _abort == AbortReason.None && now > _deadline)
            {
                _abort = AbortReason.Timeout;
                _socket?.Dispose();
            }
        }
    }

    /// <summary>Transport disposal: close whatever is open, ending an exchange under way as cancelled.</summary>
    internal void ForceClose()
    {
        lock (_gate)
        {
            if (_inFlight && _abort == AbortReason.None)
            {
                _abort = AbortReason.Cancelled;
            }

            _socket?.Dispose();
        }
    }

    /// <summary>
    /// Ends the exchange under way from another thread by closing its socket: pending I/O fails at once and the
    /// exchange reports <paramref name="reason"/>. Does nothing between exchanges.
    /// </summary>
    private void Abort(AbortReason reason)
    {
        lock (_gate)
        {
            if (!_inFlight || _abort != AbortReason.None)
            {
                return;
            }

            _abort = reason;
            _socket?.Dispose();
        }
    }
}
