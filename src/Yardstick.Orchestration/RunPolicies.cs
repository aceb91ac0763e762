using Microsoft.DurableTask;

namespace Yardstick.Orchestration;

/// <summary>Retry policies of the run's activities (transient failures: storage hiccups, a target not up yet).</summary>
public static class RunPolicies
{
    /// <summary>Planning, persisting, analysis: quick storage work, retried a few times.</summary>
    public static TaskOptions Short { get; } = TaskOptions.FromRetryPolicy(
        new RetryPolicy(maxNumberOfAttempts: 3, firstRetryInterval: TimeSpan.FromSeconds(1), backoffCoefficient: 2));

    /// <summary>
    /// Load shards: a shard that got no response at all (refused connections, DNS) is retried twice with backoff,
    /// then reported as failed; the run's status then follows <c>load.minShardSuccess</c>.
    /// </summary>
    public static TaskOptions Shard { get; } = TaskOptions.FromRetryPolicy(
        new RetryPolicy(maxNumberOfAttempts: 3, firstRetryInterval: TimeSpan.FromSeconds(1), backoffCoefficient: 2));
}
