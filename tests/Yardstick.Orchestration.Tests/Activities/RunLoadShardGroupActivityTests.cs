using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Yardstick.Core;
using Yardstick.Core.Load;
using Yardstick.Core.Measurements;
using Yardstick.Orchestration.Activities;
using Yardstick.Orchestration.Contracts;
using Yardstick.SampleTarget;
using Yardstick.Testing;

namespace Yardstick.Orchestration.Tests.Activities;

/// <summary>
/// <see cref="RunLoadShardGroupActivity"/> with the real plan and shard activities on Azurite against a loopback sample
/// target: a group stores exactly the results and returns exactly the summaries the shard activity does for its shards,
/// and a group delivered again (a resumed run) runs only the shards without a successful stored result.
/// </summary>
[Collection(AzuriteFixture.Collection)]
public sealed class RunLoadShardGroupActivityTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Group_ThreeShards_EachRunOnce_StoredAsTheShardActivityStoresThem_RunAgainOnlyWhereNoSuccessIsStored()
    {
        await using var target = await SampleTargetHost.StartAsync(new SampleTargetOptions { Urls = "http://127.0.0.1:0" });
        var storage = azurite.CreateIsolatedStorage();
        await storage.EnsureCreatedAsync(CancellationToken.None);
        await using var provider = RunPipelineServices.Build(storage);
        var name = AzuriteFixture.UniqueName("shardgroup");
        var runId = AzuriteFixture.NewRunId();
        var plan = await provider.GetRequiredService<PlanRunActivity>().RunAsync(null!, new RunRequest
        {
            RunId = runId,
            WorkloadText = $"""
                name: {name}
                target:
                  url: {target.BaseUrl}/api/hello
                load:
                  model: open
                  rate: 60/s
                  duration: 1s
                  shards: 3
                """,
        });
        var group = new ShardGroupTask(runId, plan.Workload, RunPhase.Measured, 0, "", 0, 3, DateTimeOffset.UtcNow.AddMilliseconds(300));
        var tasks = ShardFanOut.Tasks(group).ToList();

        var summaries = await provider.GetRequiredService<RunLoadShardGroupActivity>().RunAsync(null!, group);

        // One result per shard, where the shard activity stores it, each from its own shard.
        Assert.Equal([0, 1, 2], summaries.Select(s => s.ShardIndex));
        Assert.All(summaries, s => Assert.Null(s.FailureReason));
        var folder = ShardResultNames.RoundFolder(RunPhase.Measured, 0, "");
        Assert.Equal(tasks.Select(ShardResultNames.For), (await storage.Artifacts.ListAsync(plan.Workload, runId, folder, CancellationToken.None)).Order(StringComparer.Ordinal));
        var stored = await ReadAsync(storage, plan.Workload, runId, tasks);
        foreach (var (task, summary) in tasks.Zip(summaries))
        {
            var result = YardstickJson.Deserialize<ShardResult>(stored[task.ShardIndex]);
            Assert.Equal((task.ShardIndex, ShardResultNames.For(task)), (result.ShardIndex, summary.ResultRef));
            Assert.True(result.Requests > 0);
            Assert.Equal((result.Requests, result.Successes, result.Errors.Total), (summary.Requests, summary.Successes, summary.Errors));
        }

        // The shard activity finds each result stored and returns the very summary the group returned, without a re-run.
        var shardActivity = provider.GetRequiredService<RunLoadShardActivity>();
        foreach (var (task, summary) in tasks.Zip(summaries))
        {
            Assert.Equal(summary, await shardActivity.RunAsync(null!, task));
        }

        Assert.Equal(stored, await ReadAsync(storage, plan.Workload, runId, tasks));

        // Delivered again (a resumed run) after shard 1 had stored a failed attempt: only shard 1 runs again.
        var failed = YardstickJson.Deserialize<ShardResult>(stored[1]) with { FailureReason = "no response" };
        await storage.Artifacts.PutAsync(plan.Workload, runId, ShardResultNames.For(tasks[1]), YardstickJson.ToUtf8(failed), "application/json", CancellationToken.None);
        var again = await provider.GetRequiredService<RunLoadShardGroupActivity>().RunAsync(null!, group with { StartAt = DateTimeOffset.UtcNow.AddMilliseconds(300) });

        var after = await ReadAsync(storage, plan.Workload, runId, tasks);
        Assert.Equal(stored[0], after[0]);
        Assert.Equal(stored[2], after[2]);
        Assert.NotEqual(stored[1], after[1]);
        Assert.Null(YardstickJson.Deserialize<ShardResult>(after[1]).FailureReason);
        Assert.Equal([summaries[0], summaries[2]], [again[0], again[2]]);
        Assert.Null(again[1].FailureReason);
    }

    [Fact]
    public void RetryDelay_ShardPolicy_WaitsAsDurableRetriesAShardActivity()
    {
        // RunPolicies.Shard: 3 attempts, 1 s then doubling.
        var policy = RunPolicies.Shard.Retry!.Policy!;

        Assert.Equal(TimeSpan.FromSeconds(1), RunLoadShardGroupActivity.RetryDelay(policy, 1));
        Assert.Equal(TimeSpan.FromSeconds(2), RunLoadShardGroupActivity.RetryDelay(policy, 2));
        Assert.Equal(TimeSpan.FromSeconds(30), RunLoadShardGroupActivity.RetryDelay(new RetryPolicy(5, TimeSpan.FromSeconds(10), 2, TimeSpan.FromSeconds(30)), 3));
    }

    [Fact]
    public async Task RunGroup_HostShuttingDown_FailsTheGroupInsteadOfReportingFailedShards()
    {
        using var shutdown = new CancellationTokenSource();
        var group = new ShardGroupTask("20260101-000000-stopped", "w", RunPhase.Measured, 0, "", 0, 2, DateTimeOffset.UtcNow);
        var attempts = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => RunLoadShardGroupActivity.RunGroupAsync(
            group,
            _ =>
            {
                Interlocked.Increment(ref attempts);
                shutdown.Cancel();
                throw new OperationCanceledException(shutdown.Token);
            },
            RunPolicies.Shard.Retry!.Policy!,
            TimeProvider.System,
            NullLogger.Instance,
            shutdown.Token));

        // Not retried: the work item runs again when the run resumes.
        Assert.Equal(2, attempts);
    }

    private static async Task<byte[][]> ReadAsync(Storage.YardstickStorage storage, string workload, string runId, IEnumerable<ShardTask> tasks) =>
        await Task.WhenAll(tasks.Select(async t => (await storage.Artifacts.GetAsync(workload, runId, ShardResultNames.For(t), CancellationToken.None))!));
}
