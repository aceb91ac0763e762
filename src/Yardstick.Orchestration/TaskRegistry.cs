using Yardstick.Orchestration.Activities;

namespace Yardstick.Orchestration;

public enum TaskKind
{
    Orchestrator,
    Activity,
}

/// <summary>One Durable task: its name (always the class name) and its class.</summary>
public sealed record TaskRegistration(string Name, Type Type, TaskKind Kind);

/// <summary>
/// Every orchestrator and activity, named once. Both hosts register exactly this list: the local host builds
/// its TaskHubWorker from it, and a test checks that the Functions host has one wrapper per entry.
/// </summary>
public static class TaskRegistry
{
    public static IReadOnlyList<TaskRegistration> Orchestrators { get; } =
    [
        new(nameof(BenchmarkRunOrchestrator), typeof(BenchmarkRunOrchestrator), TaskKind.Orchestrator),
        new(nameof(ProbeColdStartsOrchestrator), typeof(ProbeColdStartsOrchestrator), TaskKind.Orchestrator),
        new(nameof(RunShardGroupOrchestrator), typeof(RunShardGroupOrchestrator), TaskKind.Orchestrator),
        new(nameof(RestoreSettingsOrchestrator), typeof(RestoreSettingsOrchestrator), TaskKind.Orchestrator),
    ];

    public static IReadOnlyList<TaskRegistration> Activities { get; } =
    [
        new(nameof(PlanRunActivity), typeof(PlanRunActivity), TaskKind.Activity),
        new(nameof(RunLoadShardActivity), typeof(RunLoadShardActivity), TaskKind.Activity),
        new(nameof(RunLoadShardGroupActivity), typeof(RunLoadShardGroupActivity), TaskKind.Activity),
        new(nameof(ApplySettingsActivity), typeof(ApplySettingsActivity), TaskKind.Activity),
        new(nameof(RecycleTargetActivity), typeof(RecycleTargetActivity), TaskKind.Activity),
        new(nameof(RestoreSettingsActivity), typeof(RestoreSettingsActivity), TaskKind.Activity),
        new(nameof(PersistRunActivity), typeof(PersistRunActivity), TaskKind.Activity),
        new(nameof(ProbeProcessColdStartActivity), typeof(ProbeProcessColdStartActivity), TaskKind.Activity),
        new(nameof(ForceColdStartActivity), typeof(ForceColdStartActivity), TaskKind.Activity),
        new(nameof(ProbeColdStartActivity), typeof(ProbeColdStartActivity), TaskKind.Activity),
        new(nameof(SummarizeColdStartsActivity), typeof(SummarizeColdStartsActivity), TaskKind.Activity),
        new(nameof(SampleCostActivity), typeof(SampleCostActivity), TaskKind.Activity),
        new(nameof(ReadMeteredCostActivity), typeof(ReadMeteredCostActivity), TaskKind.Activity),
        new(nameof(ReadServerTelemetryActivity), typeof(ReadServerTelemetryActivity), TaskKind.Activity),
        new(nameof(AnalyzeRunActivity), typeof(AnalyzeRunActivity), TaskKind.Activity),
        new(nameof(RecordRunFailureActivity), typeof(RecordRunFailureActivity), TaskKind.Activity),
        new(nameof(SendAlertsActivity), typeof(SendAlertsActivity), TaskKind.Activity),
        new(nameof(MeasureCapacityStepActivity), typeof(MeasureCapacityStepActivity), TaskKind.Activity),
        new(nameof(RecordRunTelemetryActivity), typeof(RecordRunTelemetryActivity), TaskKind.Activity),
        new(nameof(ApplyFaultActivity), typeof(ApplyFaultActivity), TaskKind.Activity),
    ];

    public static IEnumerable<TaskRegistration> All => Orchestrators.Concat(Activities);
}
