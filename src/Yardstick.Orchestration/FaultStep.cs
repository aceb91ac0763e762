using Microsoft.DurableTask;
using Yardstick.Core.Faults;
using Yardstick.Core.Workloads;
using Yardstick.Orchestration.Activities;
using Yardstick.Orchestration.Contracts;

namespace Yardstick.Orchestration;

/// <summary>
/// The faults of a fault run, beside the measured shards: each waits on a durable timer for its offset from the shards'
/// common start, then <see cref="ApplyFaultActivity"/> sets it off (no retries: a fault applied twice or late would measure
/// something else). An appSetting fault is put back after its <c>for</c> by <see cref="RestoreSettingsActivity"/> (and again
/// when the run ends, by the orchestrator's finally). Replay-safe: timers and activity results only.
/// </summary>
public static class FaultStep
{
    /// <summary>Starts every fault of <paramref name="plan"/>; the tasks end when each fault has been set off (and an appSetting put back).</summary>
    public static List<Task<AppliedFault>> Start(TaskOrchestrationContext context, RunPlan plan, DateTimeOffset measuredStart) =>
        plan.Faults.Select(fault => RunAsync(context, plan, fault, measuredStart)).ToList();

    private static async Task<AppliedFault> RunAsync(TaskOrchestrationContext context, RunPlan plan, FaultPlan fault, DateTimeOffset measuredStart)
    {
        await context.CreateTimer((measuredStart + fault.At).UtcDateTime, CancellationToken.None);
        AppliedFault applied;
        try
        {
            applied = await context.CallActivityAsync<AppliedFault>(
                nameof(ApplyFaultActivity), new FaultTask(plan.RunId, plan.Workload, fault.Index, measuredStart + fault.At), new TaskOptions(retry: null));
        }
        catch (TaskFailedException e)
        {
            applied = new AppliedFault
            {
                Index = fault.Index,
                Kind = FaultKindName(fault.Kind),
                Description = FaultKindName(fault.Kind),
                PlannedAt = fault.At,
                For = fault.For,
                Failure = e.FailureDetails.ErrorMessage,
            };
        }

        if (fault.Kind == FaultKind.AppSetting && applied.Applied && fault.For is { } length)
        {
            await context.CreateTimer((measuredStart + fault.At + length).UtcDateTime, CancellationToken.None);
            try
            {
                var restore = await context.CallActivityAsync<SettingsRestore>(
                    nameof(RestoreSettingsActivity), new RestoreSettingsTask(plan.RunId, plan.Workload, $"faults[{fault.Index}] ended", $"faults/f{fault.Index:D2}-restored.json"), RunPolicies.Short);
                applied = applied with { EndedAt = restore.Settings.Select(s => (DateTimeOffset?)s.RestoredAt).Max() };
            }
            catch (TaskFailedException)
            {
                // The run's end restores again (and reports a restore that still fails); the fault stays without an end time.
            }
        }

        return applied;
    }

    private static string FaultKindName(FaultKind kind) => char.ToLowerInvariant(kind.ToString()[0]) + kind.ToString()[1..];
}
