using System.Collections.Concurrent;
using System.Diagnostics;
using Yardstick.Core.Datasets;
using Yardstick.Core.Load;
using Yardstick.Core.Load.Requests;
using Yardstick.Core.Load.Transports;
using Yardstick.Core.Load.Transports.Lean;
using Yardstick.Core.Measurements;
using Yardstick.Core.Tests.Load.Requests;
using Yardstick.Core.Workloads;
using Yardstick.SampleTarget;
using Yardstick.Testing;

namespace Yardstick.Core.Tests.Load;

/// <summary>
/// The closed model on its epoll loop (HTTP/1.1, lean transport, Linux) and on the task-per-user path, each test run on
/// both: the same rules must give the same counts. Every test checks which path ran, against real loopback servers,
/// bounded in count and time. No assertion on how long anything took; only bounds that follow from the servers'
/// behaviour (a think time can only make a user slower, never faster).
/// </summary>
[Collection(RealLoadCollection.Name)]
public sealed class ClosedEventLoopTests
{
    private static ShardPlan ClosedPlan(string url, int users, TimeSpan duration, TimeSpan? timeout = null) => new()
    {
        RunId = "closed",
        Workload = "closed",
        Request = new RequestTemplate { Method = "GET", Url = url },
        Model = LoadModel.Closed,
        Concurrency = users,
        Connections = users,
        Duration = duration,
        RequestTimeout = timeout ?? TimeSpan.FromSeconds(5),
    };

    private static async Task<ShardResult> RunAsync(
        ShardPlan plan, bool loop, IDataRows? rows = null, LeanTlsEngine? tlsEngine = null, CancellationToken cancellationToken = default)
    {
        var catalog = RequestCatalog.Compile(plan.Requests, new RequestCatalogOptions { Data = rows });
        await using var transport = HttpTransportFactory.Create(
            catalog,
            new TransportOptions { RequestTimeout = plan.RequestTimeout, MaxConnections = plan.Concurrency, ConnectTimeout = TimeSpan.FromSeconds(2), TlsEngine = tlsEngine });
        var generator = new LoadGenerator(TimeProvider.System) { AllowEventLoop = loop };
        var result = await generator.RunAsync(plan, transport, progress: null, cancellationToken);

        Assert.Equal(loop && LinuxEventLoop.IsSupported, generator.LastRunOnEventLoop);
        Assert.Null(generator.LastRunEmitLateness); // an open-model diagnostic only
        Assert.InRange(result.Timeline.Max(w => (int?)w.InFlightMax) ?? 0, 0, plan.Concurrency);
        return result;
    }

    /// <summary>A server answering every request at once, noting each request's first line by the connection it came on.</summary>
    private static RawHttpServer Answering(ConcurrentDictionary<int, ConcurrentQueue<string>> byConnection, string extraHeaders = "") => new(async connection =>
    {
        while (await connection.ReadRequestAsync() is { } request)
        {
            byConnection.GetOrAdd(connection.Index, _ => new ConcurrentQueue<string>()).Enqueue(request[..request.IndexOf("\r\n", StringComparison.Ordinal)]);
            await connection.WriteAsync($"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n{extraHeaders}\r\nok");
            if (extraHeaders.Contains("Connection: close", StringComparison.Ordinal))
            {
                connection.Close();
                return;
            }
        }
    });

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Journey_EachUserWalksTheStepsInOrderOnItsConnection_EveryStepOfAWalkSharesItsRow(bool loop)
    {
        // Steps login, browse, browse over data rows "0", "1", …: on each connection (one user's) the paths must run
        // a, b, b, a, b, b, … and the three steps of one walk carry the same row, a row no other walk took.
        var byConnection = new ConcurrentDictionary<int, ConcurrentQueue<string>>();
        var rows = new FakeRows(["id"], Enumerable.Range(0, 100_000).Select(i => new[] { i.ToString(System.Globalization.CultureInfo.InvariantCulture) }).ToList());
        ShardResult result;
        await using (var server = Answering(byConnection))
        {
            var plan = ClosedPlan(server.Url("/"), users: 3, TimeSpan.FromSeconds(0.5)) with
            {
                Requests =
                [
                    new RequestTemplate { Name = "login", Method = "GET", Url = server.Url("/a/${data.id}") },
                    new RequestTemplate { Name = "browse", Method = "GET", Url = server.Url("/b/${data.id}") },
                ],
                Steps = [new JourneyStep(0), new JourneyStep(1), new JourneyStep(1)],
            };
            result = await RunAsync(plan, loop, rows);
        }

        Assert.Equal(3, byConnection.Count);
        var walks = new List<string>();
        foreach (var (_, lines) in byConnection)
        {
            var paths = lines.Select(l => l.Split(' ')[1]).ToList();
            for (var i = 0; i < paths.Count; i++)
            {
                var walkStart = paths[i - (i % 3)];
                var row = walkStart.Split('/')[2];
                Assert.Equal((i % 3 == 0 ? "/a/" : "/b/") + row, paths[i]);
                if (i % 3 == 0)
                {
                    walks.Add(row);
                }
            }
        }

        Assert.Equal(walks.Count, walks.Distinct().Count());
        Assert.Equal(byConnection.Sum(c => c.Value.Count), result.Requests);
        Assert.Equal(result.Requests, result.Successes);
        Assert.Equal(result.Requests, result.ScheduledArrivals);
        Assert.Equal(0, HistogramCodec.Decode(result.SchedulingLag).TotalCount); // a closed model has no timeline to lag
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ThinkTime_EachUserPausesBetweenExchanges(bool loop)
    {
        // 2 users, 100 ms think time, 1 s: at most 11 exchanges each however fast the server answers (it answers at
        // once; without the pause each user would send thousands).
        var byConnection = new ConcurrentDictionary<int, ConcurrentQueue<string>>();
        ShardResult result;
        await using (var server = Answering(byConnection))
        {
            result = await RunAsync(ClosedPlan(server.Url("/x"), users: 2, TimeSpan.FromSeconds(1)) with { ThinkTime = TimeSpan.FromMilliseconds(100) }, loop);
        }

        Assert.InRange(result.Requests, 2, 2 * 11);
        Assert.Equal(result.Requests, result.Successes);
        Assert.All(byConnection.Values, c => Assert.InRange(c.Count, 1, 11));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ConnectionRefused_EachUserBacksOff_EveryAttemptCounted(bool loop)
    {
        var result = await RunAsync(ClosedPlan($"http://127.0.0.1:{TestPorts.Closed()}/", users: 2, TimeSpan.FromSeconds(1)), loop);

        Assert.Equal(result.Requests, result.Errors.Connect);
        Assert.InRange(result.Requests, 2, 2 * 20); // 10 ms back-off doubling: a handful per user, not thousands
        Assert.Contains(result.SampleErrors, e => e.StartsWith("ConnectFailed", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ServerNeverAnswers_EachExchangeTimesOut_AndTheUserGoesOnOnANewConnection(bool loop)
    {
        // A 300-ms request timeout in a 1-s run: each user's exchanges time out (at least 300 ms each, so at most 4),
        // each on a connection of its own (a timed-out connection is not reused).
        var server = new RawHttpServer(async connection =>
        {
            while (await connection.ReadRequestAsync() is not null)
            {
                // Never answers; the client closes.
            }
        });
        ShardResult result;
        await using (server)
        {
            result = await RunAsync(ClosedPlan(server.Url("/never"), users: 2, TimeSpan.FromSeconds(1), timeout: TimeSpan.FromMilliseconds(300)), loop);
        }

        Assert.InRange(result.Requests, 2, 2 * 4);
        Assert.Equal(result.Requests, result.Errors.Timeout);
        Assert.Equal(result.Requests, server.Accepted);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AtTheEnd_ExchangesUnderWayAreWaitedFor_NotCut(bool loop)
    {
        // Each answer takes 1.5 s; the run lasts 0.5 s: each user's one exchange is under way at the end and must be
        // waited for (its timeout is 5 s) and counted as the success it is.
        var server = RawHttpServer.AnsweringAfter(TimeSpan.FromMilliseconds(1500));
        ShardResult result;
        await using (server)
        {
            result = await RunAsync(ClosedPlan(server.Url("/slow"), users: 2, TimeSpan.FromSeconds(0.5)), loop);
        }

        Assert.Equal(2, result.Requests);
        Assert.Equal(2, result.Successes);
        Assert.True(HistogramCodec.Decode(result.Latency).GetValueAtPercentile(0) >= 1_400_000, "latency counts from each exchange's own start");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ServerClosesAfterEveryResponse_EachExchangeConnectsAfresh_NoErrors(bool loop)
    {
        var byConnection = new ConcurrentDictionary<int, ConcurrentQueue<string>>();
        ShardResult result;
        var server = Answering(byConnection, "Connection: close\r\n");
        await using (server)
        {
            result = await RunAsync(ClosedPlan(server.Url("/once"), users: 2, TimeSpan.FromSeconds(0.5)), loop);
        }

        Assert.True(result.Requests >= 2);
        Assert.Equal(result.Requests, result.Successes);
        Assert.Equal(0, result.Errors.Total);
        Assert.All(byConnection.Values, c => Assert.Single(c));
        Assert.Equal(result.Requests, byConnection.Count);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task DataRunsOut_EachUserStops_AndTheRunEndsBeforeItsDuration(bool loop)
    {
        // Five rows for a 30-s run: rows 0–4 are sent once each; the first user to find no row stops, and so does the
        // other, so the run ends long before its 30 s.
        var byConnection = new ConcurrentDictionary<int, ConcurrentQueue<string>>();
        var rows = new FakeRows(["id"], [["0"], ["1"], ["2"], ["3"], ["4"]], limit: 5);
        ShardResult result;
        await using (var server = Answering(byConnection))
        {
            var plan = ClosedPlan(server.Url("/u/${data.id}"), users: 2, TimeSpan.FromSeconds(30));
            result = await RunAsync(plan, loop, rows).WaitAsync(TimeSpan.FromSeconds(20)); // liveness only
        }

        var paths = byConnection.Values.SelectMany(c => c).Select(l => l.Split(' ')[1]).Order().ToList();
        Assert.Equal(["/u/0", "/u/1", "/u/2", "/u/3", "/u/4"], paths);
        Assert.Equal(5, result.Successes);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Cancelled_StopsAtOnce_WhatWasMeasuredIsKept(bool loop)
    {
        // Answers take 200 ms; the run (30 s) is cancelled after 0.6 s. At most one request per user can straddle the
        // cancellation, and the cut exchanges are neither counted nor errors.
        const int users = 3;
        var received = new ConcurrentQueue<long>();
        var server = RawHttpServer.AnsweringAfter(TimeSpan.FromMilliseconds(200), received);
        using var cts = new CancellationTokenSource();
        ShardResult result;
        long cancelledAt;
        await using (server)
        {
            var run = RunAsync(ClosedPlan(server.Url("/slow"), users, TimeSpan.FromSeconds(30)), loop, cancellationToken: cts.Token);
            await Task.Delay(TimeSpan.FromSeconds(0.6));
            cancelledAt = Stopwatch.GetTimestamp();
            await cts.CancelAsync();
            result = await run.WaitAsync(TimeSpan.FromSeconds(20)); // liveness only
        }

        Assert.InRange(received.Count(t => t > cancelledAt), 0, users);
        Assert.Equal(0, result.Errors.Total);
        Assert.Equal(result.Requests, result.Successes);
        Assert.InRange(result.Requests, Math.Max(0, received.Count - users), received.Count);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Https_OnTheOpenSslEngine_OneHandshakePerUser_EveryExchangeASuccess(bool loop)
    {
        // A TLS 1.3 server on loopback (SslStream sends session tickets after the handshake, which the loop must take
        // in its stride): 2 users for half a second, one connection (one handshake) each, every exchange answered.
        using var certificate = SampleTargetHost.CreateSelfSignedCertificate();
        var handshakes = new ConcurrentQueue<long>();
        var requests = new ConcurrentQueue<long>();
        var server = PacedEventLoopTests.TlsAnswering(certificate, handshakes, requests);
        ShardResult result;
        await using (server)
        {
            var url = $"https://127.0.0.1:{server.Port}/x";
            var plan = ClosedPlan(url, users: 2, TimeSpan.FromSeconds(0.5)) with
            {
                Requests = [new RequestTemplate { Method = "GET", Url = url, InsecureSkipTlsVerify = true }],
            };
            result = await RunAsync(plan, loop, tlsEngine: LeanTlsEngine.OpenSsl);
        }

        Assert.True(result.Requests > 2);
        Assert.Equal(result.Requests, result.Successes);
        Assert.Equal(result.Requests, requests.Count);
        Assert.Equal(2, handshakes.Count);
    }
}
