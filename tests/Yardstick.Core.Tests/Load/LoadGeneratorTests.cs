using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using HdrHistogram;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;
using Yardstick.Core.Load;
using Yardstick.Core.Load.Transports;
using Yardstick.Core.Tests.Load.Transports.Lean;
using Yardstick.Core.Measurements;
using Yardstick.Core.Tests.Measurements;
using Yardstick.Core.Workloads;
using Yardstick.SampleTarget;
using Yardstick.Testing;

namespace Yardstick.Core.Tests.Load;

/// <summary>Real load against the in-process sample target on loopback; each test is bounded to a few seconds.</summary>
[Collection(RealLoadCollection.Name)]
public sealed class LoadGeneratorTests(ITestOutputHelper output)
{
    /// <summary>An open-model plan of one GET (shared with the paced loop's tests).</summary>
    internal static ShardPlan OpenPlan(string url, double rate, TimeSpan duration, int connections = 4, int maxInFlight = 1000, TimeSpan? timeout = null) => new()
    {
        RunId = "test",
        Workload = "test",
        Request = new RequestTemplate { Method = "GET", Url = url },
        Model = LoadModel.Open,
        Arrivals = ArrivalCurve.Constant(Rate.FromPerSecond(rate), duration),
        Duration = duration,
        Connections = connections,
        MaxInFlight = maxInFlight,
        RequestTimeout = timeout ?? TimeSpan.FromSeconds(10),
    };

    private static Task<ShardResult> RunAsync(ShardPlan plan, ILoadProgress? progress = null, CancellationToken cancellationToken = default) =>
        RunAsync(plan, TimeProvider.System, progress, cancellationToken);

    /// <summary>
    /// With a <see cref="FakeTimeProvider"/> the shard's wall clock (its start time, and so its start delay) is the
    /// test's to move; the load itself still runs on the stopwatch. Everything up to the wait for the start runs before
    /// this returns, so the caller may advance the clock at once.
    /// </summary>
    private static async Task<ShardResult> RunAsync(ShardPlan plan, TimeProvider time, ILoadProgress? progress = null, CancellationToken cancellationToken = default)
    {
        await using var transport = HttpTransportFactory.Create(
            plan.Request, new TransportOptions { RequestTimeout = plan.RequestTimeout, MaxConnections = Math.Max(plan.Connections, plan.Concurrency) });
        return await new LoadGenerator(time).RunAsync(plan, transport, progress, cancellationToken);
    }

    /// <summary>The sample target on loopback, with its fault toggles (<c>/api/stall</c>) on.</summary>
    private static Task<SampleTargetHost> StartTargetAsync() => SampleTargetHost.StartAsync(new SampleTargetOptions { Urls = "http://127.0.0.1:0", Admin = true });

    [Fact]
    public async Task RunAsync_OpenModel_SendsEveryScheduledArrivalAndAccountsForIt()
    {
        await using var target = await StartTargetAsync();
        var plan = OpenPlan(target.BaseUrl + "/api/hello", rate: 100, TimeSpan.FromSeconds(2));
        var progress = new CollectingProgress();

        var result = await RunAsync(plan, progress);

        Assert.Null(result.FailureReason);
        Assert.Equal(200, result.ScheduledArrivals);
        Assert.Equal(200, result.Requests);
        Assert.Equal(200, result.Successes);
        Assert.Equal(0, result.DroppedArrivals);
        Assert.Equal(0, result.Errors.Total);
        Assert.Equal(200, result.StatusCodes[200]);
        Assert.True(result.BytesReceived >= 200 * "Hello from Yardstick's sample target".Length);
        Assert.Equal(TimeSpan.FromSeconds(2), result.Duration);

        var latency = HistogramCodec.Decode(result.Latency);
        var service = HistogramCodec.Decode(result.ServiceTime);
        var lag = HistogramCodec.Decode(result.SchedulingLag);
        Assert.Equal(200, latency.TotalCount);
        Assert.Equal(200, service.TotalCount);
        Assert.Equal(200, lag.TotalCount);

        // Per-second windows: aligned to whole seconds, totals equal the shard's totals.
        Assert.Equal(result.Requests, result.Timeline.Sum(w => w.Requests));
        Assert.True(result.Timeline.Zip(result.Timeline.Skip(1)).All(p => p.First.UnixSecond < p.Second.UnixSecond));
        Assert.Equal(200, result.Timeline.Where(w => w.Histogram is not null).Sum(w => HistogramCodec.Decode(w.Histogram!).TotalCount));
        // In-flight peaks count in the second of the arrival, exchanges in the second they ended: a response that a
        // loaded runner delays past the last arrival's second ends in a window without a peak.
        Assert.All(result.Timeline, w => Assert.InRange(w.InFlightMax, 0, 4 + 1000));
        Assert.InRange(result.Timeline.Max(w => w.InFlightMax), 1, 4 + 1000);

        // One instance served everything, busy within the run.
        var instance = Assert.Single(result.Instances);
        Assert.Equal(target.InstanceId, instance.InstanceId);
        Assert.Equal(200, instance.Requests);
        Assert.InRange(instance.MaxConcurrency, 1, 4);
        Assert.NotEmpty(instance.Busy);
        // At most the shard's span (its 2 s plus the drain allowance): a stalled runner may stretch the last responses.
        Assert.True(instance.ActiveTime > TimeSpan.Zero && instance.ActiveTime <= plan.Duration + plan.RequestTimeout + ShardRun.DrainGrace, $"active {instance.ActiveTime}");

        // Progress: at least the final report, which matches the result.
        var last = progress.Reports[^1];
        Assert.Equal(plan.Key, last.ShardKey);
        Assert.Equal(200, last.Requests);
        Assert.Equal(0, last.InFlight);
    }

    [Fact]
    public async Task RunAsync_ServerStall_LatencyFromIntendedStartIncludesQueueing_ServiceTimeDoesNot()
    {
        await using var target = await StartTargetAsync();
        var plan = OpenPlan(target.BaseUrl + "/api/hello", rate: 200, TimeSpan.FromSeconds(4), connections: 4, maxInFlight: 5000);
        using var client = new HttpClient();

        var run = RunAsync(plan);
        await Task.Delay(TimeSpan.FromSeconds(1));
        using (var stall = await client.GetAsync(target.BaseUrl + "/api/stall?ms=2000"))
        {
            stall.EnsureSuccessStatusCode();
        }

        var result = await run;

        var latency = HistogramSummaries.Latency(HistogramCodec.Decode(result.Latency));
        var service = HistogramSummaries.Latency(HistogramCodec.Decode(result.ServiceTime));
        var lag = HistogramSummaries.Lag(HistogramCodec.Decode(result.SchedulingLag));
        output.WriteLine($"latency p50/p90/p99/max {latency.P50}/{latency.P90}/{latency.P99}/{latency.Max} ms; service {service.P50}/{service.P90}/{service.P99}/{service.Max} ms; lag p50/p99/max {lag.P50}/{lag.P99}/{lag.Max} ms");
        Assert.Equal(800, result.Requests + result.DroppedArrivals);
        Assert.Equal(0, result.DroppedArrivals);
        Assert.Equal(0, result.Errors.Total);

        // During the 2 s stall ~400 arrivals queue behind 4 stuck connections: measured from their intended start they
        // waited up to 2 s, so the upper percentiles of latency are in the seconds. Only the handful of exchanges that
        // were on the wire when the stall began took long to serve: service time p90 stays small.
        Assert.True(latency.P90 - service.P90 > 500, $"latency p90 {latency.P90} ms vs service time p90 {service.P90} ms");
        Assert.True(latency.Max > 1500, $"latency max {latency.Max} ms");
        Assert.True(service.P90 < 500, $"service time p90 {service.P90} ms");

        // The timeline shows the backlog: some second had hundreds in flight.
        Assert.True(result.Timeline.Max(w => w.InFlightMax) > 100, "in-flight peak during the stall");
    }

    [Fact]
    public async Task RunAsync_MaxInFlightReached_DropsAndCountsArrivals()
    {
        await using var target = await StartTargetAsync();

        // 50/s for 2 s, each taking 500 ms, at most 5 in flight: about 10/s can be served, the rest is dropped.
        var plan = OpenPlan(target.BaseUrl + "/api/work?ms=500", rate: 50, TimeSpan.FromSeconds(2), connections: 5, maxInFlight: 5);

        var result = await RunAsync(plan);

        Assert.Equal(100, result.ScheduledArrivals);
        Assert.Equal(result.ScheduledArrivals, result.Requests + result.DroppedArrivals);
        Assert.InRange(result.DroppedArrivals, 50, 95);
        Assert.Equal(result.DroppedArrivals, result.Timeline.Sum(w => w.Dropped));
        Assert.Equal(0, result.Errors.Total);
        Assert.All(result.Timeline, w => Assert.InRange(w.InFlightMax, 0, 5));
    }

    [Fact]
    public async Task RunAsync_SlowResponses_ClassifiedAsTimeouts()
    {
        await using var target = await StartTargetAsync();
        var plan = OpenPlan(target.BaseUrl + "/api/work?ms=3000", rate: 10, TimeSpan.FromSeconds(1), connections: 10, timeout: TimeSpan.FromMilliseconds(300));

        var result = await RunAsync(plan);

        Assert.Equal(10, result.Requests);
        Assert.Equal(10, result.Errors.Timeout);
        Assert.Equal(10, result.Errors.Total);
        Assert.Equal(0, result.Successes);
        Assert.NotEmpty(result.SampleErrors);
        Assert.StartsWith("Timeout", result.SampleErrors[0]);

        // Timeouts keep their (long) latency so the tail is not flattered.
        var latency = HistogramCodec.Decode(result.Latency);
        Assert.Equal(10, latency.TotalCount);
        Assert.True(latency.GetValueAtPercentile(50) >= 290_000);
    }

    [Fact]
    public async Task RunAsync_ConnectionRefused_ReturnsResultWithConnectErrors()
    {
        var plan = OpenPlan($"http://127.0.0.1:{TestPorts.Closed()}/api/hello", rate: 20, TimeSpan.FromSeconds(1));

        var result = await RunAsync(plan);

        Assert.Null(result.FailureReason);
        Assert.Equal(20, result.Requests);
        Assert.Equal(20, result.Errors.Connect);
        Assert.Equal(20, result.Errors.Total);
        Assert.Equal(0, HistogramCodec.Decode(result.Latency).TotalCount);
        Assert.Equal(20, HistogramCodec.Decode(result.SchedulingLag).TotalCount);
        Assert.Contains(result.SampleErrors, e => e.StartsWith("ConnectFailed", StringComparison.Ordinal));
        Assert.Equal(20, result.Timeline.Sum(w => w.Errors));
    }

    [Fact]
    public async Task RunAsync_ClosedModelConnectionRefused_BacksOffAndCounts()
    {
        var plan = new ShardPlan
        {
            RunId = "test",
            Workload = "test",
            Request = new RequestTemplate { Method = "GET", Url = $"http://127.0.0.1:{TestPorts.Closed()}/" },
            Model = LoadModel.Closed,
            Concurrency = 2,
            Connections = 2,
            Duration = TimeSpan.FromSeconds(1),
        };

        var result = await RunAsync(plan);

        Assert.Equal(result.Requests, result.Errors.Connect);
        Assert.InRange(result.Requests, 2, 2 * 20); // 10 ms backoff doubling: a handful per user, not thousands
    }

    [Fact]
    public async Task RunAsync_FailingEndpoint_MeasuresItsErrorRate()
    {
        await using var target = await StartTargetAsync();
        var plan = OpenPlan(target.BaseUrl + "/api/fail?rate=0.1", rate: 200, TimeSpan.FromSeconds(2));

        var result = await RunAsync(plan);

        // The sample target fails exactly every 10th request.
        Assert.Equal(400, result.Requests);
        Assert.Equal(result.Errors.Total, result.Errors.Http5xx);
        Assert.InRange(result.Errors.Total / (double)result.Requests, 0.095, 0.105);
        Assert.Equal(result.Errors.Http5xx, result.StatusCodes[500]);
        Assert.Equal(result.Errors.Total, result.Timeline.Sum(w => w.Errors));
        Assert.Contains("HTTP 500", result.SampleErrors);
    }

    [Fact]
    public async Task RunAsync_Cancelled_StopsSendingAndKeepsWhatWasMeasured()
    {
        // Seen from the server: every request it receives is stamped (Stopwatch) as soon as its head is read. Each answer
        // takes 200 ms, so 4 connections serve ~20/s while 100/s come due: at the cancellation a backlog of ~100 arrivals
        // waits for a connection. A generator that kept sending after the cancellation would deliver that backlog at
        // 20/s for seconds afterwards.
        const int connections = 4;
        var received = new ConcurrentQueue<long>();
        var server = RawHttpServer.AnsweringAfter(TimeSpan.FromMilliseconds(200), received);
        var plan = OpenPlan(server.Url("/slow"), rate: 100, TimeSpan.FromSeconds(30), connections: connections);
        using var cts = new CancellationTokenSource();
        ShardResult result;
        long cancelledAt;
        await using (server)
        {
            var run = RunAsync(plan, cancellationToken: cts.Token);
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            cancelledAt = Stopwatch.GetTimestamp();
            await cts.CancelAsync();
            result = await run.WaitAsync(TimeSpan.FromSeconds(20)); // liveness only
        }

        // Disposing the server waited for every connection to end, so every request that reached it is stamped.
        var afterCancelMs = received.Select(t => Stopwatch.GetElapsedTime(cancelledAt, t).TotalMilliseconds).Where(ms => ms > 0).Order().ToList();
        output.WriteLine($"received {received.Count}, after the cancellation {afterCancelMs.Count} (ms after: {string.Join(", ", afterCancelMs.Select(ms => ms.ToString("0.0", CultureInfo.InvariantCulture)))}); counted {result.Requests} of {result.ScheduledArrivals} scheduled");

        // Timing-free bound: one exchange per connection at a time, and a worker checks the cancellation before each
        // send, so at most one request per connection can straddle the cancellation; the backlog (~100 arrivals) is
        // never sent. No wall-clock bound on when the straddlers arrive: on a loaded runner the server itself may read
        // them late, which says nothing about the generator.
        Assert.InRange(afterCancelMs.Count, 0, connections);

        // What was measured is kept: every counted request got its response, and at most one per connection was cut
        // by the cancellation (not counted, and not an error).
        Assert.Null(result.FailureReason);
        Assert.InRange(result.Requests, Math.Max(1, received.Count - connections), received.Count);
        Assert.Equal(result.Requests, result.Successes);
        Assert.Equal(0, result.Errors.Total);
        Assert.Equal(result.Requests, HistogramCodec.Decode(result.Latency).TotalCount);
        Assert.Equal(result.Requests, result.Timeline.Sum(w => w.Requests));
        // The backlog was scheduled but never sent; the duration is the time until the cancellation, not the plan's 30 s.
        Assert.True(result.ScheduledArrivals > result.Requests + connections, $"{result.ScheduledArrivals} scheduled, {result.Requests} counted: no backlog");
        Assert.InRange(result.Duration, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(25));
    }

    [Fact]
    public async Task RunAsync_ClosedModel_LatencyIsServiceTime()
    {
        await using var target = await StartTargetAsync();
        var plan = new ShardPlan
        {
            RunId = "test",
            Workload = "test",
            Request = new RequestTemplate { Method = "GET", Url = target.BaseUrl + "/api/work?ms=20" },
            Model = LoadModel.Closed,
            Concurrency = 3,
            Connections = 3,
            ThinkTime = TimeSpan.FromMilliseconds(10),
            Duration = TimeSpan.FromSeconds(1),
        };

        var result = await RunAsync(plan);

        var latency = HistogramCodec.Decode(result.Latency);
        var service = HistogramCodec.Decode(result.ServiceTime);
        Assert.InRange(result.Requests, 3, 3 * 40); // each user: ≥ 30 ms per loop
        Assert.Equal(result.Requests, result.ScheduledArrivals);
        Assert.Equal(result.Requests, result.Successes);
        Assert.Equal(0, HistogramCodec.Decode(result.SchedulingLag).TotalCount);
        Assert.Equal(service.TotalCount, latency.TotalCount);
        Assert.True(latency.GetValueAtPercentile(50) >= 19_000);
        Assert.InRange(result.Timeline.Max(w => w.InFlightMax), 1, 3);
    }

    [Fact]
    public async Task RunAsync_StartAtInFuture_SendsNothingBeforeIt_ThenStartsOnTime()
    {
        // The shard's wall clock is fake: it starts exactly when the test moves the clock to StartAt, however busy the runner.
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var received = 0;
        await using var server = new RawHttpServer(async connection =>
        {
            while (await connection.ReadRequestAsync() is not null)
            {
                Interlocked.Increment(ref received);
                await connection.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            }
        });
        var startAt = time.GetUtcNow().AddMinutes(5);
        var plan = OpenPlan(server.Url("/hello"), 20, TimeSpan.FromSeconds(1)) with { StartAt = startAt };

        var run = RunAsync(plan, time);
        await Task.Delay(TimeSpan.FromMilliseconds(300)); // real time passes; the shard's clock does not
        time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromMilliseconds(1));
        await Task.Delay(TimeSpan.FromMilliseconds(100));
        var sentBeforeStart = Volatile.Read(ref received);
        Assert.False(run.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        var result = await run.WaitAsync(TimeSpan.FromSeconds(30)); // liveness only

        Assert.Equal(0, sentBeforeStart);
        Assert.Equal(startAt, result.StartedAt);
        Assert.Equal(TimeSpan.Zero, result.StartDelay);
        Assert.Equal(20, result.Requests);
        Assert.True(result.Timeline.Min(w => w.UnixSecond) >= startAt.ToUnixTimeSeconds());
    }

    [Fact]
    public async Task RunAsync_LateStart_RebasesTheTimelineAndReportsTheDelay()
    {
        // 30 minutes late on the shard's clock: without re-basing every arrival would carry ≥ 30 min of lag, so the
        // 1-minute bound below separates the two by a factor of 30 whatever the runner's load.
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var target = await StartTargetAsync();
        var startAt = time.GetUtcNow() - TimeSpan.FromMinutes(30);
        var plan = OpenPlan(target.BaseUrl + "/api/hello", 20, TimeSpan.FromSeconds(1)) with { StartAt = startAt };

        var result = await RunAsync(plan, time).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(TimeSpan.FromMinutes(30), result.StartDelay);
        Assert.Equal(startAt + TimeSpan.FromMinutes(30), result.StartedAt);
        Assert.Equal(20, result.Requests);
        var lagMax = HistogramCodec.Decode(result.SchedulingLag).GetMaxValue();
        Assert.True(lagMax < 60_000_000, $"late arrivals were not re-based: lag max {lagMax} µs");
    }

    [Theory]
    [InlineData(15, false)] // timer jitter: kept as lag, the timeline is not moved
    [InlineData(25, true)]  // beyond LateStartTolerance (20 ms): re-based, reported as start delay
    public async Task RunAsync_StartDelayAroundTolerance_RebasesOnlyBeyondIt(int lateMs, bool rebased)
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var target = await StartTargetAsync();
        var startAt = time.GetUtcNow() - TimeSpan.FromMilliseconds(lateMs);
        var plan = OpenPlan(target.BaseUrl + "/api/hello", 5, TimeSpan.FromSeconds(1)) with { StartAt = startAt };

        var result = await RunAsync(plan, time).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(TimeSpan.FromMilliseconds(lateMs), result.StartDelay);
        Assert.Equal(rebased ? startAt + TimeSpan.FromMilliseconds(lateMs) : startAt, result.StartedAt);
        Assert.Equal(5, result.Requests);
    }

    [Fact]
    public async Task RunAsync_InvalidPlan_ThrowsNamingTheField()
    {
        var plan = OpenPlan("http://127.0.0.1:1/", 1, TimeSpan.FromSeconds(1)) with { Arrivals = null };

        var e = await Assert.ThrowsAsync<InputException>(() => RunAsync(plan));

        Assert.Equal("plan.arrivals", e.Field);
    }

    [Fact]
    public async Task RunAsync_StartAtHoursAway_ThrowsNamingStartAt()
    {
        var plan = OpenPlan("http://127.0.0.1:1/", 1, TimeSpan.FromSeconds(1)) with { StartAt = DateTimeOffset.UtcNow.AddHours(-3) };

        var e = await Assert.ThrowsAsync<InputException>(() => RunAsync(plan));

        Assert.Equal("plan.startAt", e.Field);
    }

    [Fact]
    public async Task RunAsync_Result_SurvivesJsonAndMergesLikeTheOriginal()
    {
        await using var target = await StartTargetAsync();
        var plan = OpenPlan(target.BaseUrl + "/api/fail?rate=0.1", rate: 100, TimeSpan.FromSeconds(1));
        var result = await RunAsync(plan);

        var copy = YardstickJson.Deserialize<ShardResult>(YardstickJson.Serialize(result));
        var merged = ShardMerger.Merge([copy]);

        Assert.Equal(result.Requests, merged.Requests);
        Assert.Equal(result.Errors, merged.Errors);
        Assert.Equal(result.StatusCodes.OrderBy(p => p.Key), merged.StatusCodes.OrderBy(p => p.Key));
        Assert.Equal(result.Timeline.Select(w => (w.UnixSecond, w.Requests, w.LatencyP99Ms)), merged.Timeline.Select(w => (w.UnixSecond, w.Requests, w.LatencyP99Ms)));
        Assert.Equal(result.Instances[0].Busy, merged.Instances[0].Busy);
        HistogramCodecTests.AssertSameCounts(HistogramCodec.Decode(result.Latency), merged.Latency);
        Assert.Equal(TimeSpan.FromSeconds(1), merged.MeasuredDuration);
        Assert.Equal(100, merged.ThroughputRps, 9);
    }

    [Fact]
    public async Task RunAsync_TransportFailsAtSetup_ReturnsFailureReason()
    {
        var plan = OpenPlan("http://127.0.0.1:1/", 1, TimeSpan.FromSeconds(1));

        var result = await new LoadGenerator(TimeProvider.System).RunAsync(plan, new UnusableTransport(), null, CancellationToken.None);

        Assert.NotNull(result.FailureReason);
        Assert.Contains("no connections today", result.FailureReason);
        Assert.Equal(0, result.Requests);
    }


    private sealed class CollectingProgress : ILoadProgress
    {
        private readonly List<LiveLoadStats> _reports = [];

        public IReadOnlyList<LiveLoadStats> Reports
        {
            get
            {
                lock (_reports)
                {
                    return _reports.ToList();
                }
            }
        }

        public void Report(LiveLoadStats stats)
        {
            lock (_reports)
            {
                _reports.Add(stats);
            }
        }
    }

    /// <summary>A transport whose connections cannot be created: the setup-failure path.</summary>
    private sealed class UnusableTransport : IHttpTransport
    {
        public IHttpConnection CreateConnection() => throw new InvalidOperationException("no connections today");

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}

/// <summary>Real-load tests run one at a time: they share two cores with the target.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RealLoadCollection
{
    public const string Name = "real load";
}
