namespace Yardstick.Core.Runs;

/// <summary>Lifecycle of a benchmark run as stored in the <c>Runs</c> table.</summary>
public enum RunStatus
{
    Pending,
    Running,

    /// <summary>Every shard succeeded.</summary>
    Completed,

    /// <summary>Some shards failed, but at least <c>load.minShardSuccess</c> of them succeeded.</summary>
    Degraded,

    /// <summary>Too few shards succeeded, or the run could not be planned.</summary>
    Failed,

    Cancelled,
}
