using System.Diagnostics;
using System.Net;

namespace Yardstick.SampleTarget.Tests;

/// <summary>The options of the sample target, parsed from a command line and applied by a real host on loopback.</summary>
public sealed class SampleTargetHostTests
{
    [Fact]
    public async Task MaxConcurrency_MoreRequestsThanTheLimit_ExtraOnesWaitInLineAndAllSucceed()
    {
        // Documented: requests beyond the limit wait in line (no 429/503). With a limit of 2 and 4 concurrent requests of
        // 300 ms, two of them wait for a slot, so the slowest one's server time (which includes the wait) is two waves long.
        const int workMs = 300;
        await using var target = await RunningTarget.StartAsync(SampleTargetOptions.Parse(["--max-concurrency", "2"]));

        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            target.Client.GetAsync(new Uri($"/api/work?ms={workMs}", UriKind.Relative))));
        try
        {
            Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
            var serverMs = responses.Select(RunningTarget.ServerDurationMs).Order().ToArray();
            // Without the limit every request would report ~300 ms; with it the last two report ~600 ms.
            Assert.True(serverMs[^1] >= 2 * workMs * 0.9, $"server durations {string.Join(", ", serverMs)}: nobody waited in line");
            Assert.True(serverMs[^2] >= 2 * workMs * 0.9, $"server durations {string.Join(", ", serverMs)}: only one waited in line");
        }
        finally
        {
            foreach (var response in responses)
            {
                response.Dispose();
            }
        }
    }

    [Fact]
    public async Task MaxConcurrency_Zero_MeansUnlimited()
    {
        const int workMs = 300;
        await using var target = await RunningTarget.StartAsync(SampleTargetOptions.Parse(["--max-concurrency", "0"]));

        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            target.Client.GetAsync(new Uri($"/api/work?ms={workMs}", UriKind.Relative))));

        // 0 must mean "no limit", not "no slots": a zero-permit line would hold every request until the client's timeout.
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task InitDelay_Option_NoResponseBeforeTheDelay()
    {
        const int delayMs = 500;
        var options = SampleTargetOptions.Parse(["--init-delay-ms", delayMs.ToString(System.Globalization.CultureInfo.InvariantCulture)]);

        var started = Stopwatch.GetTimestamp();
        await using var target = await RunningTarget.StartAsync(options);
        using var response = await target.Client.GetAsync(new Uri("/api/hello", UriKind.Relative));
        var firstResponseMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;

        Assert.Equal(delayMs, options.InitDelayMs);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(firstResponseMs >= delayMs * 0.9, $"first response {firstResponseMs:0.0} ms after start, init delay {delayMs} ms");
    }

    [Fact]
    public async Task InitDelay_CancelledDuringTheDelay_NeverListens()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            SampleTargetHost.StartAsync(new SampleTargetOptions { Urls = "http://127.0.0.1:0", InitDelayMs = 30_000 }, cancel.Token));
    }

    [Fact]
    public async Task ExtraLatency_Option_AddedToEveryApiRequest()
    {
        const int extraMs = 200;
        await using var target = await RunningTarget.StartAsync(SampleTargetOptions.Parse(["--extra-latency-ms", "200"]));

        using var hello = await target.Client.GetAsync(new Uri("/api/hello", UriKind.Relative));
        using var work = await target.Client.GetAsync(new Uri("/api/work?ms=100", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, hello.StatusCode);
        Assert.True(RunningTarget.ServerDurationMs(hello) >= extraMs * 0.9);
        Assert.True(RunningTarget.ServerDurationMs(work) >= (extraMs + 100) * 0.9);
    }

    [Fact]
    public async Task Urls_Option_ListensThere()
    {
        var options = SampleTargetOptions.Parse(["--urls", "http://127.0.0.1:0"]);
        await using var host = await SampleTargetHost.StartAsync(options);

        var address = new Uri(Assert.Single(host.Addresses));
        Assert.Equal("127.0.0.1", address.Host);
        Assert.NotEqual(0, address.Port);
    }

    [Fact]
    public void Parse_AllOptions_Applied()
    {
        var options = SampleTargetOptions.Parse(
            ["--urls", "http://127.0.0.1:7001", "--init-delay-ms", "800", "--extra-latency-ms", "20", "--max-concurrency", "4", "--instance-id", "i-1"]);

        Assert.Equal(
            new SampleTargetOptions { Urls = "http://127.0.0.1:7001", InitDelayMs = 800, ExtraLatencyMs = 20, MaxConcurrency = 4, InstanceId = "i-1" },
            options);
    }

    [Theory]
    [InlineData("--init-delay-ms", "-1")]
    [InlineData("--init-delay-ms", "soon")]
    [InlineData("--extra-latency-ms", "1.5")]
    [InlineData("--extra-latency-ms", "-20")]
    [InlineData("--max-concurrency", "many")]
    [InlineData("--max-concurrency", "-3")]
    [InlineData("--max-concurrency", "99999999999")]
    public void Parse_BadValue_ErrorNamesTheOptionAndTheValue(string option, string value)
    {
        var error = Assert.Throws<ArgumentException>(() => SampleTargetOptions.Parse([option, value]));

        Assert.Contains(option, error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{value}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("non-negative integer", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--urls")]
    [InlineData("--init-delay-ms")]
    [InlineData("--extra-latency-ms")]
    [InlineData("--max-concurrency")]
    [InlineData("--instance-id")]
    public void Parse_MissingValue_ErrorNamesTheOption(string option)
    {
        var error = Assert.Throws<ArgumentException>(() => SampleTargetOptions.Parse([option]));

        Assert.Equal($"option {option} needs a value", error.Message);
    }

    [Fact]
    public void Parse_UnknownOption_ErrorNamesItAndListsTheKnownOnes()
    {
        var error = Assert.Throws<ArgumentException>(() => SampleTargetOptions.Parse(["--max-concurency", "2"]));

        Assert.Contains("'--max-concurency'", error.Message, StringComparison.Ordinal);
        Assert.Contains("--max-concurrency", error.Message.Replace("'--max-concurency'", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Http2Only_CleartextEndpoint_SpeaksH2cWithPriorKnowledge_AndRefusesHttp11()
    {
        await using var target = await RunningTarget.StartAsync(SampleTargetOptions.Parse(["--http2-only"]));
        using var client = new HttpClient { BaseAddress = new Uri(target.Host.BaseUrl), Timeout = TimeSpan.FromSeconds(30) };

        using var h2 = new HttpRequestMessage(HttpMethod.Get, "/api/hello") { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        using var response = await client.SendAsync(h2);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpVersion.Version20, response.Version);

        // An HTTP/1.1 request line is not an HTTP/2 connection preface: Kestrel answers it with an error, never the app.
        using var h1 = new HttpRequestMessage(HttpMethod.Get, "/api/hello") { Version = HttpVersion.Version11, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        using var refused = await client.SendAsync(h1);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.False(refused.Headers.Contains("x-instance-id"), "the app answered an HTTP/1.1 request on an HTTP/2-only endpoint");
    }

    [Fact]
    public async Task Http2Default_CleartextEndpoint_ServesHttp11()
    {
        await using var target = await RunningTarget.StartAsync();

        using var response = await target.Client.GetAsync(new Uri("/api/hello", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpVersion.Version11, response.Version);
    }

    [Theory]
    [InlineData(1, 2)]
    [InlineData(0, 1)]
    public async Task Http2MaxStreams_ConcurrentRequestsBeyondTheLimit_OpenAnotherConnection(int maxStreams, int expectedConnections)
    {
        // Kestrel's default (0: 100 streams) lets two requests share one connection; a limit of one stream makes a pool
        // that may open more connections (EnableMultipleHttp2Connections) open a second one for the second request.
        var args = new List<string> { "--http2-only" };
        if (maxStreams > 0)
        {
            args.AddRange(["--http2-max-streams", maxStreams.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }

        await using var target = await RunningTarget.StartAsync(SampleTargetOptions.Parse(args));
        var connections = 0;
        using var handler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            ConnectCallback = async (context, cancellationToken) =>
            {
                Interlocked.Increment(ref connections);
                var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
            },
        };
        using var client = new HttpClient(handler)
        {
            BaseAddress = new Uri(target.Host.BaseUrl),
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Timeout = TimeSpan.FromSeconds(30),
        };

        // One request first, so the client has the server's SETTINGS (its stream limit) before the concurrent two.
        using (var first = await client.GetAsync(new Uri("/api/hello", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        var responses = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => client.GetAsync(new Uri("/api/work?ms=300", UriKind.Relative))));
        foreach (var response in responses)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            response.Dispose();
        }

        Assert.Equal(expectedConnections, connections);
    }

    [Fact]
    public void Http2MaxStreams_NotANumber_NamesTheOption()
    {
        var error = Assert.Throws<ArgumentException>(() => SampleTargetOptions.Parse(["--http2-max-streams", "many"]));

        Assert.Contains("--http2-max-streams", error.Message, StringComparison.Ordinal);
    }
}
