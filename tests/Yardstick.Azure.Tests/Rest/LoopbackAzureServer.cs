using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Azure.Core.Pipeline;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;
using Yardstick.Azure.Rest;

namespace Yardstick.Azure.Tests.Rest;

/// <summary>
/// An in-test Kestrel server on https://127.0.0.1:{free port} that answers Azure REST calls from a handler and
/// records every request. HTTPS because Azure.Core's bearer-token policy refuses plain http; clients trust
/// exactly this server's throwaway certificate (see <see cref="Configure{T}"/>).
/// </summary>
internal sealed class LoopbackAzureServer : IAsyncDisposable
{
    private readonly WebApplication _web;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly X509Certificate2 _certificate;

    private LoopbackAzureServer(WebApplication web, X509Certificate2 certificate)
    {
        _web = web;
        _certificate = certificate;
    }

    public Uri Endpoint { get; private set; } = null!;

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    public static async Task<LoopbackAzureServer> StartAsync(Func<RecordedRequest, FakeResponse> handler)
    {
        var certificate = CreateCertificate();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
        var web = builder.Build();
        var server = new LoopbackAzureServer(web, certificate);
        web.Run(context => server.HandleAsync(context, handler));
        await web.StartAsync();
        var address = web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Endpoint = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        return server;
    }

    /// <summary>Points client options at this server: endpoint, a transport trusting its certificate, fast retries.</summary>
    public T Configure<T>(T options)
        where T : YardstickAzureClientOptions
    {
        options.Endpoint = Endpoint;
        options.Transport = CreateTransport();
        options.Retry.Delay = TimeSpan.FromMilliseconds(10);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(2);
        options.Retry.MaxRetries = 3;
        return options;
    }

    public HttpPipelineTransport CreateTransport() => new HttpClientTransport(CreateHandler());

    /// <summary>A handler that trusts this server's certificate only.</summary>
    public SocketsHttpHandler CreateHandler()
    {
        var thumbprint = _certificate.Thumbprint;
        return new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, cert, _, _) => cert is not null && cert.GetCertHashString() == thumbprint,
            },
        };
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _web.StopAsync(stop.Token);
        await _web.DisposeAsync();
        _certificate.Dispose();
    }

    private async Task HandleAsync(HttpContext context, Func<RecordedRequest, FakeResponse> handler)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        var request = new RecordedRequest(
            context.Request.Method,
            context.Request.Path.Value ?? "",
            context.Request.QueryString.Value ?? "",
            context.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal),
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            body,
            Stopwatch.GetTimestamp());
        _requests.Enqueue(request);
        FakeResponse response;
        try
        {
            response = handler(request);
        }
        catch (Exception e)
        {
            response = new FakeResponse(599, $"{{\"error\":{{\"code\":\"TestHandlerFailed\",\"message\":\"{e.GetType().Name}\"}}}}");
        }

        context.Response.StatusCode = response.Status;
        foreach (var (name, value) in response.Headers ?? new Dictionary<string, string>())
        {
            context.Response.Headers[name] = new StringValues(value);
        }

        if (response.Body is not null)
        {
            context.Response.ContentType = "application/json; charset=utf-8";
            await context.Response.WriteAsync(response.Body);
        }
    }

    private static X509Certificate2 CreateCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        var now = DateTimeOffset.UtcNow;
        using var cert = request.CreateSelfSigned(now.AddMinutes(-5), now.AddHours(1));
        return X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pfx), null);
    }
}

/// <summary>A request as the server saw it. <see cref="Query"/> holds decoded values.</summary>
internal sealed record RecordedRequest(
    string Method,
    string Path,
    string RawQuery,
    IReadOnlyDictionary<string, string> Query,
    IReadOnlyDictionary<string, string> Headers,
    string Body,
    long Timestamp)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var v) ? v : null;

    public string? QueryValue(string name) => Query.TryGetValue(name, out var v) ? v : null;
}

/// <summary>What the server answers.</summary>
internal sealed record FakeResponse(int Status, string? Body = null, IReadOnlyDictionary<string, string>? Headers = null)
{
    public static FakeResponse Json(string body, int status = 200, IReadOnlyDictionary<string, string>? headers = null) => new(status, body, headers);
}
