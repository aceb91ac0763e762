using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Yardstick.Core.Datasets;
using Yardstick.Core.Load;
using Yardstick.Core.Load.Safety;
using Yardstick.Core.Measurements;
using Yardstick.Orchestration.Activities;
using Yardstick.Orchestration.Contracts;
using Yardstick.Orchestration.Hosting;
using Yardstick.Storage;

namespace Yardstick.Orchestration.Tests.TestSupport;

/// <summary>
/// The real plan and shard activities as the Functions host runs them (no dataset files, no local processes, loopback
/// only), for the tests that feed them blobs pushed to the datasets container on Azurite.
/// </summary>
internal static class FunctionsShardHarness
{
    public static readonly YardstickHostOptions FunctionsLike = new()
    {
        Host = "functions",
        TargetPolicy = TargetPolicy.LoopbackOnly,
        Environment = _ => null,
        AllowDatasetFiles = false,
        AllowLocalProcesses = false,
    };

    /// <summary>Pushes <paramref name="text"/> to the datasets container as <paramref name="name"/>, described like <c>yardstick data push</c>.</summary>
    public static async Task PushAsync(YardstickStorage storage, string name, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        await storage.Datasets.PutAsync(name, new MemoryStream(bytes), DatasetFiles.Describe(new MemoryStream(bytes), DatasetBlobNames.Prefix + name, DatasetReader.IsJsonLines(name)), CancellationToken.None);
    }

    public static async Task<(RunPlan Plan, StoredPlan Stored)> PlanAsync(ServiceProvider provider, string runId, string text)
    {
        var plan = await provider.GetRequiredService<PlanRunActivity>().RunAsync(null!, new RunRequest { RunId = runId, WorkloadText = text, WorkloadSource = "workloadText", Host = "functions" });
        return (plan, await provider.GetRequiredService<PlanReader>().GetAsync(plan.Workload, runId, CancellationToken.None));
    }

    /// <summary>Runs measured shard <paramref name="shard"/> of round 1, starting 300 ms from now.</summary>
    public static Task<ShardSummary> ShardAsync(ServiceProvider provider, RunPlan plan, int shard = 0) =>
        provider.GetRequiredService<RunLoadShardActivity>().RunAsync(null!, new ShardTask(plan.RunId, plan.Workload, RunPhase.Measured, 1, "", shard, DateTimeOffset.UtcNow.AddMilliseconds(300)));
}
