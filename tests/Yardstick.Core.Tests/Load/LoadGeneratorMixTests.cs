using Yardstick.Core.Load;
using Yardstick.Core.Load.Requests;
using Yardstick.Core.Load.Transports;
using Yardstick.Testing;
using Yardstick.Core.Measurements;
using Yardstick.Core.Workloads;
using Yardstick.SampleTarget;

namespace Yardstick.Core.Tests.Load;

/// <summary>Request mixes and journeys against the in-process sample target on loopback, a few seconds each.</summary>
[Collection(RealLoadCollection.Name)]
public sealed class LoadGeneratorMixTests
{
    private static RequestTemplate Named(string name, string url, double weight = 1) => new() { Name = name, Method = "GET", Url = url, Weight = weight };

    private static async Task<ShardResult> RunAsync(ShardPlan plan, RequestCatalogOptions? options = null)
    {
        var catalog = RequestCatalog.Compile(plan.Requests, options);
        await using var transport = HttpTransportFactory.Create(
            catalog, new TransportOptions { RequestTimeout = plan.RequestTimeout, MaxConnections = Math.Max(plan.Connections, plan.Concurrency) });
        return await new LoadGenerator(TimeProvider.System).RunAsync(plan, transport, progress: null, CancellationToken.None);
    }

    private static ShardPlan OpenMix(IReadOnlyList<RequestTemplate> requests, long seed) => new()
    {
        RunId = "mix",
        Workload = "mix",
        Requests = requests,
        Model = LoadModel.Open,
        Arrivals = ArrivalCurve.Constant(Rate.FromPerSecond(300), TimeSpan.FromSeconds(2)),
        Duration = TimeSpan.FromSeconds(2),
        Connections = 8,
        MaxInFlight = 1000,
        Seed = seed,
    };

    [Fact]
    public async Task RunAsync_WeightedOpenMix_EachRequestKeepsItsOwnCountsStatusesAndLatencies()
    {
        await using var target = await SampleTargetHost.StartAsync(new SampleTargetOptions { Urls = "http://127.0.0.1:0" });
        var requests = new[]
        {
            Named("hello", target.BaseUrl + "/api/hello", weight: 3),
            Named("items", target.BaseUrl + "/api/items?count=2", weight: 2),
            Named("broken", target.BaseUrl + "/api/fail?rate=1", weight: 1),
        };

        var first = await RunAsync(OpenMix(requests, seed: 11));
        var again = await RunAsync(OpenMix(requests, seed: 11));

        Assert.Equal(600, first.Requests);
        Assert.Equal(["hello", "items", "broken"], first.PerRequest.Select(r => r.Name));
        Assert.Equal(first.Requests, first.PerRequest.Sum(r => r.Requests));

        // Weights 3:2:1 of 600 arrivals: 300/200/100 expected; binomial sd ≤ 12.3, so ±60 is ~5 sd.
        Assert.InRange(first.PerRequest[0].Requests, 240, 360);
        Assert.InRange(first.PerRequest[1].Requests, 140, 260);
        Assert.InRange(first.PerRequest[2].Requests, 40, 160);

        // Seeded: the same plan picks the same requests.
        Assert.Equal(first.PerRequest.Select(r => r.Requests), again.PerRequest.Select(r => r.Requests));

        // Attribution: only the broken request failed, and every one of its responses was a 500.
        var broken = first.PerRequest[2];
        Assert.Equal(broken.Requests, broken.Errors.Http5xx);
        Assert.Equal(broken.Requests, broken.StatusCodes[500]);
        Assert.Equal(first.Errors.Http5xx, broken.Errors.Http5xx);
        Assert.All(first.PerRequest.Take(2), r => Assert.Equal(r.Requests, r.StatusCodes[200]));
        Assert.All(first.PerRequest, r =>
        {
            Assert.Equal(r.Requests, HistogramCodec.Decode(r.Latency).TotalCount);
            Assert.Equal(r.Requests, r.Timeline.Sum(w => w.Requests));
        });
    }

    [Fact]
    public async Task RunAsync_ClosedJourney_UsersWalkTheStepsInOrder()
    {
        await using var target = await SampleTargetHost.StartAsync(new SampleTargetOptions { Urls = "http://127.0.0.1:0" });
        var plan = new ShardPlan
        {
            RunId = "journey",
            Workload = "journey",
            Requests = [Named("login", target.BaseUrl + "/api/hello"), Named("browse", target.BaseUrl + "/api/items")],
            Steps = [new JourneyStep(0), new JourneyStep(1), new JourneyStep(1, TimeSpan.Zero)],
            Model = LoadModel.Closed,
            Concurrency = 2,
            Connections = 2,
            Duration = TimeSpan.FromSeconds(1),
        };

        var result = await RunAsync(plan);

        // Each user sends login, browse, browse, login…: per user browse is 2 × login, minus at most 2 for a walk cut short.
        var login = result.PerRequest[0].Requests;
        var browse = result.PerRequest[1].Requests;
        Assert.True(login > 0);
        Assert.InRange(browse, (2 * login) - 4, 2 * login);
    }

    [Theory]
    [InlineData(TransportKind.Lean)]
    [InlineData(TransportKind.Handler)]
    public async Task RunAsync_Correlation_EveryRequestCarriesATraceIdWithTheRunPrefixAndTheRunId(TransportKind transport)
    {
        var received = new List<string>();
        await using var server = new RawHttpServer(async c =>
        {
            while (await c.ReadRequestAsync() is { } request)
            {
                lock (received)
                {
                    received.Add(request);
                }

                await c.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            }
        });
        RequestTemplate Request(string name, string path) => Named(name, server.Url(path)) with { Transport = transport };
        var plan = OpenMix([Request("a", "/a"), Request("b", "/b?x=1")], seed: 3) with
        {
            Arrivals = ArrivalCurve.Constant(Rate.FromPerSecond(100), TimeSpan.FromSeconds(1)),
            Duration = TimeSpan.FromSeconds(1),
        };

        var result = await RunAsync(plan, new RequestCatalogOptions { CorrelationRunId = "20261129-114817-46470d", TraceSeed = plan.Seed });

        Assert.Equal(100, result.Successes);
        Assert.Equal(100, received.Count);
        var traceIds = received.Select(r => Header(r, "traceparent")).ToList();
        Assert.All(traceIds, t => Assert.Matches("^00-062ec25d7323dea7[0-9a-f]{16}-[0-9a-f]{16}-01$", t));
        Assert.Equal(100, traceIds.Distinct().Count());
        Assert.All(received, r => Assert.Equal("20261129-114817-46470d", Header(r, "x-yardstick-run")));
        Assert.Equal(result.PerRequest[0].Requests, received.Count(r => r.StartsWith("GET /a ", StringComparison.Ordinal)));
        Assert.Equal(result.PerRequest[1].Requests, received.Count(r => r.StartsWith("GET /b?x=1 ", StringComparison.Ordinal)));
    }

    private static string? Header(string request, string name) =>
        request.Split("\r\n").FirstOrDefault(l => l.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase))?[(name.Length + 1)..].Trim();
}
