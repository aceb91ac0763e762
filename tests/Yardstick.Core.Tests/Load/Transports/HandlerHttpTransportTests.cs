using System.Net;
using Yardstick.Core.Load;
using Yardstick.Core.Load.Requests;
using Yardstick.Core.Load.Transports;
using Yardstick.SampleTarget;

namespace Yardstick.Core.Tests.Load.Transports;

/// <summary>
/// The SocketsHttpHandler transport over a real sample target on loopback: a slot reuses its timeout source and
/// response buffer across exchanges, so a timed-out or cancelled exchange must leave the next one unaffected; and it
/// speaks HTTP/2 with prior knowledge to an h2c endpoint.
/// </summary>
public sealed class HandlerHttpTransportTests
{
    private static RequestTemplate Request(string name, string url, string httpVersion = "1.1") =>
        new() { Name = name, Method = "GET", Url = url, Transport = TransportKind.Handler, HttpVersion = httpVersion };

    [Fact]
    public async Task Exchange_AfterATimeoutOnTheSameSlot_SucceedsWithAFreshTimeout()
    {
        await using var target = await SampleTargetHost.StartAsync(new SampleTargetOptions { Urls = "http://127.0.0.1:0" });
        var catalog = RequestCatalog.Compile([Request("slow", target.BaseUrl + "/api/work?ms=3000"), Request("fast", target.BaseUrl + "/api/hello")]);
        await using var transport = new HandlerHttpTransport(catalog, new TransportOptions { RequestTimeout = TimeSpan.FromMilliseconds(300), MaxConnections = 2 });
        await using var slot = transport.CreateConnection();

        var timedOut = await slot.ExchangeAsync(new ExchangeRequest(0, 0, 0, 0), CancellationToken.None);
        Assert.Equal(ExchangeOutcome.Timeout, timedOut.Outcome);

        for (var i = 1; i <= 3; i++)
        {
            var next = await slot.ExchangeAsync(new ExchangeRequest(1, i, i, 0), CancellationToken.None);
            Assert.Equal(ExchangeOutcome.Response, next.Outcome);
            Assert.Equal(200, next.StatusCode);
            Assert.True(next.BytesReceived > 0);
        }
    }

    [Fact]
    public async Task Exchange_CancelledByTheCaller_IsCancelled_AndTheSlotStaysUsable()
    {
        await using var target = await SampleTargetHost.StartAsync(new SampleTargetOptions { Urls = "http://127.0.0.1:0" });
        var catalog = RequestCatalog.Compile([Request("slow", target.BaseUrl + "/api/work?ms=3000"), Request("fast", target.BaseUrl + "/api/hello")]);
        await using var transport = new HandlerHttpTransport(catalog, new TransportOptions { RequestTimeout = TimeSpan.FromSeconds(10), MaxConnections = 2 });
        await using var slot = transport.CreateConnection();

        using (var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200)))
        {
            var cancelled = await slot.ExchangeAsync(new ExchangeRequest(0, 0, 0, 0), cancel.Token);
            Assert.Equal(ExchangeOutcome.Cancelled, cancelled.Outcome);
        }

        // Well within the 10 s timeout: a source left cancelled by the caller's token would fail these at once.
        for (var i = 1; i <= 3; i++)
        {
            var next = await slot.ExchangeAsync(new ExchangeRequest(1, i, i, 0), CancellationToken.None);
            Assert.Equal(ExchangeOutcome.Response, next.Outcome);
            Assert.Equal(200, next.StatusCode);
        }
    }

    [Fact]
    public async Task Exchange_Http2PriorKnowledge_OnAnH2cTarget_ReadsTheServerTimingAndInstance()
    {
        await using var target = await SampleTargetHost.StartAsync(new SampleTargetOptions { Urls = "http://127.0.0.1:0", Http2Only = true });
        var catalog = RequestCatalog.Compile([Request("hello", target.BaseUrl + "/api/hello", httpVersion: "2")]);
        await using var transport = new HandlerHttpTransport(catalog, new TransportOptions { MaxConnections = 1 });
        await using var slot = transport.CreateConnection();

        for (var i = 0; i < 3; i++)
        {
            var result = await slot.ExchangeAsync(new ExchangeRequest(0, i, i, 0), CancellationToken.None);
            Assert.Equal(ExchangeOutcome.Response, result.Outcome);
            Assert.Equal((int)HttpStatusCode.OK, result.StatusCode);
            Assert.Equal(target.InstanceId, result.InstanceId);
            Assert.NotNull(result.ServerDurationMs);
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Http2_ManySlots_HoldExactlyMaxConnectionsConnections(int connections)
    {
        await using var target = await SampleTargetHost.StartAsync(new SampleTargetOptions { Urls = "http://127.0.0.1:0", Http2Only = true });
        var port = new Uri(target.BaseUrl).Port;
        var catalog = RequestCatalog.Compile([Request("work", target.BaseUrl + "/api/work?ms=1500", httpVersion: "2")]);
        await using var transport = new HandlerHttpTransport(catalog, new TransportOptions { MaxConnections = connections });
        var slots = Enumerable.Range(0, connections * 4).Select(_ => transport.CreateConnection()).ToList();

        // Every slot's request in flight at once: streams multiplexed over the transport's connections, never more.
        var exchanges = slots.Select((slot, i) => slot.ExchangeAsync(new ExchangeRequest(0, i, i, 0), CancellationToken.None).AsTask()).ToList();
        await Task.Delay(TimeSpan.FromMilliseconds(700));
        var open = System.Net.NetworkInformation.IPGlobalProperties.GetIPGlobalProperties().GetActiveTcpConnections()
            .Count(c => c.RemoteEndPoint.Port == port && c.State == System.Net.NetworkInformation.TcpState.Established);
        var results = await Task.WhenAll(exchanges);

        Assert.All(results, r => Assert.Equal(200, r.StatusCode));
        Assert.Equal(connections, open);
        foreach (var slot in slots)
        {
            await slot.DisposeAsync();
        }
    }
}
