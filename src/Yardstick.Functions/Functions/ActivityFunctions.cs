using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;
using Yardstick.Core.ColdStart;
using Yardstick.Core.Measurements;
using Yardstick.Core.Summaries;
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

    /// <summary>Registered like every task; the app's runs never ask for it (their RunRequest leaves ShardGroupsInProcess off).</summary>
    [Function(nameof(RunLoadShardGroupActivity))]
    public static Task<List<ShardSummary>> RunLoadShardGroup([ActivityTrigger] ShardGroupTask input, FunctionContext executionContext) =>
        RunAsync<RunLoadShardGroupActivity, ShardGroupTask, List<ShardSummary>>(nameof(RunLoadShardGroupActivity), input, executionContext);

    [Function(nameof(ApplySettingsActivity))]
    public static Task<ApplySettingsResult> ApplySettings([ActivityTrigger] ApplySettingsTask input, FunctionContext executionContext) =>
        RunAsync<ApplySettingsActivity, ApplySettingsTask, ApplySettingsResult>(nameof(ApplySettingsActivity), input, executionContext);

    [Function(nameof(RecycleTargetActivity))]
    public static Task<RecycleTargetResult> RecycleTarget([ActivityTrigger] RecycleTargetTask input, FunctionContext executionContext) =>
        RunAsync<RecycleTargetActivity, RecycleTargetTask, RecycleTargetResult>(nameof(RecycleTargetActivity), input, executionContext);

    [Function(nameof(RestoreSettingsActivity))]
    public static Task<SettingsRestore> RestoreSettings([ActivityTrigger] RestoreSettingsTask input, FunctionContext executionContext) =>
        RunAsync<RestoreSettingsActivity, RestoreSettingsTask, SettingsRestore>(nameof(RestoreSettingsActivity), input, executionContext);

    [Function(nameof(ApplyFaultActivity))]
    public static Task<Core.Faults.AppliedFault> ApplyFault([ActivityTrigger] FaultTask input, FunctionContext executionContext) =>
        RunAsync<ApplyFaultActivity, FaultTask, Core.Faults.AppliedFault>(nameof(ApplyFaultActivity), input, executionContext);

    [Function(nameof(PersistRunActivity))]
    public static Task<RunOutcome> PersistRun([ActivityTrigger] PersistRequest input, FunctionContext executionContext) =>
        RunAsync<PersistRunActivity, PersistRequest, RunOutcome>(nameof(PersistRunActivity), input, executionContext);

    [Function(nameof(RecordRunFailureActivity))]
    public static Task<bool> RecordRunFailure([ActivityTrigger] RunFailure input, FunctionContext executionContext) =>
        RunAsync<RecordRunFailureActivity, RunFailure, bool>(nameof(RecordRunFailureActivity), input, executionContext);

    [Function(nameof(ProbeProcessColdStartActivity))]
    public static Task<ColdStartProbe> ProbeProcessColdStart([ActivityTrigger] ColdStartProbeTask input, FunctionContext executionContext) =>
        RunAsync<ProbeProcessColdStartActivity, ColdStartProbeTask, ColdStartProbe>(nameof(ProbeProcessColdStartActivity), input, executionContext);

    [Function(nameof(ForceColdStartActivity))]
    public static Task<ForcedColdStart> ForceColdStart([ActivityTrigger] ColdStartProbeTask input, FunctionContext executionContext) =>
        RunAsync<ForceColdStartActivity, ColdStartProbeTask, ForcedColdStart>(nameof(ForceColdStartActivity), input, executionContext);

    [Function(nameof(ProbeColdStartActivity))]
    public static Task<ColdStartProbe> ProbeColdStart([ActivityTrigger] ColdStartProbeTask input, FunctionContext executionContext) =>
        RunAsync<ProbeColdStartActivity, ColdStartProbeTask, ColdStartProbe>(nameof(ProbeColdStartActivity), input, executionContext);

    [Function(nameof(SummarizeColdStartsActivity))]
    public static Task<ColdStartSummary> SummarizeColdStarts([ActivityTrigger] SummarizeColdStartsRequest input, FunctionContext executionContext) =>
        RunAsync<SummarizeColdStartsActivity, SummarizeColdStartsRequest, ColdStartSummary>(nameof(SummarizeColdStartsActivity), input, executionContext);

    [Function(nameof(SampleCostActivity))]
    public static Task<CostSample> SampleCost([ActivityTrigger] CostSampleRequest input, FunctionContext executionContext) =>
        RunAsync<SampleCostActivity, CostSampleRequest, CostSample>(nameof(SampleCostActivity), input, executionContext);

    [Function(nameof(ReadMeteredCostActivity))]
    public static Task<MeteredCostResult> ReadMeteredCost([ActivityTrigger] MeteredCostRequest input, FunctionContext executionContext) =>
        RunAsync<ReadMeteredCostActivity, MeteredCostRequest, MeteredCostResult>(nameof(ReadMeteredCostActivity), input, executionContext);

    [Function(nameof(ReadServerTelemetryActivity))]
    public static Task<ServerTelemetryResult> ReadServerTelemetry([ActivityTrigger] ServerTelemetryRequest input, FunctionContext executionContext) =>
        RunAsync<ReadServerTelemetryActivity, ServerTelemetryRequest, ServerTelemetryResult>(nameof(ReadServerTelemetryActivity), input, executionContext);

    [Function(nameof(AnalyzeRunActivity))]
    public static Task<RunOutcome> AnalyzeRun([ActivityTrigger] AnalyzeRequest input, FunctionContext executionContext) =>
        RunAsync<AnalyzeRunActivity, AnalyzeRequest, RunOutcome>(nameof(AnalyzeRunActivity), input, executionContext);

    [Function(nameof(SendAlertsActivity))]
    public static Task<IReadOnlyList<AlertResult>> SendAlerts([ActivityTrigger] AlertRequest input, FunctionContext executionContext) =>
        RunAsync<SendAlertsActivity, AlertRequest, IReadOnlyList<AlertResult>>(nameof(SendAlertsActivity), input, executionContext);

    [Function(nameof(MeasureCapacityStepActivity))]
    public static Task<Yardstick.Core.Capacity.CapacityStepMeasurement> MeasureCapacityStep([ActivityTrigger] CapacityStepTask input, FunctionContext executionContext) =>
        RunAsync<MeasureCapacityStepActivity, CapacityStepTask, Yardstick.Core.Capacity.CapacityStepMeasurement>(nameof(MeasureCapacityStepActivity), input, executionContext);

    [Function(nameof(RecordRunTelemetryActivity))]
    public static Task<bool> RecordRunTelemetry([ActivityTrigger] RunTelemetryRequest input, FunctionContext executionContext) =>
        RunAsync<RecordRunTelemetryActivity, RunTelemetryRequest, bool>(nameof(RecordRunTelemetryActivity), input, executionContext);

    /// <summary>Runs the activity <typeparamref name="TActivity"/> resolved from the invocation's services.</summary>
    public static Task<TOutput> RunAsync<TActivity, TInput, TOutput>(string name, TInput input, FunctionContext executionContext)
        where TActivity : TaskActivity<TInput, TOutput>
    {
        var activity = executionContext.InstanceServices.GetRequiredService<TActivity>();
        return activity.RunAsync(FunctionsActivityContext.From(name, executionContext), input);
    }
}
