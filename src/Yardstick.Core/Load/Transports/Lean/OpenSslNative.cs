using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;

namespace Yardstick.Core.Load.Transports.Lean;

/// <summary>
/// The few OpenSSL calls the lean transport's own TLS engine makes (<see cref="OpenSslSession"/>): a client context,
/// one <c>SSL</c> per connection over two memory BIOs, handshake, <c>SSL_read</c>/<c>SSL_write</c>, the peer's
/// certificates and the error queue. Linux only, OpenSSL 1.1.1 or 3.x: the same shared library .NET's own
/// cryptography already loads into the process (<c>libssl.so.3</c>, else <c>libssl.so.1.1</c>).
/// </summary>
/// <remarks>
/// The library names below are placeholders that <see cref="Resolve"/> maps to whichever version is installed, so the
/// P/Invokes are source-generated (no hand-written marshalling) and bind to the same library on every machine.
/// Only pointers, sizes and pinned byte spans cross; nothing here allocates per call.
/// </remarks>
internal static partial class OpenSslNative
{
    private const string Ssl = "yardstick-libssl";
    private const string Crypto = "yardstick-libcrypto";

    public const int SslErrorNone = 0;
    public const int SslErrorSsl = 1;
    public const int SslErrorWantRead = 2;
    public const int SslErrorWantWrite = 3;
    public const int SslErrorSyscall = 5;
    public const int SslErrorZeroReturn = 6;

    private const int SslCtrlSetTlsExtHostName = 55;
    private const int SslCtrlSetMinProtoVersion = 123;
    private const int TlsExtNameTypeHostName = 0;
    private const int Tls12Version = 0x0303;

    private static readonly (string Ssl, string Crypto)[] Candidates =
    [
        ("libssl.so.3", "libcrypto.so.3"),
        ("libssl.so.1.1", "libcrypto.so.1.1"),
    ];

    private static readonly Lazy<string?> LoadFailure = new(Load);
    private static IntPtr _ssl;
    private static IntPtr _crypto;

    /// <summary>Null when OpenSSL is usable here, else why not (not Linux, no library, too old).</summary>
    public static string? Unavailable => LoadFailure.Value;

    public static bool IsAvailable => Unavailable is null;

    // Context.
    [LibraryImport(Ssl, EntryPoint = "TLS_client_method")]
    public static partial IntPtr TlsClientMethod();

    [LibraryImport(Ssl, EntryPoint = "SSL_CTX_new")]
    public static partial IntPtr SslCtxNew(IntPtr method);

    [LibraryImport(Ssl, EntryPoint = "SSL_CTX_free")]
    public static partial void SslCtxFree(IntPtr context);

    [LibraryImport(Ssl, EntryPoint = "SSL_CTX_ctrl")]
    private static partial nint SslCtxCtrl(IntPtr context, int command, nint larg, IntPtr parg);

    [LibraryImport(Ssl, EntryPoint = "SSL_CTX_set_alpn_protos")]
    private static partial int SslCtxSetAlpnProtos(IntPtr context, ref byte protocols, uint length);

    // Session.
    [LibraryImport(Ssl, EntryPoint = "SSL_new")]
    public static partial IntPtr SslNew(IntPtr context);

    [LibraryImport(Ssl, EntryPoint = "SSL_free")]
    public static partial void SslFree(IntPtr ssl);

    [LibraryImport(Ssl, EntryPoint = "SSL_set_bio")]
    public static partial void SslSetBio(IntPtr ssl, IntPtr readBio, IntPtr writeBio);

    [LibraryImport(Ssl, EntryPoint = "SSL_set_connect_state")]
    public static partial void SslSetConnectState(IntPtr ssl);

    [LibraryImport(Ssl, EntryPoint = "SSL_ctrl")]
    private static partial nint SslCtrl(IntPtr ssl, int command, nint larg, IntPtr parg);

    [LibraryImport(Ssl, EntryPoint = "SSL_do_handshake")]
    public static partial int SslDoHandshake(IntPtr ssl);

    [LibraryImport(Ssl, EntryPoint = "SSL_read")]
    private static partial int SslReadRaw(IntPtr ssl, ref byte buffer, int length);

    [LibraryImport(Ssl, EntryPoint = "SSL_write")]
    private static partial int SslWriteRaw(IntPtr ssl, ref byte buffer, int length);

    [LibraryImport(Ssl, EntryPoint = "SSL_pending")]
    public static partial int SslPending(IntPtr ssl);

    [LibraryImport(Ssl, EntryPoint = "SSL_get_error")]
    public static partial int SslGetError(IntPtr ssl, int result);

    [LibraryImport(Ssl, EntryPoint = "SSL_get_peer_cert_chain")]
    public static partial IntPtr SslGetPeerCertChain(IntPtr ssl);

    // libcrypto: memory BIOs, certificates, stacks, the error queue.
    [LibraryImport(Crypto, EntryPoint = "OpenSSL_version_num")]
    private static partial nuint OpenSslVersionNum();

    [LibraryImport(Crypto, EntryPoint = "BIO_s_mem")]
    public static partial IntPtr BioSMem();

    [LibraryImport(Crypto, EntryPoint = "BIO_new")]
    public static partial IntPtr BioNew(IntPtr method);

    [LibraryImport(Crypto, EntryPoint = "BIO_free")]
    public static partial int BioFree(IntPtr bio);

    [LibraryImport(Crypto, EntryPoint = "BIO_write")]
    private static partial int BioWriteRaw(IntPtr bio, ref byte data, int length);

    [LibraryImport(Crypto, EntryPoint = "BIO_read")]
    private static partial int BioReadRaw(IntPtr bio, ref byte data, int length);

    [LibraryImport(Crypto, EntryPoint = "BIO_ctrl_pending")]
    public static partial nuint BioCtrlPending(IntPtr bio);

    [LibraryImport(Crypto, EntryPoint = "OPENSSL_sk_num")]
    public static partial int StackCount(IntPtr stack);

    [LibraryImport(Crypto, EntryPoint = "OPENSSL_sk_value")]
    public static partial IntPtr StackValue(IntPtr stack, int index);

    [LibraryImport(Crypto, EntryPoint = "i2d_X509")]
    private static partial int I2dX509(IntPtr certificate, ref IntPtr output);

    [LibraryImport(Crypto, EntryPoint = "ERR_get_error")]
    private static partial nuint ErrGetError();

    [LibraryImport(Crypto, EntryPoint = "ERR_error_string_n")]
    private static partial void ErrErrorStringN(nuint error, ref byte buffer, nuint length);

    public static bool SetMinimumTls12(IntPtr context) => SslCtxCtrl(context, SslCtrlSetMinProtoVersion, Tls12Version, IntPtr.Zero) == 1;

    /// <summary>ALPN in wire format (length-prefixed names); OpenSSL returns 0 on success here.</summary>
    public static bool SetAlpn(IntPtr context, ReadOnlySpan<byte> wireFormat) =>
        SslCtxSetAlpnProtos(context, ref MemoryMarshal.GetReference(wireFormat), (uint)wireFormat.Length) == 0;

    public static bool SetServerName(IntPtr ssl, IntPtr nulTerminatedName) =>
        SslCtrl(ssl, SslCtrlSetTlsExtHostName, TlsExtNameTypeHostName, nulTerminatedName) == 1;

    public static int SslRead(IntPtr ssl, Span<byte> buffer) => SslReadRaw(ssl, ref MemoryMarshal.GetReference(buffer), buffer.Length);

    public static int SslWrite(IntPtr ssl, ReadOnlySpan<byte> data) => SslWriteRaw(ssl, ref MemoryMarshal.GetReference(data), data.Length);

    public static int BioWrite(IntPtr bio, ReadOnlySpan<byte> data) => BioWriteRaw(bio, ref MemoryMarshal.GetReference(data), data.Length);

    public static int BioRead(IntPtr bio, Span<byte> buffer) => BioReadRaw(bio, ref MemoryMarshal.GetReference(buffer), buffer.Length);

    /// <summary>The DER bytes of an <c>X509*</c> (borrowed pointer).</summary>
    public static byte[] EncodeCertificate(IntPtr certificate)
    {
        var none = IntPtr.Zero;
        var length = I2dX509(certificate, ref none);
        if (length <= 0)
        {
            return [];
        }

        var der = new byte[length];
        var pinned = GCHandle.Alloc(der, GCHandleType.Pinned);
        try
        {
            var cursor = pinned.AddrOfPinnedObject();
            return I2dX509(certificate, ref cursor) == length ? der : [];
        }
        finally
        {
            pinned.Free();
        }
    }

    /// <summary>Empties this thread's error queue and returns its first entry as text (null when it was empty).</summary>
    public static string? TakeErrors()
    {
        string? first = null;
        Span<byte> text = stackalloc byte[256];
        for (var error = ErrGetError(); error != 0; error = ErrGetError())
        {
            if (first is null)
            {
                text.Clear();
                ErrErrorStringN(error, ref MemoryMarshal.GetReference(text), (nuint)text.Length);
                var end = text.IndexOf((byte)0);
                first = Encoding.ASCII.GetString(end < 0 ? text : text[..end]);
            }
        }

        return first;
    }

    private static string? Load()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "the OpenSSL engine runs on Linux only";
        }

        foreach (var (ssl, crypto) in Candidates)
        {
            if (NativeLibrary.TryLoad(crypto, out var cryptoHandle) && NativeLibrary.TryLoad(ssl, out var sslHandle))
            {
                _crypto = cryptoHandle;
                _ssl = sslHandle;
                NativeLibrary.SetDllImportResolver(typeof(OpenSslNative).Assembly, Resolve);

                // 1.1.1 is the oldest with the calls and TLS 1.3 used here (OpenSSL's version number: 0xMNN00PP0L).
                var version = OpenSslVersionNum();
                return version >= 0x1010100fUL ? null : $"OpenSSL 0x{version:x} is older than 1.1.1";
            }
        }

        return "neither libssl.so.3 nor libssl.so.1.1 could be loaded";
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath) => name switch
    {
        Ssl => _ssl,
        Crypto => _crypto,
        _ => IntPtr.Zero,
    };
}
