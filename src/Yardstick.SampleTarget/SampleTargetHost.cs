using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Yardstick.SampleTarget;

/// <summary>
/// Runs the sample target on Kestrel. Used by <c>Program</c> and by tests that want a real HTTP server on
/// loopback in-process (pass port 0 in <see cref="SampleTargetOptions.Urls"/> to get a free port).
/// </summary>
public sealed class SampleTargetHost : IAsyncDisposable
{
    private readonly WebApplication _web;

    private SampleTargetHost(WebApplication web, SampleApp app, IReadOnlyList<string> addresses)
    {
        _web = web;
        App = app;
        Addresses = addresses;
    }

    public SampleApp App { get; }

    /// <summary>The bound addresses, for example <c>http://127.0.0.1:40123</c>.</summary>
    public IReadOnlyList<string> Addresses { get; }

    /// <summary>The first http (or https) address.</summary>
    public string BaseUrl => Addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.Ordinal)) ?? Addresses[0];

    public string InstanceId => App.InstanceId;

    /// <summary>Starts listening (after the simulated init delay) and returns once the server accepts connections.</summary>
    public static async Task<SampleTargetHost> StartAsync(SampleTargetOptions options, CancellationToken cancellationToken = default)
    {
        if (options.InitDelayMs > 0)
        {
            await Task.Delay(options.InitDelayMs, cancellationToken);
        }

        var app = new SampleApp(options);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.UseUrls(options.Urls);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxConcurrentConnections = null;
            kestrel.ConfigureHttpsDefaults(https => https.ServerCertificate = CreateSelfSignedCertificate());
            kestrel.ConfigureEndpointDefaults(endpoint => endpoint.Protocols = options.Http2Only ? HttpProtocols.Http2 : HttpProtocols.Http1AndHttp2);
            if (options.Http2MaxStreams > 0)
            {
                kestrel.Limits.Http2.MaxStreamsPerConnection = options.Http2MaxStreams;
            }
        });

        var web = builder.Build();
        web.Run(app.HandleAsync);
        await web.StartAsync(cancellationToken);
        var addresses = web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];
        return new SampleTargetHost(web, app, addresses);
    }

    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _web.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _web.StopAsync(TimeSpan.FromSeconds(2));
        await _web.DisposeAsync();
    }

    /// <summary>A throwaway self-signed certificate for https URLs (loopback benchmarks and TLS tests).</summary>
    public static X509Certificate2 CreateSelfSignedCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        san.AddIpAddress(IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = DateTimeOffset.UtcNow;
        using var cert = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(7));
        return X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pfx), null);
    }
}
