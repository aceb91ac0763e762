using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Yardstick.Core.Load;
using Yardstick.Core.Load.Safety;
using Yardstick.Core.Load.Transports;
using Yardstick.Core.Load.Transports.Lean;
using static Yardstick.Core.Tests.Load.Transports.Lean.SampleTargetFixture;
using Yardstick.Testing;

namespace Yardstick.Core.Tests.Load.Transports.Lean;

/// <summary>The lean transport against the real sample target (Kestrel on loopback), over http and https.</summary>
public sealed class LeanHttpTransportTests(SampleTargetFixture target) : IClassFixture<SampleTargetFixture>
{
    private const string HelloBody = "Hello from Yardstick's sample target";

    [Fact]
    public async Task ExchangeAsync_Hello_ResponseWithBytesInstanceAndServerTiming()
    {
        await using var transport = Transport(target.HttpUrl + "/api/hello");

        var result = (await ExchangesAsync(transport, 1)).Single();

        Assert.Equal(ExchangeOutcome.Response, result.Outcome);
        Assert.Equal(200, result.StatusCode);
        Assert.Equal(HelloBody.Length, result.BytesReceived);
        Assert.Equal(0, result.BytesSent);
        Assert.Equal(target.Host.InstanceId, result.InstanceId);
        Assert.NotNull(result.ServerDurationMs);
        Assert.InRange(result.ServerDurationMs.Value, 0, 10_000);
        Assert.Null(result.Error);
        Assert.Equal(0, result.TlsTimestamp);
        Assert.True(result.StartTimestamp <= result.ConnectedTimestamp);
        Assert.True(result.ConnectedTimestamp <= result.FirstByteTimestamp);
        Assert.True(result.FirstByteTimestamp <= result.EndTimestamp);
    }

    [Fact]
    public async Task ExchangeAsync_ManyOnOneConnection_ConnectsOnceAndSharesTheInstanceString()
    {
        await using var transport = Transport(target.HttpUrl + "/api/hello");

        var results = await ExchangesAsync(transport, 50);

        Assert.All(results, r => Assert.Equal(200, r.StatusCode));
        Assert.NotEqual(0, results[0].ConnectedTimestamp);
        Assert.All(results.Skip(1), r => Assert.Equal(0, r.ConnectedTimestamp));
        Assert.All(results.Skip(1), r => Assert.Same(results[0].InstanceId, r.InstanceId));
    }

    [Fact]
    public async Task ExchangeAsync_HttpsWithInsecureOnLoopback_HandshakesOnceThenReuses()
    {
        await using var transport = Transport(target.HttpsUrl + "/api/hello", insecure: true);

        var results = await ExchangesAsync(transport, 5);

        Assert.All(results, r => Assert.Equal(200, r.StatusCode));
        Assert.All(results, r => Assert.Equal(HelloBody.Length, r.BytesReceived));
        Assert.True(results[0].TlsTimestamp >= results[0].ConnectedTimestamp && results[0].ConnectedTimestamp > 0);
        Assert.True(results[0].FirstByteTimestamp >= results[0].TlsTimestamp);
        Assert.All(results.Skip(1), r => Assert.Equal(0, r.TlsTimestamp));
        Assert.Equal(target.Host.InstanceId, results[^1].InstanceId);
    }

    [Fact]
    public async Task ExchangeAsync_HttpsSelfSignedWithValidation_TlsFailed()
    {
        await using var transport = Transport(target.HttpsUrl + "/api/hello");

        var result = (await ExchangesAsync(transport, 1)).Single();

        Assert.Equal(ExchangeOutcome.TlsFailed, result.Outcome);
        Assert.StartsWith("TLS handshake with 127.0.0.1:", result.Error, StringComparison.Ordinal);
        Assert.NotEqual(0, result.ConnectedTimestamp);
        Assert.Equal(0, result.TlsTimestamp);
    }

    [Fact]
    public void Constructor_InsecureOnNonLoopbackHost_InputException()
    {
        var error = Assert.Throws<InputException>(() => Transport("https://example.com/api/hello", insecure: true));

        Assert.Equal("target.insecureSkipTlsVerify", error.Field);
    }

    [Fact]
    public async Task ExchangeAsync_FailHalfTheTime_ExactlyHalfAre500()
    {
        await using var transport = Transport(target.HttpUrl + "/api/fail?rate=0.5");

        var results = await ExchangesAsync(transport, 200);

        // The sample target fails exactly floor((n+1)·rate) - floor(n·rate) of request n: 100 of any 200 in a row.
        Assert.All(results, r => Assert.Equal(ExchangeOutcome.Response, r.Outcome));
        Assert.Equal(100, results.Count(r => r.StatusCode == 500));
        Assert.Equal(100, results.Count(r => r.StatusCode == 200));
        Assert.All(results.Skip(1), r => Assert.Equal(0, r.ConnectedTimestamp));
    }

    [Fact]
    public async Task ExchangeAsync_SlowerThanTimeout_Timeout()
    {
        var options = new TransportOptions { RequestTimeout = TimeSpan.FromMilliseconds(200) };
        await using var transport = Transport(target.HttpUrl + "/api/work?ms=2000", options);

        var results = await ExchangesAsync(transport, 2);

        Assert.All(results, r => Assert.Equal(ExchangeOutcome.Timeout, r.Outcome));
        // Timeout (not the response the server sends after 2 s) is the proof; no wall-clock bound on a loaded runner.
        Assert.Equal("no response within 200 ms", results[0].Error);
    }

    [Fact]
    public async Task ExchangeAsync_RunCancelled_CancelledPromptly()
    {
        await using var transport = Transport(target.HttpUrl + "/api/work?ms=5000");
        await using var connection = transport.CreateConnection();
        using var run = new CancellationTokenSource(TimeSpan.FromMilliseconds(150));
        var clock = Stopwatch.StartNew();

        var result = await connection.ExchangeAsync(run.Token);
        var after = await connection.ExchangeAsync(run.Token);

        Assert.Equal(ExchangeOutcome.Cancelled, result.Outcome);
        Assert.Equal(ExchangeOutcome.Cancelled, after.Outcome);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"cancellation took {clock.Elapsed}");
    }

    [Fact]
    public async Task DisposeAsync_TransportDuringExchange_ExchangeEndsCancelled()
    {
        var transport = Transport(target.HttpUrl + "/api/work?ms=5000");
        var connection = transport.CreateConnection();
        var pending = connection.ExchangeAsync(CancellationToken.None).AsTask();
        await Task.Delay(200);

        await transport.DisposeAsync();
        var result = await pending.WaitAsync(TimeSpan.FromSeconds(5));
        var after = await connection.ExchangeAsync(CancellationToken.None);

        Assert.Equal(ExchangeOutcome.Cancelled, result.Outcome);
        Assert.Equal(ExchangeOutcome.Cancelled, after.Outcome);
        Assert.Equal("transport disposed", after.Error);
    }

    [Fact]
    public async Task ExchangeAsync_ClosedPort_ConnectFailed()
    {
        var port = TestPorts.Closed();
        await using var transport = Transport($"http://127.0.0.1:{port}/api/hello");

        var result = (await ExchangesAsync(transport, 1)).Single();

        Assert.Equal(ExchangeOutcome.ConnectFailed, result.Outcome);
        Assert.Equal($"connect to 127.0.0.1:{port} failed: ConnectionRefused", result.Error);
        Assert.Equal(0, result.ConnectedTimestamp);
    }

    [Fact]
    public async Task ExchangeAsync_AddressNotAllowedByPolicy_ConnectFailedWithoutConnecting()
    {
        var options = new TransportOptions { Policy = new TargetPolicy(["example.com"]) };
        await using var transport = Transport(target.HttpUrl + "/api/hello", options);

        var result = (await ExchangesAsync(transport, 1)).Single();

        Assert.Equal(ExchangeOutcome.ConnectFailed, result.Outcome);
        Assert.StartsWith("no address of 127.0.0.1 is allowed by the target policy: 127.0.0.1 is not in the target allow-list", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExchangeAsync_LocalhostName_ResolvedAndAllowed()
    {
        var port = new Uri(target.HttpUrl).Port;
        await using var transport = Transport($"http://localhost:{port}/api/hello");

        var result = (await ExchangesAsync(transport, 1)).Single();

        Assert.Equal(200, result.StatusCode);
    }

    [Fact]
    public async Task ExchangeAsync_PostWithBody_SentWithContentLengthAndConnectionReused()
    {
        await using var transport = Transport(target.HttpUrl + "/api/hello", method: "POST", body: "{\"name\":\"yardstick\"}");

        var results = await ExchangesAsync(transport, 3);

        Assert.All(results, r => Assert.Equal(200, r.StatusCode));
        Assert.All(results, r => Assert.Equal(20, r.BytesSent));
        Assert.All(results.Skip(1), r => Assert.Equal(0, r.ConnectedTimestamp));
    }

    [Fact]
    public async Task ExchangeAsync_Head_NoBodyReadAndConnectionStaysInStep()
    {
        await using var transport = Transport(target.HttpUrl + "/api/hello", method: "HEAD");

        var results = await ExchangesAsync(transport, 3);

        Assert.All(results, r => Assert.Equal(200, r.StatusCode));
        Assert.All(results, r => Assert.Equal(0, r.BytesReceived));
        Assert.All(results.Skip(1), r => Assert.Equal(0, r.ConnectedTimestamp));
    }

    [Fact]
    public async Task ExchangeAsync_ManyConnectionsInParallel_AllSucceed()
    {
        await using var transport = Transport(target.HttpUrl + "/api/hello");

        var runs = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => ExchangesAsync(transport, 25)));

        Assert.All(runs.SelectMany(r => r), r => Assert.Equal(200, r.StatusCode));
    }

    [Fact]
    public async Task CreateConnection_BeyondMaxConnections_Throws()
    {
        await using var transport = Transport(target.HttpUrl + "/api/hello", new TransportOptions { MaxConnections = 2 });
        await using var first = transport.CreateConnection();
        var second = transport.CreateConnection();

        Assert.Throws<InvalidOperationException>(transport.CreateConnection);
        await second.DisposeAsync();
        await using var third = transport.CreateConnection();
    }

    [Theory]
    [InlineData(TransportKind.Lean, "1.1", typeof(LeanHttpTransport))]
    [InlineData(TransportKind.Auto, "1.1", typeof(LeanHttpTransport))]
    [InlineData(TransportKind.Auto, "2", typeof(HandlerHttpTransport))]
    [InlineData(TransportKind.Handler, "1.1", typeof(HandlerHttpTransport))]
    public async Task HttpTransportFactory_Create_PicksTheTransport(TransportKind kind, string version, Type expected)
    {
        var request = new RequestTemplate { Method = "GET", Url = target.HttpUrl + "/api/hello", Transport = kind, HttpVersion = version };

        await using var transport = HttpTransportFactory.Create(request, new TransportOptions());

        Assert.IsType(expected, transport);
    }
}
