using Yardstick.Core.Load;
using Yardstick.Core.Workloads;
using Yardstick.Core.Load.Checks;
using Yardstick.Core.Load.Requests;
using Yardstick.Core.Load.Transports;
using Yardstick.Core.Measurements;
using Yardstick.Testing;
using Yardstick.SampleTarget;

namespace Yardstick.Core.Tests.Load;

/// <summary>Response checks through the engine, against the in-process sample target and raw loopback servers.</summary>
[Collection(RealLoadCollection.Name)]
public sealed class LoadGeneratorCheckTests
{
    private static async Task<ShardResult> RunAsync(ShardPlan plan)
    {
        var catalog = RequestCatalog.Compile(plan.Requests);
        await using var transport = HttpTransportFactory.Create(
            catalog, new TransportOptions { RequestTimeout = TimeSpan.FromSeconds(30), MaxConnections = Math.Max(plan.Connections, 1) });
        return await new LoadGenerator(TimeProvider.System).RunAsync(plan, transport, progress: null, CancellationToken.None);
    }

    private static ShardPlan Closed(IReadOnlyList<RequestTemplate> requests, TimeSpan duration, int users = 2) => new()
    {
        RunId = "checks",
        Workload = "checks",
        Requests = requests,
        Model = LoadModel.Closed,
        Concurrency = users,
        Connections = users,
        Duration = duration,
        Seed = 5,
    };

    private static List<CheckSpec> Checks(params string[] expressions) => expressions.Select(e => new CheckSpec(e)).ToList();

    [Theory]
    [InlineData(TransportKind.Lean)]
    [InlineData(TransportKind.Handler)]
    public async Task RunAsync_Fast200WithWrongContent_FailsTheCheckAsCheckErrors(TransportKind transport)
    {
        await using var target = await SampleTargetHost.StartAsync(new SampleTargetOptions { Urls = "http://127.0.0.1:0" });
        var checks = Checks("status in [200]", "header content-type ~ json", "json $.status == \"ok\"", "json $.items.length > 0");
        var requests = new[]
        {
            // /api/items answers the JSON the checks expect; /api/hello answers a fast 200 in plain text.
            new RequestTemplate { Name = "items", Method = "GET", Url = target.BaseUrl + "/api/items?count=2", Transport = transport, Checks = checks },
            new RequestTemplate { Name = "hello", Method = "GET", Url = target.BaseUrl + "/api/hello", Transport = transport, Checks = checks },
        };

        var result = await RunAsync(Closed(requests, TimeSpan.FromSeconds(1)));

        var items = result.PerRequest[0];
        var hello = result.PerRequest[1];
        Assert.True(items.Requests > 0 && hello.Requests > 0);
        Assert.Equal(items.Requests, items.Successes);
        Assert.Equal(0, items.Errors.Total);
        Assert.Equal(hello.Requests, hello.StatusCodes[200]);
        Assert.Equal(hello.Requests, hello.Errors.Check);
        Assert.Equal(0, hello.Successes);
        Assert.Equal(hello.Requests, result.Errors.Check);
        Assert.Equal(result.Requests - hello.Requests, result.Successes);
        Assert.Contains(result.SampleErrors, e => e.Contains("check 'header content-type ~ json' failed", StringComparison.Ordinal));

        var byKey = result.Checks.ToDictionary(c => c.Key);
        Assert.Equal(8, byKey.Count);
        Assert.All(result.Checks.Where(c => c.Request == "items"), c => Assert.Equal((items.Requests, 0L), (c.Passed, c.Failed)));
        Assert.Equal((hello.Requests, 0L), (byKey["hello.status in [200]"].Passed, byKey["hello.status in [200]"].Failed));
        Assert.Equal((0L, hello.Requests), (byKey["hello.json $.status == \"ok\""].Passed, byKey["hello.json $.status == \"ok\""].Failed));
        Assert.Equal(0L, byKey["hello.header content-type ~ json"].Passed);
    }

    [Fact]
    public async Task RunAsync_StatusCheckOnA500_CountsTheCheckButKeepsTheHttpClass()
    {
        await using var target = await SampleTargetHost.StartAsync(new SampleTargetOptions { Urls = "http://127.0.0.1:0" });
        var request = new RequestTemplate { Method = "GET", Url = target.BaseUrl + "/api/fail?rate=1", Checks = Checks("status == 200") };

        var result = await RunAsync(Closed([request], TimeSpan.FromMilliseconds(500), users: 1));

        Assert.True(result.Requests > 0);
        Assert.Equal(result.Requests, result.Errors.Http5xx);
        Assert.Equal(0, result.Errors.Check);
        var check = Assert.Single(result.Checks);
        Assert.Null(check.Request);
        Assert.Equal((0L, result.Requests), (check.Passed, check.Failed));
    }

    [Fact]
    public async Task RunAsync_NoChecks_RecordsNone()
    {
        await using var target = await SampleTargetHost.StartAsync(new SampleTargetOptions { Urls = "http://127.0.0.1:0" });
        var request = new RequestTemplate { Method = "GET", Url = target.BaseUrl + "/api/hello" };

        var result = await RunAsync(Closed([request], TimeSpan.FromMilliseconds(300), users: 1));

        Assert.True(result.Requests > 0);
        Assert.Empty(result.Checks);
        Assert.Equal(result.Requests, result.Successes);
    }

    [Theory]
    [InlineData(TransportKind.Lean)]
    [InlineData(TransportKind.Handler)]
    public async Task RunAsync_HugeBodyWithSizeAndBodyChecks_CountsItAllButBuffersAtMostTheCap(TransportKind transport)
    {
        // 2 MiB of 'a' then the needle, chunked: the size check sees every byte, the body check only the capped start.
        const int chunk = 64 * 1024;
        const int chunks = 32;
        var payload = new string('a', chunk);
        await using var server = new RawHttpServer(async c =>
        {
            while (await c.ReadRequestAsync() is not null)
            {
                await c.WriteAsync("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n");
                for (var i = 0; i < chunks; i++)
                {
                    await c.WriteAsync($"{chunk:x}\r\n{payload}\r\n");
                }

                await c.WriteAsync("6\r\nneedle\r\n0\r\n\r\n");
            }
        });
        var request = new RequestTemplate
        {
            Method = "GET",
            Url = server.Url("/big"),
            Transport = transport,
            Checks = Checks("size <= 1MiB", "body contains needle", "status == 200"),
        };
        // Long enough for one whole response on a loaded runner (an exchange still under way at the end is not counted).
        var plan = Closed([request], TimeSpan.FromSeconds(3), users: 1);

        var result = await RunAsync(plan);

        Assert.True(result.Requests >= 1);
        Assert.Equal(result.Requests * ((chunk * (long)chunks) + 6), result.BytesReceived);
        Assert.Equal(result.Requests, result.Errors.Check);
        Assert.Equal([0L, 0L, result.Requests], result.Checks.Select(c => c.Passed));
        Assert.Equal([result.Requests, result.Requests, 0L], result.Checks.Select(c => c.Failed));
    }

    [Fact]
    public void MergeChecks_AcrossShards_AddsCountsExactly()
    {
        CheckResult Check(string? request, string name, long passed, long failed) =>
            new() { Request = request, Name = name, Expression = name, Passed = passed, Failed = failed };
        var shards = new[]
        {
            TestShardsWithChecks(Check("a", "status == 200", 10, 1), Check("b", "status == 200", 5, 0)),
            TestShardsWithChecks(Check("a", "status == 200", 7, 3), Check("b", "status == 200", 0, 2)),
            TestShardsWithChecks(Check("a", "status == 200", 1, 0)),
        };

        var merged = ShardMerger.Merge(shards);

        Assert.Equal(["a.status == 200", "b.status == 200"], merged.Checks.Select(c => c.Key));
        Assert.Equal((18L, 4L), (merged.Checks[0].Passed, merged.Checks[0].Failed));
        Assert.Equal((5L, 2L), (merged.Checks[1].Passed, merged.Checks[1].Failed));
        Assert.Equal(1 + 0 + 3 + 2 + 0, merged.Errors.Check);
    }

    private static ShardResult TestShardsWithChecks(params CheckResult[] checks) => new()
    {
        RunId = "r",
        Requests = checks.Sum(c => c.Total),
        Successes = checks.Sum(c => c.Passed),
        Errors = new ErrorCounts { Check = checks.Sum(c => c.Failed) },
        Latency = EncodedHistogram.Empty,
        ServiceTime = EncodedHistogram.Empty,
        SchedulingLag = EncodedHistogram.Empty,
        Checks = checks,
    };
}
