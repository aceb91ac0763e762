using Microsoft.DurableTask;
using Yardstick.Core.Measurements;
using Yardstick.Core.Load;
using Yardstick.Orchestration.Activities;
using Yardstick.Orchestration.Contracts;

namespace Yardstick.Orchestration;

/// <summary>
/// How a round's shards are fanned out. Up to <see cref="GroupSize"/> shards, the run's orchestrator calls one
/// <see cref="RunLoadShardActivity"/> per shard itself. Wider rounds go through one <see cref="RunShardGroupOrchestrator"/>
/// per <see cref="GroupSize"/> shards: every orchestrator episode replays its instance's whole history, and one
/// episode runs per batch of shard completions, so a flat fan-out of K shards costs O(K²) replay and history reads
/// (measured at 256 shards: ~9 s per episode on Azurite, control-queue messages outliving their visibility timeout,
/// 111–123 s of persist). In groups every history stays at most ~<see cref="GroupSize"/> tasks long and the cost grows
/// linearly with K. On a single-process host (<see cref="RunRequest.ShardGroupsInProcess"/>) each group is instead one
/// <see cref="RunLoadShardGroupActivity"/> called by the run itself, its shards run concurrently in that activity: one
/// queue round trip per group instead of one per shard (see docs/design/ARCHITECTURE.md).
/// </summary>
public static class ShardFanOut
{
    /// <summary>Shards per group: keeps each orchestration history short (the shards an instance runs at once are set apart, by host.json's <c>maxConcurrentActivityFunctions</c>).</summary>
    public const int GroupSize = 16;

    /// <summary>Runs the shards <c>[first, first + count)</c> of one round and returns their summaries as they finish.</summary>
    public static List<Task<ShardSummary>> Start(TaskOrchestrationContext context, ShardGroupTask group)
    {
        return [.. Tasks(group).Select(task => RunShardAsync(context, task))];
    }

    /// <summary>The shard tasks of a group, in shard order: the inputs its shard activities get, or its group activity runs.</summary>
    public static IEnumerable<ShardTask> Tasks(ShardGroupTask group)
    {
        ArgumentNullException.ThrowIfNull(group);
        for (var shard = group.FirstShard; shard < group.FirstShard + group.Count; shard++)
        {
            yield return new ShardTask(group.RunId, group.Workload, group.Phase, group.Round, group.Variant, shard, group.StartAt, group.RatePerSecond);
        }
    }

    /// <summary>The summary of a shard that still failed after its retries, with the reason of its last attempt.</summary>
    public static ShardSummary Failed(ShardTask task, string reason) => new()
    {
        Key = task.Key,
        Phase = task.Phase,
        Round = task.Round,
        Variant = task.Variant,
        ShardIndex = task.ShardIndex,
        ResultRef = ShardResultNames.For(task),
        FailureReason = reason,
    };

    /// <summary>The groups of a round of <paramref name="shards"/> shards, in shard order.</summary>
    public static IEnumerable<ShardGroupTask> Groups(string runId, string workload, RunPhase phase, int round, string variant, int shards, DateTimeOffset startAt, double? ratePerSecond = null)
    {
        for (var first = 0; first < shards; first += GroupSize)
        {
            yield return new ShardGroupTask(runId, workload, phase, round, variant, first, Math.Min(GroupSize, shards - first), startAt, ratePerSecond);
        }
    }

    /// <summary>
    /// The group's sub-orchestration instance id: fixed by run, phase, round, variant and first shard, so a replayed or
    /// resumed run finds the same child. The variant is reduced to instance-id-safe characters plus a hash of its text.
    /// </summary>
    public static string InstanceId(ShardGroupTask group)
    {
        var variant = group.Variant.Length == 0
            ? ""
            : "-" + new string(group.Variant.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').Take(32).ToArray())
                + "-" + ((ulong)Seeds.FromText(group.Variant) % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
        return $"{group.RunId}-{group.Phase.ToString().ToLowerInvariant()}-r{group.Round:D2}{variant}-g{group.FirstShard:D4}";
    }

    /// <summary>A shard that still fails after its retries is reported, not fatal: the run's status follows <c>minShardSuccess</c>.</summary>
    private static async Task<ShardSummary> RunShardAsync(TaskOrchestrationContext context, ShardTask task)
    {
        try
        {
            return await context.CallActivityAsync<ShardSummary>(nameof(RunLoadShardActivity), task, RunPolicies.Shard);
        }
        catch (TaskFailedException e)
        {
            return Failed(task, e.FailureDetails.ErrorMessage);
        }
    }
}
