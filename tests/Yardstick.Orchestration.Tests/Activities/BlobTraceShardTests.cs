using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Yardstick.Core;
using Yardstick.Core.Datasets;
using Yardstick.Core.Load;
using Yardstick.Core.Measurements;
using Yardstick.Orchestration.Activities;
using Yardstick.Orchestration.Contracts;
using Yardstick.Orchestration.Hosting;
using Yardstick.SampleTarget;
using Yardstick.Storage;
using Yardstick.Testing;

using static Yardstick.Orchestration.Tests.TestSupport.FunctionsShardHarness;

namespace Yardstick.Orchestration.Tests.Activities;

/// <summary>
/// <c>load.trace: { blob: traces/… }</c> through the real plan and shard activities with the Functions host's options:
/// the trace comes from the datasets container on Azurite (under traces/), pinned to the ETag the plan recorded.
/// </summary>
[Collection(AzuriteFixture.Collection)]
public sealed class BlobTraceShardTests(AzuriteFixture azurite)
{
    private static string Trace(int lines)
    {
        var text = new StringBuilder();
        for (var i = 0; i < lines; i++)
        {
            var t = new DateTime(2026, 12, 1, 10, 0, 0, DateTimeKind.Utc).AddMilliseconds(25 * i).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);
            text.Append(i % 2 == 0
                ? $$"""{"t":"{{t}}","method":"GET","name":"GET /api/items","path":"/api/items?page={{i}}"}"""
                : $$"""{"t":"{{t}}","method":"POST","name":"POST /api/echo/orders","path":"/api/echo/orders/{{i}}","body":"{\"n\":{{i}}}"}""").Append('\n');
        }

        return text.ToString();
    }

    private static string Workload(string name, string url) => $"""
        name: {name}
        target:
          url: {url}/
          checks: ["status in [200]"]
        load:
          model: replay
          trace: {"{"} blob: traces/{name}.jsonl {"}"}
          speed: 2
          shards: 2
        """;

    [Fact]
    public async Task PlanThenShards_FunctionsOptions_RecordTheTraceAndSendEachArrivalOnceFromTheBlob()
    {
        await using var target = await SampleTargetHost.StartAsync(new SampleTargetOptions { Urls = "http://127.0.0.1:0" });
        var storage = azurite.CreateIsolatedStorage();
        await storage.EnsureCreatedAsync(CancellationToken.None);
        await using var provider = RunPipelineServices.Build(storage, FunctionsLike);
        var name = AzuriteFixture.UniqueName("traceshard");
        var text = Trace(21);
        await PushAsync(storage, $"traces/{name}.jsonl", text);
        var pushed = (await storage.Datasets.GetAsync($"traces/{name}.jsonl", CancellationToken.None))!;

        var (plan, stored) = await PlanAsync(provider, AzuriteFixture.NewRunId(), Workload(name, target.BaseUrl));
        var shards = await Task.WhenAll(ShardAsync(provider, plan, 0), ShardAsync(provider, plan, 1));

        var trace = stored.Trace!;
        Assert.Equal(("blob", $"traces/{name}.jsonl", pushed.ETag, 21L), (trace.Source, trace.File, trace.ETag, trace.Arrivals));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(text))), trace.Sha256);
        Assert.Equal(TimeSpan.FromMilliseconds(250), trace.ReplayDuration); // 500 ms of trace at speed 2
        Assert.Equal(trace.ReplayDuration, plan.Duration);
        var results = new List<ShardResult>();
        foreach (var shard in shards)
        {
            Assert.Null(shard.FailureReason);
            results.Add(YardstickJson.Deserialize<ShardResult>((await storage.Artifacts.GetAsync(plan.Workload, plan.RunId, shard.ResultRef, CancellationToken.None))!));
        }

        Assert.Equal([11L, 10L], results.OrderBy(r => r.ShardIndex).Select(r => r.Requests));
        Assert.Equal(21, results.Sum(r => r.Successes));
        Assert.Equal(
            new Dictionary<string, long> { ["GET /api/items"] = 11, ["POST /api/echo/orders"] = 10 },
            results.SelectMany(r => r.PerRequest).GroupBy(p => p.Name).ToDictionary(g => g.Key, g => g.Sum(p => p.Requests)));
    }

    [Fact]
    public async Task PlanThenShards_BlobDataset_FillsHolesAndRedactedValues_HostileValuesStayUrlEncodedInThePath()
    {
        // A target that records the exact bytes of every request line and body it receives.
        var received = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await using var target = new RawHttpServer(async connection =>
        {
            while (await connection.ReadRequestAsync() is { } request)
            {
                received.Enqueue(request);
                await connection.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
            }
        });
        var storage = azurite.CreateIsolatedStorage();
        await storage.EnsureCreatedAsync(CancellationToken.None);
        await using var provider = RunPipelineServices.Build(storage, FunctionsLike);
        var name = AzuriteFixture.UniqueName("tracedata");
        var lines = new StringBuilder();
        for (var i = 0; i < 4; i++)
        {
            var t = new DateTime(2026, 12, 1, 10, 0, 0, DateTimeKind.Utc).AddMilliseconds(20 * i).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);
            lines.Append(i % 2 == 0
                ? $$"""{"t":"{{t}}","method":"GET","name":"GET /api/users","path":"/api/users/${data.user}?tenant=REDACTED&page=REDACTED"}"""
                : $$"""{"t":"{{t}}","method":"POST","name":"POST /api/echo","path":"/api/echo","body":"{\"user\":\"${data.user}\"}"}""").Append('\n');
        }

        await PushAsync(storage, $"traces/{name}.jsonl", lines.ToString());
        const string Hostile = "x/../admin?y=1#z\r\nHost: evil.example\r\n//evil.example";
        await PushAsync(storage, $"{name}.csv", $"user,tenant\n\"{Hostile}\",t/1\nbob,t2\n\"{Hostile}\",t/1\nbob,t2\n");
        var text = $"""
            name: {name}
            target:
              url: {target.Url()}
            load:
              model: replay
              trace: {"{"} blob: traces/{name}.jsonl {"}"}
              shards: 2
            data: {"{"} blob: datasets/{name}.csv, mode: unique {"}"}
            """;

        var (plan, stored) = await PlanAsync(provider, AzuriteFixture.NewRunId(), text);
        var shards = await Task.WhenAll(ShardAsync(provider, plan, 0), ShardAsync(provider, plan, 1));

        Assert.All(shards, s => Assert.Null(s.FailureReason));
        Assert.Equal([new Core.Replay.TraceHole("user", 1)], stored.Trace!.DataHoles);
        Assert.Equal(("blob", "unique"), (stored.Dataset!.Source, stored.Dataset.Mode));
        const string Encoded = "x%2F..%2Fadmin%3Fy%3D1%23z%0D%0AHost%3A%20evil.example%0D%0A%2F%2Fevil.example";
        var requests = received.ToList();
        Assert.Equal(4, requests.Count);
        // Unique over two shards: shard 0 sends arrivals 0 and 2 (GETs) with rows 0 and 2; shard 1 arrivals 1 and 3 (POSTs) with rows 1 and 3.
        Assert.Equal(
            [$"GET /api/users/{Encoded}?tenant=t%2F1&page=REDACTED HTTP/1.1", $"GET /api/users/{Encoded}?tenant=t%2F1&page=REDACTED HTTP/1.1", "POST /api/echo HTTP/1.1", "POST /api/echo HTTP/1.1"],
            requests.Select(r => r[..r.IndexOf("\r\n", StringComparison.Ordinal)]).Order(StringComparer.Ordinal));
        Assert.All(requests, r => Assert.Contains($"\r\nHost: 127.0.0.1:{target.Port}\r\n", r, StringComparison.Ordinal));
        Assert.All(requests, r => Assert.DoesNotContain("\r\nHost: evil.example", r, StringComparison.Ordinal));
        Assert.All(requests.Where(r => r.StartsWith("POST", StringComparison.Ordinal)), r => Assert.EndsWith("\r\n\r\n{\"user\":\"bob\"}", r, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Plan_AHoleTheBlobDatasetLacks_IsRefusedNamingLoadTraceTheLineAndTheColumns()
    {
        var storage = azurite.CreateIsolatedStorage();
        await storage.EnsureCreatedAsync(CancellationToken.None);
        await using var provider = RunPipelineServices.Build(storage, FunctionsLike);
        var name = AzuriteFixture.UniqueName("tracecols");
        await PushAsync(storage, $"traces/{name}.jsonl", Trace(2) + """{"t":"2026-12-01T10:00:01.000Z","path":"/api/users/${data.tenant}"}""" + "\n");
        await PushAsync(storage, $"{name}.csv", "user,q\nal,x\n");
        var text = Workload(name, "http://127.0.0.1:5999") + $"\ndata: {{ blob: datasets/{name}.csv }}\n";

        var e = await Assert.ThrowsAnyAsync<InputException>(() => PlanAsync(provider, AzuriteFixture.NewRunId(), text));

        Assert.Equal("load.trace", e.Field);
        Assert.Equal($"load.trace: line 3: ${{data.tenant}} is not a column of datasets/{name}.csv (columns: user, q).", e.Message);
    }

    [Fact]
    public async Task Shard_TraceReplacedAfterThePlan_FailsWithTheReasonNamingLoadTrace()
    {
        await using var target = await SampleTargetHost.StartAsync(new SampleTargetOptions { Urls = "http://127.0.0.1:0" });
        var storage = azurite.CreateIsolatedStorage();
        await storage.EnsureCreatedAsync(CancellationToken.None);
        await using var provider = RunPipelineServices.Build(storage, FunctionsLike);
        var name = AzuriteFixture.UniqueName("tracemoved");
        await PushAsync(storage, $"traces/{name}.jsonl", Trace(4));
        var (plan, _) = await PlanAsync(provider, AzuriteFixture.NewRunId(), Workload(name, target.BaseUrl));

        await PushAsync(storage, $"traces/{name}.jsonl", Trace(6));
        var e = await Assert.ThrowsAsync<ShardFailedException>(() => ShardAsync(provider, plan, 0));

        Assert.Contains($"load.trace: 'traces/{name}.jsonl' changed after the run was planned", e.Message, StringComparison.Ordinal);
    }
}
