namespace Yardstick.Orchestration.Hosting;

/// <summary>
/// How far ahead of a round's common start its shards are scheduled (<c>RunRequest.ShardStartDelay</c>), and how far
/// apart they may begin before the run is marked degraded (<c>RunRequest.ShardStartTolerance</c>).
/// </summary>
/// <remarks>
/// Functions host arithmetic (docs/deploy.md → Scale; host.json; AZURE-FACTS §6):
/// <list type="bullet">
/// <item>A shard reaches its activity through up to two queue hops — the sub-orchestration of its group of 16 on a
/// control queue, then the work-item queue — and an idle instance polls each at most every
/// <see cref="FunctionsQueuePollingInterval"/> (host.json <c>maxQueuePollingInterval</c>): 2 × 2 s, plus 1 s for the
/// orchestrator's own step and storage latency = <b>5 s</b>.</item>
/// <item>One instance runs at most <see cref="FunctionsShardsPerInstance"/> shards (host.json
/// <c>maxConcurrentActivityFunctions</c>); the always-ready <c>durable</c> instance takes the first ones, and a round
/// with more shards waits for Flex to add ⌈shards ÷ 4⌉ − 1 instances: <see cref="FunctionsScaleOutAllowance"/>
/// (15 s, UNCONFIRMED — a shard that still starts late shows it, and the run is marked degraded) =
/// <b>20 s</b> in all.</item>
/// </list>
/// Local host: 50 ms polling and every shard in reach of a running worker: 400 ms for up to 16 shards, then
/// <see cref="LocalDispatchPerShard"/> more per activity dispatched — dispatching activities through the storage queues
/// is the local limit: on a quiet 2-core machine with Azurite, 256 shard activities began over 5.6–6.6 s (~23 ms a
/// shard) after a 400 ms lead, so every wide run was degraded; 64 shards over ~1.4 s. The CLI's own runs
/// (<c>RunRequest.ShardGroupsInProcess</c>) dispatch one activity per group of 16, so 256 shards need 775 ms: their 16
/// group activities had all begun within ~430 ms of the fan-out (2026-12-07, load average ~8). What is left of the
/// spread then (0.37–0.57 s at load averages ~2.5, up to 1.0 s at 4–11) is the shards of one process waking at the same
/// instant, not dispatch: a 2.5 s lead left it as it was.
/// </remarks>
public static class ShardStartTiming
{
    /// <summary>host.json <c>extensions.durableTask.storageProvider.maxQueuePollingInterval</c> (a test keeps them equal).</summary>
    public static readonly TimeSpan FunctionsQueuePollingInterval = TimeSpan.FromSeconds(2);

    /// <summary>host.json <c>extensions.durableTask.maxConcurrentActivityFunctions</c> (a test keeps them equal).</summary>
    public const int FunctionsShardsPerInstance = 4;

    /// <summary>Time for Flex to add an instance and for it to take work (UNCONFIRMED; the degraded marking catches a miss).</summary>
    public static readonly TimeSpan FunctionsScaleOutAllowance = TimeSpan.FromSeconds(15);

    /// <summary>Lead time of the local host for up to 16 shards (50 ms queue polling; workers already running).</summary>
    public static readonly TimeSpan LocalStartDelay = TimeSpan.FromMilliseconds(400);

    /// <summary>Local dispatch time per activity beyond the first 16 shards (measured: ~23 ms an activity through Azurite; see the remarks).</summary>
    public static readonly TimeSpan LocalDispatchPerShard = TimeSpan.FromMilliseconds(25);

    /// <summary>How far apart the shards of a round may begin before the run is <c>degraded</c>.</summary>
    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The local host's lead time for a round of <paramref name="shards"/> shards (see the remarks): one dispatch per
    /// shard beyond 16, or with <paramref name="groupsInProcess"/> (<c>RunRequest.ShardGroupsInProcess</c>) one per group
    /// of 16 beyond the first.
    /// </summary>
    public static TimeSpan ForLocal(int shards, bool groupsInProcess = false) =>
        groupsInProcess
            ? LocalStartDelay + (Math.Max(0, ((shards + 15) / 16) - 1) * LocalDispatchPerShard)
            : LocalStartDelay + (Math.Max(0, shards - 16) * LocalDispatchPerShard);

    /// <summary>The Functions host's lead time for a run of <paramref name="shards"/> shards (see the remarks).</summary>
    public static TimeSpan ForFunctions(int shards) =>
        (2 * FunctionsQueuePollingInterval) + TimeSpan.FromSeconds(1) + (shards > FunctionsShardsPerInstance ? FunctionsScaleOutAllowance : TimeSpan.Zero);
}
