using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Yardstick.Core.Measurements;
using Yardstick.Core.Summaries;
using Yardstick.Orchestration;
using Yardstick.Orchestration.Contracts;

namespace Yardstick.Functions.Functions;

/// <summary>
/// One [Function] per orchestrator of <see cref="TaskRegistry"/>, named like it. No source generator is available,
/// so these wrappers are written by hand; they only hand the context and input to the shared class. Orchestrators take
/// no dependencies (Durable determinism), so each execution gets a fresh instance.
/// </summary>
public static class OrchestratorFunctions
{
    [Function(nameof(BenchmarkRunOrchestrator))]
    public static Task<RunOutcome> BenchmarkRun([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new BenchmarkRunOrchestrator().RunAsync(context, context.GetInput<RunRequest>()!);

    [Function(nameof(ProbeColdStartsOrchestrator))]
    public static Task<ColdStartSummary> ProbeColdStarts([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new ProbeColdStartsOrchestrator().RunAsync(context, context.GetInput<ProbeColdStartsRequest>()!);

    [Function(nameof(RestoreSettingsOrchestrator))]
    public static Task<SettingsRestore> RestoreSettings([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new RestoreSettingsOrchestrator().RunAsync(context, context.GetInput<RestoreSettingsTask>()!);

    [Function(nameof(RunShardGroupOrchestrator))]
    public static Task<List<ShardSummary>> RunShardGroup([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new RunShardGroupOrchestrator().RunAsync(context, context.GetInput<ShardGroupTask>()!);
}
