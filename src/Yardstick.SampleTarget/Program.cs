using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Yardstick.SampleTarget;

SampleTargetOptions options;
try
{
    options = SampleTargetOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"sample-target: {e.Message}");
    return 2;
}

// Simulated cold initialization: nothing listens until it is over, as in a function host starting up.
if (options.InitDelayMs > 0)
{
    Thread.Sleep(options.InitDelayMs);
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
    kestrel.ConfigureHttpsDefaults(https => https.ServerCertificate = SelfSigned.Create());
    kestrel.ConfigureEndpointDefaults(endpoint => endpoint.Protocols = HttpProtocols.Http1AndHttp2);
});

var web = builder.Build();
web.Run(app.HandleAsync);
web.Lifetime.ApplicationStarted.Register(() =>
    Console.WriteLine($"sample-target listening on {options.Urls} instance={app.InstanceId}"));
await web.RunAsync();
return 0;

/// <summary>A throwaway self-signed certificate for https URLs (loopback benchmarks and TLS tests).</summary>
internal static class SelfSigned
{
    public static X509Certificate2 Create()
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
