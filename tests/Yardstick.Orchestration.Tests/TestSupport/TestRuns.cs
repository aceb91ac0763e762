using Yardstick.Core;
using Yardstick.Core.Measurements;
using Yardstick.Core.Ports;
using Yardstick.Core.Workloads;
using Yardstick.Orchestration.Contracts;
using Yardstick.Orchestration.Hosting;

namespace Yardstick.Orchestration.Tests.TestSupport;

/// <summary>Stores a run's <c>plan.json</c> the way <c>PlanRunActivity</c> does, from workload YAML.</summary>
internal static class TestRuns
{
    public const string ResourceId = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/sites/app1";

    public static async Task<StoredPlan> StoreAsync(IArtifactStore artifacts, string runId, string yaml, YardstickHostOptions options)
    {
        var workload = WorkloadLoader.LoadText(yaml, "test.yaml", [], options.Environment);
        var plan = new RunPlan
        {
            RunId = runId,
            Workload = workload.Name,
            Shards = 1,
            ColdStart = workload.ColdStart.Strategy,
            ColdStartPlan = StepPlans.ColdStart(workload, options),
            CostPlan = StepPlans.Cost(workload, options),
        };
        var stored = new StoredPlan { Plan = plan, Workload = workload, MeasuredShards = [] };
        await artifacts.PutAsync(workload.Name, runId, PlanReader.PlanBlobName, YardstickJson.ToUtf8(stored), "application/json", CancellationToken.None);
        return stored;
    }

    /// <summary>What a fake shard activity answers for <paramref name="task"/>: 10 requests, all successful, its result where the real one stores it.</summary>
    public static ShardSummary TenGoodRequests(ShardTask task) => new()
    {
        Key = task.Key,
        Phase = task.Phase,
        Round = task.Round,
        Variant = task.Variant,
        ShardIndex = task.ShardIndex,
        Requests = 10,
        Successes = 10,
        ResultRef = ShardResultNames.For(task),
    };

    public static string RepositoryRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Functions.sln")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
        }
    }
}
