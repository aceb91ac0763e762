using System.Collections.Concurrent;
using Yardstick.Core.Load;
using Yardstick.Core.Load.Requests;
using Yardstick.Core.Load.Transports;
using Yardstick.Core.Measurements;
using Yardstick.Core.Replay;
using Yardstick.Core.Tests.Load;
using Yardstick.Testing;
using Yardstick.Core.Workloads;

namespace Yardstick.Core.Tests.Replay;

/// <summary>Replayed traces through the load engine, against a raw loopback server that records what it receives.</summary>
[Collection(RealLoadCollection.Name)]
public sealed class ReplayLoadTests
{
    private static Workload Workload(string url) => new()
    {
        Name = "replay",
        Target = new TargetSpec { Url = url, Headers = new Dictionary<string, string> { ["x-replay"] = "1" } },
        Load = new LoadSpec { Model = LoadModel.Replay, Trace = new TraceSpec { File = "t.jsonl" }, Shards = 2, MaxInFlight = 2000, Connections = 8 },
    };

    private static async Task<List<ShardResult>> RunAsync(Workload workload, string text, TraceSummary trace, TransportKind transport = TransportKind.Auto)
    {
        var plans = ShardPlanner.Plan(workload with { Target = workload.Target with { Transport = transport } }, "run", RunPhase.Measured, 0, "", default, 1, trace);
        var results = new List<ShardResult>();
        await Task.WhenAll(plans.Select(async plan =>
        {
            using var feed = new ReplayFeed(ReplayTraces.Opener(text), trace, plan.ShardIndex, plan.ShardCount, plan.MaxInFlight);
            var catalog = RequestCatalog.Compile(plan.Requests, new RequestCatalogOptions { Data = feed, VerbatimData = true });
            await using var http = HttpTransportFactory.Create(catalog, new TransportOptions { RequestTimeout = plan.RequestTimeout, MaxConnections = plan.Connections });
            var result = await new LoadGenerator(TimeProvider.System).RunAsync(plan, http, progress: null, CancellationToken.None, feed);
            Assert.Null(feed.FailureReason);
            lock (results)
            {
                results.Add(result);
            }
        }));
        return results;
    }

    [Theory]
    [InlineData(TransportKind.Lean)]
    [InlineData(TransportKind.Handler)]
    public async Task Replay_SendsEveryRecordedRequestOnceWithItsMethodPathAndBody_GroupedByEndpoint(TransportKind transport)
    {
        var received = new ConcurrentBag<string>();
        await using var server = new RawHttpServer(async c =>
        {
            while (await c.ReadRequestAsync() is { } request)
            {
                received.Add(request);
                await c.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            }
        });
        var text = ReplayTraces.Irregular(200) + ReplayTraces.Line(TimeSpan.FromSeconds(1.5), "/caf\u00e9/%2F?q=a%20b&r=\u00fc") + "\n";
        var trace = ReplayTraces.Describe(text, speed: 2);
        var records = ReplayTraces.Records(text);

        var results = await RunAsync(Workload(server.Url("/ignored/path?x=1")), text, trace, transport);

        Assert.True(records.Count == results.Sum(r => r.Requests), string.Join(" | ", results.Select(r => $"{r.ShardIndex}: {r.Requests} {r.FailureReason} {string.Join(";", r.SampleErrors)} dropped={r.DroppedArrivals}")));
        Assert.True(records.Count == results.Sum(r => r.Successes), string.Join("; ", results.SelectMany(r => r.SampleErrors)) + " " + string.Join(",", results.SelectMany(r => r.PerRequest).Select(p => $"{p.Name}={p.Successes}/{p.Requests}")));
        var expected = records.Select(r => $"{r.Method} {r.Path} {r.Body ?? ""}").Order(StringComparer.Ordinal).ToList();
        var actual = received.Select(r =>
        {
            var head = r[..r.IndexOf("\r\n\r\n", StringComparison.Ordinal)];
            var line = head[..head.IndexOf("\r\n", StringComparison.Ordinal)].Split(' ');
            Assert.Contains($"\r\nHost: 127.0.0.1:{server.Port}\r\n", head + "\r\n", StringComparison.OrdinalIgnoreCase);
            Assert.Contains("x-replay: 1", head, StringComparison.OrdinalIgnoreCase);
            Assert.Equal("HTTP/1.1", line[2]);
            return $"{line[0]} {line[1]} {r[(head.Length + 4)..]}";
        }).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, actual);

        // Per-endpoint metrics: every endpoint of the trace, its arrivals split across the two shards.
        var perEndpoint = results.SelectMany(r => r.PerRequest).GroupBy(p => p.Name).ToDictionary(g => g.Key, g => g.Sum(p => p.Requests));
        Assert.Equal(trace.Endpoints.ToDictionary(e => e.Name, e => e.Arrivals), perEndpoint);
    }

    [Fact]
    public async Task Replay_ASlowResponse_DoesNotDelayLaterArrivals_LatencyCountsFromTheirRecordedStart()
    {
        // One connection; the first response takes 400 ms. Arrivals every 20 ms meanwhile wait for the connection: measured
        // from their recorded start, their latency includes that wait (no coordinated omission), while the server was fast.
        var served = 0;
        await using var server = new RawHttpServer(async c =>
        {
            while (await c.ReadRequestAsync() is not null)
            {
                if (Interlocked.Increment(ref served) == 1)
                {
                    await Task.Delay(400);
                }

                await c.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            }
        });
        var text = string.Concat(Enumerable.Range(0, 10).Select(i => ReplayTraces.Line(TimeSpan.FromMilliseconds(20 * i), $"/r/{i}") + "\n"));
        var trace = ReplayTraces.Describe(text);
        var workload = Workload(server.Url()) with { Load = Workload(server.Url()).Load with { Shards = 1, Connections = 1 } };

        var result = Assert.Single(await RunAsync(workload, text, trace));

        Assert.Equal(10, result.Successes);
        var latency = HistogramCodec.Decode(result.Latency);
        var service = HistogramCodec.Decode(result.ServiceTime);

        // Arrival k (due at 20k ms) is sent after the first response (≥ 400 ms): its latency is at least 400 − 20k ms.
        var queued = latency.RecordedValues().Where(v => v.ValueIteratedTo >= 200_000).Sum(v => v.CountAtValueIteratedTo);
        Assert.True(queued >= 5, $"{queued} arrivals with latency ≥ 200 ms");
        Assert.True(service.RecordedValues().Where(v => v.ValueIteratedTo >= 200_000).Sum(v => v.CountAtValueIteratedTo) <= 1);
    }
}
