using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Yardstick.Core.Load;
using Yardstick.Core.Load.Transports;
using Yardstick.Core.Load.Transports.Lean;
using Yardstick.Testing;

namespace Yardstick.Core.Tests.Load.Transports.Lean;

/// <summary>
/// The lean transport's two TLS engines side by side against one TLS server (an <see cref="SslStream"/> server on a raw
/// loopback listener) whose certificates a test CA issues: both accept a good chain, and refuse each kind of bad
/// certificate with the same words, before a request byte is written; OpenSSL sends SNI for names only, as SslStream does.
/// </summary>
public sealed class LeanTlsEngineTests : IDisposable
{
    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2");

    private readonly X509Certificate2 _ca = CreateAuthority("CN=Yardstick test CA");
    private readonly X509Certificate2 _otherCa = CreateAuthority("CN=Someone else's CA");

    public static TheoryData<LeanTlsEngine> Engines => [LeanTlsEngine.OpenSsl, LeanTlsEngine.SslStream];

    public static TheoryData<LeanTlsEngine, string, string> Refusals
    {
        get
        {
            var data = new TheoryData<LeanTlsEngine, string, string>();
            foreach (var engine in new[] { LeanTlsEngine.OpenSsl, LeanTlsEngine.SslStream })
            {
                data.Add(engine, "wrong-name", "The remote certificate is invalid according to the validation procedure: RemoteCertificateNameMismatch");
                data.Add(engine, "expired", "The remote certificate is invalid because of errors in the certificate chain: NotTimeValid");
                data.Add(engine, "client-usage", "The remote certificate is invalid because of errors in the certificate chain: NotValidForUsage");
                data.Add(engine, "other-issuer", "The remote certificate is invalid because of errors in the certificate chain: PartialChain");
            }

            return data;
        }
    }

    public void Dispose()
    {
        _ca.Dispose();
        _otherCa.Dispose();
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task TrustedChainForTheAddress_Accepted_AndTheConnectionIsReused(LeanTlsEngine engine)
    {
        using var leaf = Issue(_ca, "CN=127.0.0.1", ip: IPAddress.Loopback);
        await using var server = TlsServer(leaf, _ca);
        await using var transport = Transport(server.Port, "127.0.0.1", engine);

        var results = await SampleTargetFixture.ExchangesAsync(transport, 3);

        Assert.Equal(engine, transport.TlsEngine);
        Assert.All(results, r => Assert.Equal((ExchangeOutcome.Response, 200, null), (r.Outcome, r.StatusCode, r.Error)));
        Assert.All(results, r => Assert.Equal(2, r.BytesReceived));
        Assert.NotEqual(0, results[0].TlsTimestamp);
        Assert.All(results.Skip(1), r => Assert.Equal(0, r.TlsTimestamp));
        Assert.Equal(1, server.Server.Accepted);
        Assert.Equal(3, server.Requests);
    }

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task BadCertificate_RefusedWithSslStreamsWords_NothingSent(LeanTlsEngine engine, string kind, string reason)
    {
        var now = DateTimeOffset.UtcNow;
        using var leaf = kind switch
        {
            "wrong-name" => Issue(_ca, "CN=elsewhere", dns: "elsewhere.example"),
            "expired" => Issue(_ca, "CN=127.0.0.1", ip: IPAddress.Loopback, notAfter: now.AddDays(-1)),
            "client-usage" => Issue(_ca, "CN=127.0.0.1", ip: IPAddress.Loopback, usage: ClientAuth),
            _ => Issue(_otherCa, "CN=127.0.0.1", ip: IPAddress.Loopback),
        };
        await using var server = TlsServer(leaf, kind == "other-issuer" ? _otherCa : _ca);
        await using var transport = Transport(server.Port, "127.0.0.1", engine);

        var result = (await SampleTargetFixture.ExchangesAsync(transport, 1)).Single();

        Assert.Equal(ExchangeOutcome.TlsFailed, result.Outcome);
        Assert.Equal($"TLS handshake with 127.0.0.1:{server.Port} failed: {reason}", result.Error);
        Assert.NotEqual(0, result.ConnectedTimestamp);
        Assert.Equal(0, result.TlsTimestamp);
        Assert.Equal(0, server.Requests);
    }

    [Fact]
    public async Task OpenSsl_ValidatesAgainstTheTransportsClock()
    {
        // A certificate good today, judged a month later by the transport's clock: expired.
        using var leaf = Issue(_ca, "CN=127.0.0.1", ip: IPAddress.Loopback);
        await using var server = TlsServer(leaf, _ca);
        var later = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(20));
        await using var transport = Transport(server.Port, "127.0.0.1", LeanTlsEngine.OpenSsl, later);

        var result = (await SampleTargetFixture.ExchangesAsync(transport, 1)).Single();

        Assert.Equal(ExchangeOutcome.TlsFailed, result.Outcome);
        Assert.EndsWith("errors in the certificate chain: NotTimeValid", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task HostName_SentAsSni_IpLiteral_NoSni(LeanTlsEngine engine)
    {
        using var leaf = Issue(_ca, "CN=localhost", dns: "localhost", ip: IPAddress.Loopback);
        await using var server = TlsServer(leaf, _ca);

        await using (var byName = Transport(server.Port, "localhost", engine))
        {
            Assert.Equal(200, (await SampleTargetFixture.ExchangesAsync(byName, 1)).Single().StatusCode);
        }

        await using (var byAddress = Transport(server.Port, "127.0.0.1", engine))
        {
            Assert.Equal(200, (await SampleTargetFixture.ExchangesAsync(byAddress, 1)).Single().StatusCode);
        }

        Assert.Equal(["localhost", ""], server.ServerNames);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task PeerClosesDuringTheHandshake_TlsFailedWithTheSameWords(LeanTlsEngine engine)
    {
        // Reads the ClientHello (any bytes at all), then closes: the client's handshake meets the end of the stream.
        var (result, port) = await AfterClientHelloAsync(engine, answer: null);

        Assert.Equal(ExchangeOutcome.TlsFailed, result.Outcome);
        Assert.Equal($"TLS handshake with 127.0.0.1:{port} failed: Received an unexpected EOF or 0 bytes from the transport stream.", result.Error);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task PlainHttpServerAtAnHttpsUrl_TlsFailedNotAHang(LeanTlsEngine engine)
    {
        // An HTTP server answers the ClientHello with a plain-text 400: not TLS.
        var (result, port) = await AfterClientHelloAsync(engine, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");

        Assert.Equal(ExchangeOutcome.TlsFailed, result.Outcome);
        Assert.StartsWith($"TLS handshake with 127.0.0.1:{port} failed: ", result.Error, StringComparison.Ordinal);
        Assert.Equal(0, result.TlsTimestamp);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("auto", null)]
    [InlineData(" OpenSSL ", LeanTlsEngine.OpenSsl)]
    [InlineData("sslstream", LeanTlsEngine.SslStream)]
    public void ParseEngine_KnownValues(string? value, LeanTlsEngine? expected) =>
        Assert.Equal(expected, OpenSslClient.ParseEngine(value));

    [Theory]
    [InlineData("boringssl")]
    [InlineData("openssl;rm -rf /")]
    public void ParseEngine_AnythingElse_InputExceptionNamingTheVariable(string value)
    {
        var error = Assert.Throws<InputException>(() => OpenSslClient.ParseEngine(value));

        Assert.Equal("YARDSTICK_TLS", error.Field);
        Assert.Contains("'auto', 'openssl' or 'sslstream'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlainHttp_HasNoTlsEngine()
    {
        await using var transport = new LeanHttpTransport(
            new RequestTemplate { Method = "GET", Url = "http://127.0.0.1:1/" }, new TransportOptions { TlsEngine = LeanTlsEngine.OpenSsl });

        Assert.Null(transport.TlsEngine);
        Assert.Null(transport.OpenSsl);
    }

    /// <summary>One exchange against a server that reads the ClientHello, sends <paramref name="answer"/> (if any) and closes.</summary>
    private async Task<(ExchangeResult Result, int Port)> AfterClientHelloAsync(LeanTlsEngine engine, string? answer)
    {
        await using var server = new RawHttpServer(async connection =>
        {
            using var stream = connection.OpenStream();
            _ = await stream.ReadAsync(new byte[4096]);
            if (answer is not null)
            {
                await connection.WriteAsync(answer);
            }

            connection.Close();
        });
        await using var transport = Transport(server.Port, "127.0.0.1", engine);
        return ((await SampleTargetFixture.ExchangesAsync(transport, 1)).Single(), server.Port);
    }

    private LeanHttpTransport Transport(int port, string host, LeanTlsEngine engine, TimeProvider? time = null) => new(
        new RequestTemplate { Method = "GET", Url = $"https://{host}:{port}/tls" },
        new TransportOptions
        {
            TlsEngine = engine,
            Time = time ?? TimeProvider.System,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            CertificateChainPolicy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                CustomTrustStore = { _ca },
                RevocationMode = X509RevocationMode.NoCheck,
            },
        });

    /// <summary>
    /// A TLS server on loopback presenting <paramref name="leaf"/> and its issuer, answering every request with a
    /// two-byte body; it records the SNI name of each handshake ("" for none) and counts requests.
    /// </summary>
    private static TlsTestServer TlsServer(X509Certificate2 leaf, X509Certificate2 issuer)
    {
        var state = new TlsTestServer();
        var context = SslStreamCertificateContext.Create(leaf, [issuer], offline: true);
        state.Server = new RawHttpServer(async connection =>
        {
            await using var ssl = new SslStream(connection.OpenStream());
            try
            {
                await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                {
                    ServerCertificateContext = context,
                    ApplicationProtocols = [SslApplicationProtocol.Http11],
                });
            }
            catch (AuthenticationException)
            {
                // The client refused the certificate (its alert ends the handshake).
                return;
            }
            catch (IOException)
            {
                return;
            }

            lock (state.ServerNames)
            {
                state.ServerNames.Add(ssl.TargetHostName);
            }

            var buffer = new byte[4096];
            var text = "";
            while (true)
            {
                var read = await ssl.ReadAsync(buffer);
                if (read == 0)
                {
                    return;
                }

                text += System.Text.Encoding.Latin1.GetString(buffer, 0, read);
                while (text.IndexOf("\r\n\r\n", StringComparison.Ordinal) is var end and >= 0)
                {
                    text = text[(end + 4)..];
                    Interlocked.Increment(ref state.RequestCount);
                    await ssl.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"u8.ToArray());
                }
            }
        });
        return state;
    }

    private static X509Certificate2 CreateAuthority(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var now = DateTimeOffset.UtcNow;
        using var ca = request.CreateSelfSigned(now.AddDays(-30), now.AddDays(30));
        return X509CertificateLoader.LoadPkcs12(ca.Export(X509ContentType.Pfx), null);
    }

    private static X509Certificate2 Issue(
        X509Certificate2 issuer, string subject, string? dns = null, IPAddress? ip = null, DateTimeOffset? notAfter = null, Oid? usage = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        if (dns is not null)
        {
            san.AddDnsName(dns);
        }

        if (ip is not null)
        {
            san.AddIpAddress(ip);
        }

        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([usage ?? ServerAuth], false));
        var now = DateTimeOffset.UtcNow;
        var end = notAfter ?? now.AddDays(7);
        using var issued = request.Create(issuer, end.AddDays(-14), end, RandomNumberGenerator.GetBytes(8));
        using var withKey = issued.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pfx), null);
    }

    private sealed class TlsTestServer : IAsyncDisposable
    {
        public int RequestCount;

        public RawHttpServer Server { get; set; } = null!;

        public int Port => Server.Port;

        public int Requests => Volatile.Read(ref RequestCount);

        public List<string> ServerNames { get; } = [];

        public ValueTask DisposeAsync() => Server.DisposeAsync();
    }
}
