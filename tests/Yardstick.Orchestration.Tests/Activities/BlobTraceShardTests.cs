using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Yardstick.Core;
using Yardstick.Core.Datasets;
using Yardstick.Core.Load;
using Yardstick.Core.Load.Safety;
using Yardstick.Core.Measurements;
using Yardstick.Orchestration.Activities;
using Yardstick.Orchestration.Contracts;
using Yardstick.Orchestration.Hosting;
using Yardstick.SampleTarget;
using Yardstick.Storage;
using Yardstick.Testing;

namespace Yardstick.Orchestration.Tests.Activities;

/// <summary>
/// <c>load.trace: { blob: traces/… }</c> through the real plan and shard activities with the Functions host's options:
/// the trace comes from the datasets container on Azurite (under traces/), pinned to the ETag the plan recorded.
/// </summary>
[Collection(AzuriteFixture.Collection)]
public sealed class BlobTraceShardTests(AzuriteFixture azurite)
{
    private static readonly YardstickHostOptions FunctionsLike = new()
    {
        Host = "functions",
        TargetPolicy = TargetPolicy.LoopbackOnly,
        Environment = _ => null,
        AllowDatasetFiles = false,
        AllowLocalProcesses = false,
    };

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

    private static async Task PushAsync(YardstickStorage storage, string name, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        await storage.Datasets.PutAsync(name, new MemoryStream(bytes), DatasetFiles.Describe(new MemoryStream(bytes), DatasetBlobNames.Prefix + name, true), CancellationToken.None);
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

    private static async Task<(RunPlan Plan, StoredPlan Stored)> PlanAsync(ServiceProvider provider, string runId, string text)
    {
        var plan = await provider.GetRequiredService<PlanRunActivity>().RunAsync(null!, new RunRequest { RunId = runId, WorkloadText = text, WorkloadSource = "workloadText", Host = "functions" });
        return (plan, await provider.GetRequiredService<PlanReader>().GetAsync(plan.Workload, runId, CancellationToken.None));
    }

    private static Task<ShardSummary> ShardAsync(ServiceProvider provider, RunPlan plan, int shard) =>
        provider.GetRequiredService<RunLoadShardActivity>().RunAsync(null!, new ShardTask(plan.RunId, plan.Workload, RunPhase.Measured, 1, "", shard, DateTimeOffset.UtcNow.AddMilliseconds(300)));

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
