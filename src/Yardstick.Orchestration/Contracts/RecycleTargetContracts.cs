namespace Yardstick.Orchestration.Contracts;

/// <summary>Restart the run's local target process before measured round <paramref name="Round"/> (<c>compare.recycle</c>).</summary>
public sealed record RecycleTargetTask(string RunId, string Workload, int Round)
{
    /// <summary>Blob (relative to the run's folder) where the activity records what it did.</summary>
    public string RecordName => $"recycles/r{Round:D2}.json";
}

/// <summary>What recycling the target before one round took; also stored as the task's <see cref="RecycleTargetTask.RecordName"/> blob.</summary>
public sealed record RecycleTargetResult
{
    public int Round { get; init; }

    public DateTimeOffset StartedAt { get; init; }

    /// <summary>From the new process's start until its first 2xx, seconds.</summary>
    public double SettleSeconds { get; init; }
}
