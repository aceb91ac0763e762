using Microsoft.DurableTask;
using Yardstick.Orchestration.Activities;
using Yardstick.Orchestration.Contracts;

namespace Yardstick.Orchestration;

/// <summary>
/// Puts back the settings of a run that ended without reaching its own restore step — a run terminated through Durable
/// runs no more orchestrator code. Started by the Functions host's <c>RestoreTerminatedRuns</c> timer with the instance
/// id <see cref="InstanceId"/>, so one run gets one restore; the activity itself is idempotent.
/// </summary>
public sealed class RestoreSettingsOrchestrator : TaskOrchestrator<RestoreSettingsTask, SettingsRestore>
{
    /// <summary>The restore's instance id for a run.</summary>
    public static string InstanceId(string runId) => runId + "-restore";

    public override async Task<SettingsRestore> RunAsync(TaskOrchestrationContext context, RestoreSettingsTask input)
    {
        try
        {
            return await context.CallActivityAsync<SettingsRestore>(nameof(RestoreSettingsActivity), input, RunPolicies.Short);
        }
        catch (TaskFailedException e)
        {
            Log.SettingsNotRestored(context.CreateReplaySafeLogger<RestoreSettingsOrchestrator>(), input.RunId, e.FailureDetails.ErrorMessage);
            return new SettingsRestore { Reason = input.Reason, Failure = e.FailureDetails.ErrorMessage };
        }
    }
}
