using Yardstick.Core.Load;
using Yardstick.Core.Load.Transports;
using Yardstick.Core.Load.Transports.Lean;
using Yardstick.SampleTarget;

namespace Yardstick.Core.Tests.Load.Transports.Lean;

/// <summary>One in-process sample target (http and https on free loopback ports) shared by a test class.</summary>
public sealed class SampleTargetFixture : IAsyncLifetime
{
    private SampleTargetHost? _host;

    public SampleTargetHost Host => _host ?? throw new InvalidOperationException("not started");

    public string HttpUrl => Host.Addresses.First(a => a.StartsWith("http://", StringComparison.Ordinal));

    public string HttpsUrl => Host.Addresses.First(a => a.StartsWith("https://", StringComparison.Ordinal));

    public async Task InitializeAsync() =>
        _host = await SampleTargetHost.StartAsync(new SampleTargetOptions { Urls = "http://127.0.0.1:0;https://127.0.0.1:0" });

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    public static LeanHttpTransport Transport(string url, TransportOptions? options = null, string method = "GET", string? body = null, bool insecure = false) =>
        new(new RequestTemplate { Method = method, Url = url, Body = body, InsecureSkipTlsVerify = insecure }, options ?? new TransportOptions());

    /// <summary>Runs <paramref name="count"/> exchanges one after another on one connection.</summary>
    public static async Task<List<ExchangeResult>> ExchangesAsync(IHttpTransport transport, int count, CancellationToken cancellationToken = default)
    {
        await using var connection = transport.CreateConnection();
        var results = new List<ExchangeResult>();
        for (var i = 0; i < count; i++)
        {
            results.Add(await connection.ExchangeAsync(cancellationToken));
        }

        return results;
    }
}
