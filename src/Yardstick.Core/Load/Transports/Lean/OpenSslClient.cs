using System.Net;
using System.Net.Security;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Yardstick.Core.Load.Transports.Lean;

/// <summary>Which TLS implementation the lean transport drives for https.</summary>
public enum LeanTlsEngine
{
    /// <summary>OpenSSL directly (one <c>SSL_read</c>/<c>SSL_write</c> per record, as wrk does); Linux only.</summary>
    OpenSsl,

    /// <summary><see cref="SslStream"/> over a <see cref="System.Net.Sockets.NetworkStream"/> (every platform).</summary>
    SslStream,
}

/// <summary>
/// The lean transport's TLS client on OpenSSL for one origin: a context (TLS 1.2 or 1.3, ALPN <c>http/1.1</c>), the
/// server name sent as SNI (host names only: RFC 6066 sends none for IP literals, as <see cref="SslStream"/> does), and
/// certificate validation done the way <see cref="SslStream"/> does it by default — the peer's chain built by
/// <see cref="X509Chain"/> against the system's trust (or the test seam's <see cref="X509ChainPolicy"/>), for server
/// authentication, no revocation check, and the host matched against the certificate's names — with the same messages,
/// so a refused certificate reads the same whichever engine ran.
/// </summary>
/// <remarks>
/// OpenSSL itself does not verify (its verify mode stays <c>SSL_VERIFY_NONE</c>): <see cref="Validate"/> runs once per
/// connection after the handshake and before the first request byte is written, so nothing is sent to a peer that
/// failed it.
/// </remarks>
internal sealed class OpenSslClient : IDisposable
{
    /// <summary>Environment variable choosing the engine: <c>auto</c> (default), <c>openssl</c> or <c>sslstream</c>.</summary>
    public const string EngineVariable = "YARDSTICK_TLS";

    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1", "Server Authentication");

    // ALPN wire format: one length-prefixed protocol name.
    private static readonly byte[] Http11Alpn = [8, .. "http/1.1"u8];

    private readonly ContextHandle _context;
    private readonly string _host;
    private readonly bool _skipValidation;
    private readonly X509ChainPolicy? _chainPolicy;
    private readonly TimeProvider _time;

    private OpenSslClient(ContextHandle context, string host, bool skipValidation, X509ChainPolicy? chainPolicy, TimeProvider time)
    {
        _context = context;
        _host = host;
        _skipValidation = skipValidation;
        _chainPolicy = chainPolicy;
        _time = time;
    }

    /// <summary>
    /// The engine <c>YARDSTICK_TLS</c> asks for: null for <c>auto</c> or unset (OpenSSL where it can run, else
    /// <see cref="SslStream"/>).
    /// </summary>
    /// <exception cref="InputException">Any other value.</exception>
    public static LeanTlsEngine? EngineFromEnvironment() => ParseEngine(Environment.GetEnvironmentVariable(EngineVariable));

    /// <inheritdoc cref="EngineFromEnvironment()"/>
    public static LeanTlsEngine? ParseEngine(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "auto" => null,
        "openssl" => LeanTlsEngine.OpenSsl,
        "sslstream" => LeanTlsEngine.SslStream,
        _ => throw new InputException(EngineVariable, $"must be 'auto', 'openssl' or 'sslstream', not '{value}'."),
    };

    /// <summary>A client for <paramref name="host"/> (a name or an IP literal without brackets).</summary>
    /// <exception cref="InvalidOperationException">OpenSSL is not usable here, or refused the context's settings.</exception>
    public static OpenSslClient Create(string host, bool skipValidation, X509ChainPolicy? chainPolicy, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        if (OpenSslNative.Unavailable is { } reason)
        {
            throw new InvalidOperationException(reason);
        }

        var context = OpenSslNative.SslCtxNew(OpenSslNative.TlsClientMethod());
        if (context == IntPtr.Zero)
        {
            throw new InvalidOperationException("SSL_CTX_new failed: " + OpenSslNative.TakeErrors());
        }

        var serverName = IPAddress.TryParse(host, out _) ? IntPtr.Zero : Marshal.StringToCoTaskMemUTF8(host);
        var handle = new ContextHandle(context, serverName);
        if (!OpenSslNative.SetMinimumTls12(context) || !OpenSslNative.SetAlpn(context, Http11Alpn))
        {
            var error = OpenSslNative.TakeErrors();
            handle.Dispose();
            throw new InvalidOperationException("OpenSSL refused the context's settings: " + error);
        }

        return new OpenSslClient(handle, host, skipValidation, chainPolicy, time);
    }

    /// <summary>A new session for one connection (the handshake starts at its first <see cref="OpenSslSession.Handshake"/>).</summary>
    public OpenSslSession CreateSession()
    {
        var added = false;
        _context.DangerousAddRef(ref added);
        try
        {
            return new OpenSslSession(_context.DangerousGetHandle(), _context.ServerName);
        }
        finally
        {
            _context.DangerousRelease();
        }
    }

    /// <summary>
    /// Validates the certificates the peer presented in a completed handshake: null when they are good for this host,
    /// else <see cref="SslStream"/>'s message for the same refusal.
    /// </summary>
    public string? Validate(OpenSslSession session)
    {
        if (_skipValidation)
        {
            return null;
        }

        var certificates = session.PeerCertificates();
        try
        {
            if (certificates.Length == 0)
            {
                return Invalid(SslPolicyErrors.RemoteCertificateNotAvailable);
            }

            using var chain = new X509Chain();
            var policy = _chainPolicy?.Clone() ?? new X509ChainPolicy { RevocationMode = X509RevocationMode.NoCheck };
            policy.ApplicationPolicy.Add(ServerAuthentication);
            policy.VerificationTime = _time.GetUtcNow().LocalDateTime;
            for (var i = 1; i < certificates.Length; i++)
            {
                policy.ExtraStore.Add(certificates[i]);
            }

            chain.ChainPolicy = policy;
            var errors = SslPolicyErrors.None;
            var chainStatus = X509ChainStatusFlags.NoError;
            if (!chain.Build(certificates[0]))
            {
                errors |= SslPolicyErrors.RemoteCertificateChainErrors;
                foreach (var status in chain.ChainStatus)
                {
                    chainStatus |= status.Status;
                }
            }

            foreach (var element in chain.ChainElements)
            {
                if (!certificates.Contains(element.Certificate))
                {
                    element.Certificate.Dispose();
                }
            }

            if (!certificates[0].MatchesHostname(_host))
            {
                errors |= SslPolicyErrors.RemoteCertificateNameMismatch;
            }

            return errors switch
            {
                SslPolicyErrors.None => null,
                SslPolicyErrors.RemoteCertificateChainErrors =>
                    "The remote certificate is invalid because of errors in the certificate chain: " + chainStatus,
                _ => Invalid(errors),
            };
        }
        finally
        {
            foreach (var certificate in certificates)
            {
                certificate.Dispose();
            }
        }
    }

    public void Dispose() => _context.Dispose();

    private static string Invalid(SslPolicyErrors errors) => "The remote certificate is invalid according to the validation procedure: " + errors;

    /// <summary>An <c>SSL_CTX*</c> and its unmanaged SNI name. Sessions hold their own reference on the context.</summary>
    private sealed class ContextHandle : SafeHandle
    {
        public ContextHandle(IntPtr context, IntPtr serverName)
            : base(IntPtr.Zero, ownsHandle: true)
        {
            SetHandle(context);
            ServerName = serverName;
        }

        /// <summary>NUL-terminated UTF-8, or zero for IP literals (OpenSSL copies it into each session).</summary>
        public IntPtr ServerName { get; }

        public override bool IsInvalid => handle == IntPtr.Zero;

        protected override bool ReleaseHandle()
        {
            OpenSslNative.SslCtxFree(handle);
            Marshal.FreeCoTaskMem(ServerName);
            return true;
        }
    }
}
