using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;
using Yardstick.Core.Measurements;
using Yardstick.Functions.Hosting;
using Yardstick.Orchestration;
using Yardstick.Orchestration.Activities;
using Yardstick.Orchestration.Contracts;

namespace Yardstick.Functions.Functions;

/// <summary>
/// One [Function] per activity of <see cref="TaskRegistry"/>, named like it: resolves the shared activity class from
/// DI (its dependencies come by constructor injection, as in the local host) and runs it with a
/// <see cref="FunctionsActivityContext"/>.
/// </summary>
public static class ActivityFunctions
{
    [Function(nameof(PlanRunActivity))]
    public static Task<RunPlan> PlanRun([ActivityTrigger] RunRequest input, FunctionContext executionContext) =>
        RunAsync<PlanRunActivity, RunRequest, RunPlan>(nameof(PlanRunActivity), input, executionContext);

    [Function(nameof(RunLoadShardActivity))]
    public static Task<ShardSummary> RunLoadShard([ActivityTrigger] ShardTask input, FunctionContext executionContext) =>
        RunAsync<RunLoadShardActivity, ShardTask, ShardSummary>(nameof(RunLoadShardActivity), input, executionContext);

    [Function(nameof(PersistRunActivity))]
    public static Task<RunOutcome> PersistRun([ActivityTrigger] PersistRequest input, FunctionContext executionContext) =>
        RunAsync<PersistRunActivity, PersistRequest, RunOutcome>(nameof(PersistRunActivity), input, executionContext);

    [Function(nameof(AnalyzeRunActivity))]
    public static Task<RunOutcome> AnalyzeRun([ActivityTrigger] AnalyzeRequest input, FunctionContext executionContext) =>
        RunAsync<AnalyzeRunActivity, AnalyzeRequest, RunOutcome>(nameof(AnalyzeRunActivity), input, executionContext);

    /// <summary>Runs the activity <typeparamref name="TActivity"/> resolved from the invocation's services.</summary>
    public static Task<TOutput> RunAsync<TActivity, TInput, TOutput>(string name, TInput input, FunctionContext executionContext)
        where TActivity : TaskActivity<TInput, TOutput>
    {
        var activity = executionContext.InstanceServices.GetRequiredService<TActivity>();
        return activity.RunAsync(FunctionsActivityContext.From(name, executionContext), input);
    }
}
