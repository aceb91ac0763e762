using Azure;
using Azure.Data.Tables;
using Yardstick.Core.Runs;

namespace Yardstick.Cli.Hosting;

/// <summary>What the local task hub says about a run whose Runs row says it is running.</summary>
internal enum RunLiveness
{
    /// <summary>The task hub does not know the run (another hub, a deployed app): the row is all there is.</summary>
    Unknown,

    /// <summary>Pending or running, and a worker holds the hub's partitions: it is progressing.</summary>
    Live,

    /// <summary>Pending or running, but no worker holds any partition: its host died; <c>yardstick resume</c> finishes it.</summary>
    Interrupted,

    /// <summary>The orchestration has ended although the row never said so (its last write failed).</summary>
    Ended,
}

/// <summary>
/// Reads the local task hub's own tables — no worker, nothing created or written — to tell a run that is going from
/// one whose host died: the orchestration's <c>RuntimeStatus</c> in <c>{hub}Instances</c>, and whether any worker
/// holds an unexpired lease in <c>{hub}Partitions</c> (the table partition manager the local host uses; a killed
/// CLI's leases expire after 15 s, a stopped one releases them).
/// </summary>
internal sealed class TaskHubProbe(TableServiceClient tables, string taskHub, TimeProvider time)
{
    private bool? _workerAlive;

    /// <summary>The liveness of a run whose row says running (or pending).</summary>
    public async Task<(RunLiveness Liveness, string? RuntimeStatus)> CheckAsync(string runId, CancellationToken cancellationToken)
    {
        string? status;
        try
        {
            var instance = await tables.GetTableClient(taskHub + "Instances")
                .GetEntityIfExistsAsync<TableEntity>(runId, "", ["RuntimeStatus"], cancellationToken);
            if (!instance.HasValue || instance.Value is null)
            {
                return (RunLiveness.Unknown, null);
            }

            status = instance.Value.GetString("RuntimeStatus");
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // No such task hub on this storage.
            return (RunLiveness.Unknown, null);
        }

        if (status is not ("Running" or "Pending" or "ContinuedAsNew"))
        {
            return (status is null ? RunLiveness.Unknown : RunLiveness.Ended, status);
        }

        _workerAlive ??= await AnyWorkerAliveAsync(cancellationToken);
        return (_workerAlive.Value ? RunLiveness.Live : RunLiveness.Interrupted, status);
    }

    /// <summary>True when the row's status is one a dead host could have left behind.</summary>
    public static bool MayBeStale(RunRecord run) => run.Status is RunStatus.Running or RunStatus.Pending;

    private async Task<bool> AnyWorkerAliveAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        try
        {
            await foreach (var lease in tables.GetTableClient(taskHub + "Partitions")
                               .QueryAsync<TableEntity>(select: ["CurrentOwner", "ExpiresAt"], cancellationToken: cancellationToken))
            {
                if (!string.IsNullOrEmpty(lease.GetString("CurrentOwner")) && lease.GetDateTimeOffset("ExpiresAt") is { } expires && expires > now)
                {
                    return true;
                }
            }
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return false;
        }

        return false;
    }
}
