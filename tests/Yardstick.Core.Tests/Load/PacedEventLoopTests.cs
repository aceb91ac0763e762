using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using HdrHistogram;
using Yardstick.Core.Load;
using Yardstick.Core.Load.Checks;
using Yardstick.Core.Load.Requests;
using Yardstick.Core.Load.Safety;
using Yardstick.Core.Load.Transports;
using Yardstick.Core.Load.Transports.Lean;
using Yardstick.Core.Measurements;
using Yardstick.Core.Tests.Load.Transports.Lean;
using Yardstick.Core.Workloads;
using Yardstick.SampleTarget;
using Yardstick.Testing;

namespace Yardstick.Core.Tests.Load;

/// <summary>
/// The open model on the paced epoll loop (plain HTTP/1.1, lean transport, Linux): every test checks that the shard
/// did run on the loop (on another platform, that it did not) and what it measured, against real loopback servers,
/// bounded in count and time. No assertion on how long anything took, only on what must follow from the servers'
/// behaviour.
/// </summary>
[Collection(RealLoadCollection.Name)]
public sealed class PacedEventLoopTests
{
    private static ShardPlan OpenPlan(string url, double rate, TimeSpan duration, int connections, int maxInFlight = 1000, TimeSpan? timeout = null) =>
        LoadGeneratorTests.OpenPlan(url, rate, duration, connections, maxInFlight, timeout);

    private static async Task<ShardResult> RunAsync(
        ShardPlan plan, TransportOptions? options = null, bool allowLoop = true, bool timerfdOnly = false, bool prompt = false, CancellationToken cancellationToken = default)
    {
        await using var transport = HttpTransportFactory.Create(
            RequestCatalog.Compile(plan.Requests),
            options ?? new TransportOptions { RequestTimeout = plan.RequestTimeout, MaxConnections = plan.Connections });
        var generator = new LoadGenerator(TimeProvider.System) { AllowEventLoop = allowLoop, EventLoopTimerfdOnly = timerfdOnly, EventLoopPrompt = prompt };
        var result = await generator.RunAsync(plan, transport, progress: null, cancellationToken);

        // https runs on the loop on the OpenSSL engine only (SslStream needs .NET's socket engine).
        var loopCanRunIt = transport is not LeanHttpTransport { TlsEngine: LeanTlsEngine.SslStream };
        Assert.Equal(allowLoop && LinuxEventLoop.IsSupported && loopCanRunIt, generator.LastRunOnEventLoop);

        // The loop's own lateness is measured for every arrival it emitted and did not drop; other paths have none.
        Assert.Equal(generator.LastRunOnEventLoop, generator.LastRunEmitLateness is not null);
        if (generator.LastRunEmitLateness is { } emitted)
        {
            Assert.Equal(result.ScheduledArrivals - result.DroppedArrivals, emitted.TotalCount);
        }

        LastEmitLateness = generator.LastRunEmitLateness;
        LastLoopWaits = generator.LastRunLoopWaits;
        Assert.Equal(generator.LastRunOnEventLoop, LastLoopWaits.Total > 0);
        return result;
    }

    /// <summary>The last <see cref="RunAsync"/>'s waits on the loop, how many were quiet, and the socket events they reported.</summary>
    private static (long Total, long Quiet, long Events) LastLoopWaits { get; set; }

    /// <summary>What the last <see cref="RunAsync"/> measured of the loop's own lateness (null off the loop).</summary>
    private static HistogramBase? LastEmitLateness { get; set; }

    [Theory]
    [InlineData(true, false)]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public async Task SlowServer_OneConnection_LatencyCountsFromEachIntendedStart(bool loop, bool timerfdOnly)
    {
        // Each answer takes at least 100 ms on one connection while an arrival comes due every 50 ms: arrival k cannot
        // be sent before k * 100 ms, though it was due at k * 50 ms. Measured from the intended start (no coordinated
        // omission), latency exceeds service time by about sum(k * 50 ms) / 20 = 475 ms on average (at least), however
        // fast or slow the machine is; the bound leaves room for timer and histogram rounding.
        var concurrent = 0;
        var maxConcurrent = 0;
        var server = new RawHttpServer(async connection =>
        {
            while (await connection.ReadRequestAsync() is not null)
            {
                var now = Interlocked.Increment(ref concurrent);
                InterlockedMax(ref maxConcurrent, now);
                await Task.Delay(100);
                Interlocked.Decrement(ref concurrent);
                await connection.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            }
        });
        ShardResult result;
        await using (server)
        {
            result = await RunAsync(OpenPlan(server.Url("/slow"), rate: 20, TimeSpan.FromSeconds(1), connections: 1), allowLoop: loop, timerfdOnly: timerfdOnly);
        }

        Assert.Equal(20, result.ScheduledArrivals);
        Assert.Equal(20, result.Successes);
        Assert.Equal(0, result.DroppedArrivals);
        Assert.Equal(1, maxConcurrent);
        var latency = HistogramCodec.Decode(result.Latency);
        var service = HistogramCodec.Decode(result.ServiceTime);
        Assert.Equal(20, latency.TotalCount);
        Assert.True(service.GetValueAtPercentile(0) >= 90_000, $"service time min {service.GetValueAtPercentile(0)} us");
        var queued = latency.GetMean() - service.GetMean();
        Assert.True(queued >= 400_000, $"latency mean {latency.GetMean():0} us, service time mean {service.GetMean():0} us");
        var lag = HistogramCodec.Decode(result.SchedulingLag);
        Assert.Equal(20, lag.TotalCount);
        if (loop && LinuxEventLoop.IsSupported)
        {
            // Each arrival is emitted before it waits for the one connection and is handed off after: the loop's own
            // lateness is part of the lag, and here most of the lag is that wait.
            var emitted = LastEmitLateness!;
            Assert.True(emitted.GetMean() <= lag.GetMean() * 1.01 + 1_000, $"emit lateness mean {emitted.GetMean():0} us, lag mean {lag.GetMean():0} us");
        }
    }

    [Fact]
    public async Task TimerSlack_ArrivalsGoOutUpToItLate_AndLatencyStillCountsFromTheirIntendedStart()
    {
        if (!LinuxEventLoop.IsSupported)
        {
            return;
        }

        // 50/s: an arrival every 20 ms, answered at once. With a 10 ms slack the wait for each arrival ends ~10 ms after
        // its due time (no response wakes the loop in between), so the lag is about 10 ms where it is about zero
        // without; a slower machine only adds to it. Nothing is lost: every arrival goes out, none before it is due.
        var server = Answering("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        ShardResult result;
        await using (server)
        {
            var plan = OpenPlan(server.Url("/"), rate: 50, TimeSpan.FromSeconds(1), connections: 2) with { TimerSlack = TimeSpan.FromMilliseconds(10) };
            result = await RunAsync(plan);
        }

        Assert.Equal(50, result.ScheduledArrivals);
        Assert.Equal(50, result.Requests);
        Assert.Equal(0, result.Errors.Total);
        var lag = HistogramCodec.Decode(result.SchedulingLag);
        var latency = HistogramCodec.Decode(result.Latency);
        Assert.True(lag.GetMean() >= 5_000, $"lag mean {lag.GetMean():0} us: the slack was not applied");
        Assert.True(latency.GetMean() >= lag.GetMean(), $"latency mean {latency.GetMean():0} us below the lag mean {lag.GetMean():0} us");
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public async Task FastArrivals_SleepsBetweenThemAreQuiet_AndEveryResponseIsStillReadAndTimedFromItsIntendedStart(bool prompt, bool timerfdOnly)
    {
        if (!LinuxEventLoop.IsSupported)
        {
            return;
        }

        // 1,250/s: an arrival every 0.8 ms, each answered after 2 ms. Between arrivals the loop sleeps quietly (no
        // response ends the sleep; each is read at the next wake-up, its end stamped by the kernel), unless told to be
        // prompt. Either way every arrival is sent and answered (no in-flight cap to drop any while the in-process
        // server warms up), its latency counted from its intended start.
        var server = RawHttpServer.AnsweringAfter(TimeSpan.FromMilliseconds(2));
        ShardResult result;
        await using (server)
        {
            var plan = OpenPlan(server.Url("/"), rate: 1_250, TimeSpan.FromSeconds(0.8), connections: 50, maxInFlight: 100_000);
            result = await RunAsync(plan, timerfdOnly: timerfdOnly, prompt: prompt);
        }

        Assert.Null(result.FailureReason);
        Assert.Equal(1_000, result.ScheduledArrivals);
        Assert.Equal(1_000, result.Successes);
        Assert.Equal(0, result.DroppedArrivals);
        var latency = HistogramCodec.Decode(result.Latency);
        var service = HistogramCodec.Decode(result.ServiceTime);
        Assert.Equal(1_000, latency.TotalCount);
        Assert.True(latency.GetMean() >= service.GetMean(), $"latency mean {latency.GetMean():0} us below the service time mean {service.GetMean():0} us");
        if (prompt)
        {
            Assert.Equal(0, LastLoopWaits.Quiet);
        }
        else
        {
            // Only the waits before the start, while connecting and in the drain are not quiet.
            Assert.True(LastLoopWaits.Quiet * 2 > LastLoopWaits.Total, $"{LastLoopWaits.Quiet} of {LastLoopWaits.Total} waits quiet");
        }
    }

    [Fact]
    public async Task ArrivalsWaitingForAConnection_TheLoopIsNeverQuiet_SoEachResponseFreesItsConnectionAtOnce()
    {
        if (!LinuxEventLoop.IsSupported)
        {
            return;
        }

        // One connection, answers after 5 ms, an arrival every 0.8 ms: from the second arrival on, arrivals queue for the
        // connection. A quiet sleep would leave each response unread until the next arrival; so while any arrival waits
        // for a connection, every wait is prompt, and the queue drains one exchange per answer.
        var server = RawHttpServer.AnsweringAfter(TimeSpan.FromMilliseconds(5));
        ShardResult result;
        await using (server)
        {
            var plan = OpenPlan(server.Url("/"), rate: 1_250, TimeSpan.FromSeconds(0.2), connections: 1, maxInFlight: 100_000);
            result = await RunAsync(plan);
        }

        Assert.Equal(250, result.ScheduledArrivals);
        Assert.Equal(250, result.Successes);
        Assert.True(LastLoopWaits.Quiet <= 1, $"{LastLoopWaits.Quiet} of {LastLoopWaits.Total} waits quiet while arrivals waited for the connection");
    }

    [Fact]
    public async Task Overloaded_ManyResponsesReadyWhileArrivalsFallDue_EachSocketEventIsReportedOnce()
    {
        if (!LinuxEventLoop.IsSupported)
        {
            return;
        }

        // 20,000/s against 100 connections answered after 10 ms (at most 10,000/s): arrivals queue, the loop runs behind,
        // and while it serves a batch of ready responses the next arrival keeps falling due. It stops part-way to emit
        // it, then serves the rest of the batch before waiting again: each response's readiness is reported once. A
        // loop that waited again instead would have the rest reported anew, again and again (each re-wait re-polls
        // every ready socket: quadratic, the loop's CPU per request grew fourfold on a bench at 20,000/s).
        var server = RawHttpServer.AnsweringAfter(TimeSpan.FromMilliseconds(10));
        ShardResult result;
        await using (server)
        {
            var plan = OpenPlan(server.Url("/"), rate: 20_000, TimeSpan.FromSeconds(0.5), connections: 100, maxInFlight: 100_000, timeout: TimeSpan.FromSeconds(30));
            result = await RunAsync(plan);
        }

        Assert.Null(result.FailureReason);
        Assert.Equal(10_000, result.ScheduledArrivals);
        Assert.Equal(10_000, result.Successes);

        // One event a response, plus the connects' (two a connection at most, a reconnect now and then).
        Assert.True(
            LastLoopWaits.Events <= result.Successes + 300,
            $"{LastLoopWaits.Events} socket events reported for {result.Successes} responses over 100 connections");
    }

    [Fact]
    public async Task InFlightCapReached_LaterArrivalsAreDroppedAndCounted()
    {
        // The server never answers: the first 3 arrivals take the 3 slots until their 3 s timeout, long after the 10
        // arrivals of the half-second timeline came due; the other 7 are dropped.
        var received = new StrongBox<int>();
        var server = NeverAnswering(received);
        ShardResult result;
        await using (server)
        {
            result = await RunAsync(OpenPlan(server.Url("/never"), rate: 20, TimeSpan.FromSeconds(0.5), connections: 3, maxInFlight: 3, timeout: TimeSpan.FromSeconds(3)));
        }

        Assert.Equal(10, result.ScheduledArrivals);
        Assert.Equal(7, result.DroppedArrivals);
        Assert.Equal(7, result.Timeline.Sum(w => w.Dropped));
        Assert.Equal(3, result.Requests);
        Assert.Equal(3, result.Errors.Timeout);
        Assert.Equal(3, Volatile.Read(ref received.Value));
        Assert.All(result.Timeline, w => Assert.InRange(w.InFlightMax, 0, 3));
        Assert.Contains(result.SampleErrors, e => e == "Timeout: no response within 3000 ms");
    }

    [Fact]
    public async Task ConnectionRefused_EachArrivalIsAConnectError()
    {
        var port = TestPorts.Closed();
        var result = await RunAsync(OpenPlan($"http://127.0.0.1:{port}/x", rate: 20, TimeSpan.FromSeconds(0.5), connections: 2));

        Assert.Equal(10, result.Requests);
        Assert.Equal(10, result.Errors.Connect);
        Assert.Equal(10, result.Errors.Total);
        Assert.Equal(10, HistogramCodec.Decode(result.SchedulingLag).TotalCount);
        Assert.Contains(result.SampleErrors, e => e == $"ConnectFailed: connect to 127.0.0.1:{port} failed: ConnectionRefused");
    }

    [Fact]
    public async Task AddressRefusedByThePolicy_NothingIsDialled()
    {
        var server = Answering("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        ShardResult result;
        await using (server)
        {
            var plan = OpenPlan(server.Url("/x"), rate: 20, TimeSpan.FromSeconds(0.5), connections: 2);
            result = await RunAsync(plan, new TransportOptions { MaxConnections = 2, Policy = new TargetPolicy(["example.com"]) });
            Assert.Equal(0, server.Accepted);
        }

        Assert.Equal(10, result.Errors.Connect);
        Assert.Equal(0, result.Successes);
        Assert.Contains(result.SampleErrors, e => e.StartsWith(
            "ConnectFailed: no address of 127.0.0.1 is allowed by the target policy: 127.0.0.1 is not in the target allow-list", StringComparison.Ordinal));
    }

    [Fact]
    public async Task HostName_ResolvedThenAllowedByThePolicy()
    {
        var server = Answering("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        ShardResult result;
        await using (server)
        {
            result = await RunAsync(OpenPlan($"http://localhost:{server.Port}/name", rate: 20, TimeSpan.FromSeconds(0.5), connections: 2));
        }

        Assert.Equal(10, result.Successes);
        Assert.Equal(0, result.Errors.Total);
    }

    [Fact]
    public async Task ResetByTheServer_IsAnIoErrorOnAFreshConnection()
    {
        // The server closes with the request unread, which makes the kernel answer with a reset.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var stop = new CancellationTokenSource();
        var accepted = 0;
        var serve = Task.Run(async () =>
        {
            var buffer = new byte[16];
            while (!stop.IsCancellationRequested)
            {
                Socket socket;
                try
                {
                    socket = await listener.AcceptSocketAsync(stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                Interlocked.Increment(ref accepted);
                using (socket)
                {
                    await socket.ReceiveAsync(buffer, SocketFlags.Peek);
                    socket.LingerState = new LingerOption(true, 0);
                }
            }
        });

        var result = await RunAsync(OpenPlan($"http://127.0.0.1:{port}/reset", rate: 20, TimeSpan.FromSeconds(0.5), connections: 1));
        await stop.CancelAsync();
        await serve;

        Assert.Equal(10, result.Requests);
        Assert.Equal(10, result.Errors.Total);
        Assert.Equal(0, result.Successes);
        Assert.Equal(10, Volatile.Read(ref accepted));
        Assert.Contains(result.SampleErrors, e => e == "IoError: connection broke: ConnectionReset");
    }

    [Fact]
    public async Task NoAnswer_TimesOutAfterTheRequestTimeout()
    {
        var server = NeverAnswering();
        ShardResult result;
        await using (server)
        {
            result = await RunAsync(OpenPlan(server.Url("/never"), rate: 10, TimeSpan.FromSeconds(0.5), connections: 5, timeout: TimeSpan.FromMilliseconds(300)));
        }

        Assert.Equal(5, result.Requests);
        Assert.Equal(5, result.Errors.Timeout);
        var latency = HistogramCodec.Decode(result.Latency);
        Assert.Equal(5, latency.TotalCount);
        Assert.True(latency.GetValueAtPercentile(0) >= 290_000, $"latency min {latency.GetValueAtPercentile(0)} us");
        Assert.Contains(result.SampleErrors, e => e == "Timeout: no response within 300 ms");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task EndOfTimeline_ExchangesUnderWayAreAwaitedAndCounted(bool timerfdOnly)
    {
        // Every answer takes 300 ms: when the half-second timeline ends, the last arrivals are still on the wire.
        var server = RawHttpServer.AnsweringAfter(TimeSpan.FromMilliseconds(300));
        ShardResult result;
        await using (server)
        {
            result = await RunAsync(OpenPlan(server.Url("/slow"), rate: 20, TimeSpan.FromSeconds(0.5), connections: 10), timerfdOnly: timerfdOnly);
        }

        Assert.Equal(10, result.ScheduledArrivals);
        Assert.Equal(10, result.Requests);
        Assert.Equal(10, result.Successes);
        Assert.Equal(10, result.StatusCodes[200]);
        Assert.Equal(10, HistogramCodec.Decode(result.Latency).TotalCount);
    }

    [Fact]
    public async Task DrainDeadline_WhatIsUnansweredOrUnsentCountsAsTimeout()
    {
        // The plan's timeout (200 ms) sets the drain; the transport's (30 s) never fires. One connection, a server that
        // never answers: the first arrival waits on the wire, the other four for the connection, until the drain
        // deadline (last arrival + 200 ms + 1 s) ends them all as timeouts.
        var received = new StrongBox<int>();
        var server = NeverAnswering(received);
        ShardResult result;
        await using (server)
        {
            var plan = OpenPlan(server.Url("/never"), rate: 10, TimeSpan.FromSeconds(0.5), connections: 1, timeout: TimeSpan.FromMilliseconds(200));
            result = await RunAsync(plan, new TransportOptions { RequestTimeout = TimeSpan.FromSeconds(30), MaxConnections = 1 });
        }

        Assert.Equal(5, result.ScheduledArrivals);
        Assert.Equal(5, result.Errors.Timeout);
        Assert.Equal(5, result.Errors.Total);
        Assert.Equal(1, Volatile.Read(ref received.Value));
        Assert.Contains(result.SampleErrors, e => e == "Timeout: not sent: no free connection before the drain deadline");
    }

    [Fact]
    public async Task ServerClosesAfterEachAnswer_TheNextArrivalConnectsAgain()
    {
        var server = new RawHttpServer(async connection =>
        {
            if (await connection.ReadRequestAsync() is not null)
            {
                // Keep-alive by the headers, closed right after: the idle connection dies under the client.
                await connection.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
                connection.Close();
            }
        });
        ShardResult result;
        await using (server)
        {
            result = await RunAsync(OpenPlan(server.Url("/once"), rate: 20, TimeSpan.FromSeconds(0.5), connections: 1));
            Assert.Equal(10, server.Accepted);
        }

        Assert.Equal(10, result.Requests);
        Assert.Equal(10, result.Successes);
        Assert.Equal(0, result.Errors.Total);
    }

    [Fact]
    public async Task ChecksInstanceHeaderAndServerTiming_RecordedAsOnTheWorkers()
    {
        await using var target = await SampleTargetHost.StartAsync(new SampleTargetOptions { Urls = "http://127.0.0.1:0" });

        var result = await RunAsync(ItemsAndHelloPlan(target.BaseUrl, insecure: false));

        var hello = AssertItemsAndHello(result);
        Assert.Equal(hello.Requests, hello.StatusCodes[200]);
        var byKey = result.Checks.ToDictionary(c => c.Key);
        Assert.Equal((hello.Requests, 0L), (byKey["hello.status in [200]"].Passed, byKey["hello.status in [200]"].Failed));
        Assert.Equal((0L, hello.Requests), (byKey["hello.json $.status == \"ok\""].Passed, byKey["hello.json $.status == \"ok\""].Failed));
        Assert.Contains(result.SampleErrors, e => e.Contains("check 'json $.status == \"ok\"' failed", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Https_RunsOnTheLoopWithTheSameResultsAsOnTheWorkers(bool loop)
    {
        // Kestrel over TLS 1.3 (it sends session tickets after the handshake, which the loop must take in its stride),
        // four connections, a mix of two requests with checks: the loop and the workers must count the same.
        await using var target = await SampleTargetHost.StartAsync(new SampleTargetOptions { Urls = "https://127.0.0.1:0" });

        var result = await RunAsync(ItemsAndHelloPlan(target.BaseUrl, insecure: true), allowLoop: loop);

        AssertItemsAndHello(result);
        Assert.Equal(0, result.Errors.Connect + result.Errors.Timeout + result.Errors.Other);
        Assert.Equal((target.InstanceId, 20L), (Assert.Single(result.Instances).InstanceId, result.Instances[0].Requests));
    }

    [Fact]
    public async Task Https_CertificateNotTrusted_EveryArrivalIsTlsFailed()
    {
        // The sample target's certificate is self-signed; without insecureSkipTlsVerify nothing may be sent over it.
        await using var target = await SampleTargetHost.StartAsync(new SampleTargetOptions { Urls = "https://127.0.0.1:0" });
        var port = new Uri(target.BaseUrl).Port;

        var result = await RunAsync(OpenPlan(target.BaseUrl + "/api/hello", rate: 10, TimeSpan.FromSeconds(0.5), connections: 2));

        Assert.Equal(5, result.Requests);
        Assert.Equal(5, result.Errors.Connect);
        Assert.Equal(0, result.Successes);
        Assert.Contains(
            $"TlsFailed: TLS handshake with 127.0.0.1:{port} failed: The remote certificate is invalid because of errors in the certificate chain: UntrustedRoot",
            result.SampleErrors);
    }

    [Fact]
    public async Task Https_PeerNeverAnswersTheHandshake_TlsFailedAfterTheConnectTimeout()
    {
        // The server reads the ClientHello and says nothing: the connect timeout (it bounds the handshake too) ends
        // each arrival as a TLS failure long before the request timeout would.
        var server = NeverAnswering();
        var port = server.Port;
        ShardResult result;
        await using (server)
        {
            var plan = OpenPlan($"https://127.0.0.1:{port}/never", rate: 10, TimeSpan.FromSeconds(0.5), connections: 5, timeout: TimeSpan.FromSeconds(20));
            result = await RunAsync(plan, new TransportOptions { RequestTimeout = TimeSpan.FromSeconds(20), ConnectTimeout = TimeSpan.FromMilliseconds(300), MaxConnections = 5 });
        }

        Assert.Equal(5, result.Requests);
        Assert.Equal(5, result.Errors.Connect);
        Assert.Equal(0, result.Errors.Timeout);
        Assert.Contains($"TlsFailed: TLS handshake with 127.0.0.1:{port} timed out after 300 ms", result.SampleErrors);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Https_WithAStartLead_EveryConnectionIsOpenBeforeTheFirstRequest(bool lead)
    {
        // Four connections and a single arrival: one connection would do. With a start lead the loop opens (and
        // handshakes) all four before its first intended start; without one, only the one the arrival needs.
        var handshakes = new ConcurrentQueue<long>();
        var requests = new ConcurrentQueue<long>();
        using var certificate = SampleTargetHost.CreateSelfSignedCertificate();
        var server = TlsAnswering(certificate, handshakes, requests);
        ShardResult result;
        await using (server)
        {
            var url = $"https://127.0.0.1:{server.Port}/x";
            var plan = OpenPlan(url, rate: 2, TimeSpan.FromSeconds(0.5), connections: 4) with
            {
                Requests = [new RequestTemplate { Method = "GET", Url = url, InsecureSkipTlsVerify = true }],
                StartAt = lead ? DateTimeOffset.UtcNow + ShardRun.ConnectLead : default,
            };
            result = await RunAsync(plan);
        }

        Assert.Equal((1L, 1L), (result.Requests, result.Successes));
        var request = Assert.Single(requests);
        Assert.Equal(lead ? 4 : 1, handshakes.Count);
        Assert.True(handshakes.Max() < request, "the request came before every connection had its handshake");
    }

    [Fact]
    public async Task Https_WithAStartLead_ConnectionRefused_EachArrivalIsAConnectErrorAsBefore()
    {
        // The connections opened ahead fail silently; each arrival then connects itself and reports as without a lead.
        var port = TestPorts.Closed();
        var url = $"https://127.0.0.1:{port}/x";
        var plan = OpenPlan(url, rate: 20, TimeSpan.FromSeconds(0.5), connections: 2) with
        {
            Requests = [new RequestTemplate { Method = "GET", Url = url, InsecureSkipTlsVerify = true }],
            StartAt = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(0.5),
        };

        var result = await RunAsync(plan);

        Assert.Equal(10, result.Requests);
        Assert.Equal(10, result.Errors.Connect);
        Assert.Equal(10, result.Errors.Total);
        Assert.Contains(result.SampleErrors, e => e == $"ConnectFailed: connect to 127.0.0.1:{port} failed: ConnectionRefused");
    }

    [Fact]
    public async Task Cancelled_StopsAtOnceAndCountsNothingCut()
    {
        var received = new StrongBox<int>();
        var server = NeverAnswering(received);
        using var cts = new CancellationTokenSource();
        ShardResult result;
        await using (server)
        {
            var run = RunAsync(OpenPlan(server.Url("/never"), rate: 100, TimeSpan.FromSeconds(30), connections: 2), cancellationToken: cts.Token);
            while (Volatile.Read(ref received.Value) < 2)
            {
                await Task.Delay(20);
            }

            // Both connections are stuck: a backlog builds behind them while the timeline goes on.
            await Task.Delay(300);
            await cts.CancelAsync();
            result = await run.WaitAsync(TimeSpan.FromSeconds(20)); // liveness only
        }

        // Two exchanges were cut (not counted, not errors); the backlog behind them was never sent.
        Assert.Null(result.FailureReason);
        Assert.Equal(0, result.Requests);
        Assert.Equal(0, result.Errors.Total);
        Assert.Equal(2, Volatile.Read(ref received.Value));
        Assert.True(result.ScheduledArrivals > 2, $"{result.ScheduledArrivals} scheduled");
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    /// <summary>A loopback server that reads requests and never answers, counting them in <paramref name="received"/>.</summary>
    private static RawHttpServer NeverAnswering(StrongBox<int>? received = null) => new(async connection =>
    {
        while (await connection.ReadRequestAsync() is not null)
        {
            if (received is not null)
            {
                Interlocked.Increment(ref received.Value);
            }
        }
    });

    /// <summary>
    /// 20 arrivals over half a second on 4 connections, mixing <c>/api/items</c> (passes both checks) and
    /// <c>/api/hello</c> (fails the JSON check), seeded.
    /// </summary>
    private static ShardPlan ItemsAndHelloPlan(string baseUrl, bool insecure)
    {
        var checks = new List<CheckSpec> { new("status in [200]"), new("json $.status == \"ok\"") };
        return OpenPlan(baseUrl + "/api/hello", rate: 40, TimeSpan.FromSeconds(0.5), connections: 4) with
        {
            Requests =
            [
                new RequestTemplate { Name = "items", Method = "GET", Url = baseUrl + "/api/items?count=2", Checks = checks, InsecureSkipTlsVerify = insecure },
                new RequestTemplate { Name = "hello", Method = "GET", Url = baseUrl + "/api/hello", Checks = checks, InsecureSkipTlsVerify = insecure },
            ],
            Seed = 3,
        };
    }

    /// <summary>
    /// A TLS server on loopback answering every request at once; it notes when each handshake finished and each request
    /// arrived (stopwatch ticks).
    /// </summary>
    internal static RawHttpServer TlsAnswering(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate, ConcurrentQueue<long> handshakes, ConcurrentQueue<long> requests) => new(async connection =>
    {
        await using var ssl = new System.Net.Security.SslStream(connection.OpenStream());
        await ssl.AuthenticateAsServerAsync(new System.Net.Security.SslServerAuthenticationOptions { ServerCertificate = certificate });
        handshakes.Enqueue(System.Diagnostics.Stopwatch.GetTimestamp());
        var buffer = new byte[4096];
        var text = "";
        while (await ssl.ReadAsync(buffer) is var read and > 0)
        {
            text += System.Text.Encoding.Latin1.GetString(buffer, 0, read);
            while (text.IndexOf("\r\n\r\n", StringComparison.Ordinal) is var end and >= 0)
            {
                text = text[(end + 4)..];
                requests.Enqueue(System.Diagnostics.Stopwatch.GetTimestamp());
                await ssl.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"u8.ToArray());
            }
        }
    });

    /// <summary>What <see cref="ItemsAndHelloPlan"/> must give: 20 requests of both kinds, items all good, hello failing its JSON check; returns hello's.</summary>
    private static RequestResult AssertItemsAndHello(ShardResult result)
    {
        var items = result.PerRequest.Single(r => r.Name == "items");
        var hello = result.PerRequest.Single(r => r.Name == "hello");
        Assert.Equal(20, items.Requests + hello.Requests);
        Assert.True(items.Requests > 0 && hello.Requests > 0, $"items {items.Requests}, hello {hello.Requests}");
        Assert.Equal(items.Requests, items.Successes);
        Assert.Equal(hello.Requests, hello.Errors.Check);
        return hello;
    }

    /// <summary>A loopback server that answers every request at once with <paramref name="response"/>.</summary>
    private static RawHttpServer Answering(string response) => new(async connection =>
    {
        while (await connection.ReadRequestAsync() is not null)
        {
            await connection.WriteAsync(response);
        }
    });
}
