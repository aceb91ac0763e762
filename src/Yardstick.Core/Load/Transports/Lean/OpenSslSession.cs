using System.Runtime.InteropServices;
using System.Security.Cryptography.X509Certificates;

namespace Yardstick.Core.Load.Transports.Lean;

/// <summary>What a step of the TLS handshake needs next.</summary>
internal enum TlsHandshakeStatus
{
    /// <summary>The handshake is complete (certificates not yet validated: <see cref="OpenSslClient.Validate"/>).</summary>
    Done,

    /// <summary>Send <see cref="OpenSslSession.TakeOutput"/>'s bytes, then feed the peer's answer and step again.</summary>
    NeedInput,

    /// <summary>The handshake failed: <see cref="OpenSslSession.LastError"/> says why.</summary>
    Failed,
}

/// <summary>
/// One client TLS connection on OpenSSL with the socket kept outside: the caller moves ciphertext between its socket and
/// two memory BIOs (<see cref="Feed"/> what arrived, send what <see cref="TakeOutput"/> hands back), and OpenSSL does
/// only the record layer and the handshake. So the same session serves a .NET socket awaited asynchronously
/// (<see cref="LeanHttpConnection"/>) and a raw non-blocking descriptor on an epoll loop (<see cref="PacedHttp1Connection"/>).
/// </summary>
/// <remarks>
/// One thread at a time uses a session; <see cref="Dispose"/> may come from another (transport disposal), so every
/// operation holds a reference on the handle for its duration and the <c>SSL</c> (with its BIOs) is freed after the
/// last one ends. Nothing here allocates per request.
/// </remarks>
internal sealed class OpenSslSession : IDisposable
{
    private readonly SslHandle _handle;
    private readonly IntPtr _networkIn;
    private readonly IntPtr _networkOut;

    /// <summary>A client session on <paramref name="context"/>; <paramref name="serverName"/> (NUL-terminated, unmanaged) is sent as SNI when not zero.</summary>
    public OpenSslSession(IntPtr context, IntPtr serverName)
    {
        var ssl = OpenSslNative.SslNew(context);
        if (ssl == IntPtr.Zero)
        {
            throw new InvalidOperationException("SSL_new failed: " + OpenSslNative.TakeErrors());
        }

        _handle = new SslHandle(ssl);
        _networkIn = OpenSslNative.BioNew(OpenSslNative.BioSMem());
        _networkOut = OpenSslNative.BioNew(OpenSslNative.BioSMem());
        if (_networkIn == IntPtr.Zero || _networkOut == IntPtr.Zero)
        {
            FreeBio(_networkIn);
            FreeBio(_networkOut);
            _handle.Dispose();
            throw new InvalidOperationException("BIO_new failed: " + OpenSslNative.TakeErrors());
        }

        // The SSL owns both BIOs from here and frees them with itself.
        OpenSslNative.SslSetBio(ssl, _networkIn, _networkOut);
        OpenSslNative.SslSetConnectState(ssl);
        if (serverName != IntPtr.Zero && !OpenSslNative.SetServerName(ssl, serverName))
        {
            _handle.Dispose();
            throw new InvalidOperationException("SSL_set_tlsext_host_name failed: " + OpenSslNative.TakeErrors());
        }
    }

    /// <summary>Why the last failed step failed (OpenSSL's first queued error, or what the peer did).</summary>
    public string? LastError { get; private set; }

    /// <summary>Ciphertext waiting to be sent (handshake messages, records written by <see cref="Write"/>).</summary>
    public int PendingOutput
    {
        get
        {
            using var lease = new SslLease(_handle);
            return (int)OpenSslNative.BioCtrlPending(_networkOut);
        }
    }

    /// <summary>Decrypted bytes OpenSSL holds that no <see cref="Read"/> has taken yet.</summary>
    public bool HasBufferedPlaintext
    {
        get
        {
            using var lease = new SslLease(_handle);
            return OpenSslNative.SslPending(lease.Ssl) > 0;
        }
    }

    /// <summary>Advances the handshake with what has been fed so far.</summary>
    public TlsHandshakeStatus Handshake()
    {
        using var lease = new SslLease(_handle);
        var result = OpenSslNative.SslDoHandshake(lease.Ssl);
        if (result == 1)
        {
            return TlsHandshakeStatus.Done;
        }

        var error = OpenSslNative.SslGetError(lease.Ssl, result);
        if (error == OpenSslNative.SslErrorWantRead)
        {
            return TlsHandshakeStatus.NeedInput;
        }

        LastError = Describe(error);
        return TlsHandshakeStatus.Failed;
    }

    /// <summary>Hands OpenSSL ciphertext that arrived from the peer (a memory BIO takes all of it).</summary>
    public void Feed(ReadOnlySpan<byte> ciphertext)
    {
        if (ciphertext.IsEmpty)
        {
            return;
        }

        using var lease = new SslLease(_handle);
        if (OpenSslNative.BioWrite(_networkIn, ciphertext) != ciphertext.Length)
        {
            throw new IOException("BIO_write failed: " + OpenSslNative.TakeErrors());
        }
    }

    /// <summary>Moves up to <paramref name="destination"/>'s length of pending ciphertext out; 0 when none is pending.</summary>
    public int TakeOutput(Span<byte> destination)
    {
        using var lease = new SslLease(_handle);
        var read = OpenSslNative.BioRead(_networkOut, destination);
        return read > 0 ? read : 0;
    }

    /// <summary>Encrypts <paramref name="plaintext"/> into pending output (a memory BIO never refuses it).</summary>
    /// <exception cref="IOException">OpenSSL refused the write (the session failed earlier).</exception>
    public void Write(ReadOnlySpan<byte> plaintext)
    {
        using var lease = new SslLease(_handle);
        var written = OpenSslNative.SslWrite(lease.Ssl, plaintext);
        if (written != plaintext.Length)
        {
            throw new IOException("TLS write failed: " + Describe(OpenSslNative.SslGetError(lease.Ssl, written)));
        }
    }

    /// <summary>
    /// Decrypts into <paramref name="destination"/>: the number of plaintext bytes, 0 when more ciphertext is needed
    /// (including after records that carry none, such as TLS 1.3 session tickets), or -1 when the peer closed the TLS
    /// session (<c>close_notify</c>).
    /// </summary>
    /// <exception cref="IOException">The stream is corrupt or the peer sent an alert.</exception>
    public int Read(Span<byte> destination)
    {
        using var lease = new SslLease(_handle);
        var read = OpenSslNative.SslRead(lease.Ssl, destination);
        if (read > 0)
        {
            return read;
        }

        var error = OpenSslNative.SslGetError(lease.Ssl, read);
        return error switch
        {
            OpenSslNative.SslErrorWantRead => 0,
            OpenSslNative.SslErrorZeroReturn => -1,
            _ => throw new IOException("TLS read failed: " + Describe(error)),
        };
    }

    /// <summary>The certificates the peer sent, leaf first (empty when it sent none).</summary>
    public X509Certificate2[] PeerCertificates()
    {
        using var lease = new SslLease(_handle);
        var stack = OpenSslNative.SslGetPeerCertChain(lease.Ssl);
        var count = stack == IntPtr.Zero ? 0 : OpenSslNative.StackCount(stack);
        var certificates = new List<X509Certificate2>(Math.Max(count, 0));
        for (var i = 0; i < count; i++)
        {
            var der = OpenSslNative.EncodeCertificate(OpenSslNative.StackValue(stack, i));
            if (der.Length > 0)
            {
                certificates.Add(X509CertificateLoader.LoadCertificate(der));
            }
        }

        return [.. certificates];
    }

    public void Dispose() => _handle.Dispose();

    private static void FreeBio(IntPtr bio)
    {
        if (bio != IntPtr.Zero)
        {
            _ = OpenSslNative.BioFree(bio);
        }
    }

    private static string Describe(int error)
    {
        var queued = OpenSslNative.TakeErrors();
        return error switch
        {
            OpenSslNative.SslErrorZeroReturn => "the peer closed the TLS session",
            OpenSslNative.SslErrorSyscall when queued is null => "the connection ended in the middle of a TLS record",
            _ => queued ?? $"SSL error {error}",
        };
    }

    /// <summary>An <c>SSL*</c> freed by the last release (<see cref="SafeHandle"/> reference counting).</summary>
    private sealed class SslHandle : SafeHandle
    {
        public SslHandle(IntPtr ssl)
            : base(IntPtr.Zero, ownsHandle: true) => SetHandle(ssl);

        public override bool IsInvalid => handle == IntPtr.Zero;

        protected override bool ReleaseHandle()
        {
            OpenSslNative.SslFree(handle);
            return true;
        }
    }

    /// <summary>Holds a reference on a session's handle for one operation, so a concurrent dispose frees it only afterwards.</summary>
    private ref struct SslLease
    {
        private readonly SafeHandle _handle;
        private bool _added;

        public SslLease(SafeHandle handle)
        {
            _handle = handle;

            // Throws ObjectDisposedException once disposed: a transport failure for the caller, as a closed socket is.
            handle.DangerousAddRef(ref _added);
            Ssl = handle.DangerousGetHandle();
        }

        public IntPtr Ssl { get; }

        public void Dispose()
        {
            if (_added)
            {
                _added = false;
                _handle.DangerousRelease();
            }
        }
    }
}
