using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Yardstick.Core.Measurements;
using Yardstick.Core.Ports;
using Yardstick.Orchestration.Contracts;
using Yardstick.Orchestration.Hosting;

namespace Yardstick.Orchestration.Activities;

/// <summary>
/// One group of a wide round (<see cref="ShardFanOut.GroupSize"/> shards) as a single activity, for single-process hosts
/// (<see cref="RunRequest.ShardGroupsInProcess"/>): its shards run concurrently in this process, each exactly as
/// <see cref="RunLoadShardActivity"/> runs it (same result blobs, same summaries, same common start), each retried as
/// <see cref="RunPolicies.Shard"/> retries a shard activity. Dispatching one activity instead of sixteen saves the
/// storage-queue round trips per shard that bound a wide local run on Azurite. Idempotent like the shard activity: a
/// re-delivered group (its process killed, a resumed run) does not run again the shards whose results are stored.
/// </summary>
public sealed class RunLoadShardGroupActivity(
    RunLoadShardActivity shard,
    IArtifactStore artifacts,
    YardstickHostOptions options,
    TimeProvider time,
    ILogger<RunLoadShardGroupActivity> logger) : TaskActivity<ShardGroupTask, List<ShardSummary>>
{
    public override async Task<List<ShardSummary>> RunAsync(TaskActivityContext context, ShardGroupTask input)
    {
        ArgumentNullException.ThrowIfNull(input);

        // One listing of the round's stored results; only the shards found in it are looked at as the shard activity
        // does (a successful result is kept, a failed one run again), the others start without a read each.
        var stored = (await artifacts.ListAsync(input.Workload, input.RunId, ShardResultNames.RoundFolder(input.Phase, input.Round, input.Variant), options.Shutdown))
            .ToHashSet(StringComparer.Ordinal);
        return await RunGroupAsync(
            input, task => shard.RunAsync(task, storedResultMayExist: stored.Contains(ShardResultNames.For(task))), RunPolicies.Shard.Retry!.Policy!, time, logger, options.Shutdown);
    }

    /// <summary>
    /// Runs the group's shards at once through <paramref name="runShard"/>, each retried by <paramref name="retry"/>
    /// (attempts and backoff as Durable applies them), and returns their summaries in shard order. A shard still failing
    /// after its attempts comes back as a summary with the failure reason, as the per-shard fan-out reports it; only the
    /// host shutting down fails the group, so the work item runs again on resume.
    /// </summary>
    public static async Task<List<ShardSummary>> RunGroupAsync(
        ShardGroupTask group, Func<ShardTask, Task<ShardSummary>> runShard, RetryPolicy retry, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(runShard);
        ArgumentNullException.ThrowIfNull(retry);

        // Each shard on its own pool thread, so one shard's synchronous set-up does not hold back the others' start.
        var running = ShardFanOut.Tasks(group)
            .Select(task => Task.Run(() => RunWithRetryAsync(task, runShard, retry, time, logger, cancellationToken), CancellationToken.None))
            .ToList();
        var done = await Task.WhenAll(running);
        return [.. done.OrderBy(s => s.ShardIndex)];
    }

    private static async Task<ShardSummary> RunWithRetryAsync(
        ShardTask task, Func<ShardTask, Task<ShardSummary>> runShard, RetryPolicy retry, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await runShard(task);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                if (attempt >= retry.MaxNumberOfAttempts)
                {
                    return ShardFanOut.Failed(task, e.Message);
                }

                var delay = RetryDelay(retry, attempt);
                Log.ShardRetrying(logger, task.RunId, task.Key, attempt, delay.TotalSeconds, e.Message);
                await Task.Delay(delay, time, cancellationToken);
            }
        }
    }

    /// <summary>The wait after failed attempt <paramref name="attempt"/> (1-based), as Durable computes it for a retried activity.</summary>
    public static TimeSpan RetryDelay(RetryPolicy retry, int attempt)
    {
        ArgumentNullException.ThrowIfNull(retry);
        var delay = TimeSpan.FromTicks((long)(retry.FirstRetryInterval.Ticks * Math.Pow(retry.BackoffCoefficient, attempt - 1)));
        return retry.MaxRetryInterval is { } max && delay > max ? max : delay;
    }
}
