using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Yardstick.Core.Ports;
using Yardstick.Orchestration;
using Yardstick.Orchestration.Contracts;

namespace Yardstick.Functions.Restores;

/// <summary>
/// The <c>finally</c> of a terminated run. Termination runs no more orchestrator code, so a sweep stopped that way
/// would leave its target as the last turn set it. This finds runs terminated in the last <see cref="LookBack"/> whose
/// folder holds <see cref="OriginalSettings.BlobName"/> but no <see cref="SettingsRestore.BlobName"/>, and starts one
/// <see cref="RestoreSettingsOrchestrator"/> each (instance id <see cref="RestoreSettingsOrchestrator.InstanceId"/>).
/// </summary>
public sealed class TerminatedRunRestorer(IArtifactStore artifacts, IRunStore runs, TimeProvider time, ILogger<TerminatedRunRestorer> logger)
{
    /// <summary>How far back terminated runs are looked for (a run lasts at most a few hours).</summary>
    public static readonly TimeSpan LookBack = TimeSpan.FromDays(2);

    /// <summary>Starts the restores that are due; returns the run ids they are for.</summary>
    public async Task<IReadOnlyList<string>> SweepAsync(DurableTaskClient client, CancellationToken cancellationToken)
    {
        var query = new OrchestrationQuery
        {
            Statuses = [OrchestrationRuntimeStatus.Terminated],
            CreatedFrom = time.GetUtcNow() - LookBack,
        };
        var started = new List<string>();
        await foreach (var instance in client.GetAllInstancesAsync(query).WithCancellation(cancellationToken))
        {
            if (instance.Name != nameof(BenchmarkRunOrchestrator)
                || await runs.GetAsync(instance.InstanceId, cancellationToken) is not { } run
                || await artifacts.GetAsync(run.Workload, run.RunId, OriginalSettings.BlobName, cancellationToken) is null
                || await artifacts.GetAsync(run.Workload, run.RunId, SettingsRestore.BlobName, cancellationToken) is not null)
            {
                continue;
            }

            var restoreId = RestoreSettingsOrchestrator.InstanceId(run.RunId);
            if (await client.GetInstanceAsync(restoreId, cancellationToken) is { RuntimeStatus: OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Pending })
            {
                continue;
            }

            await client.ScheduleNewOrchestrationInstanceAsync(
                nameof(RestoreSettingsOrchestrator),
                new RestoreSettingsTask(run.RunId, run.Workload, "terminated"),
                new StartOrchestrationOptions(restoreId),
                cancellationToken);
            Log.TerminatedRunRestoreStarted(logger, run.RunId, restoreId);
            started.Add(run.RunId);
        }

        return started;
    }
}
