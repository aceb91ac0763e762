using Yardstick.Core.Workloads;

namespace Yardstick.Orchestration.Contracts;

/// <summary>One fault of a fault run as the orchestrator needs it: which, when, and for how long.</summary>
public sealed record FaultPlan
{
    /// <summary>Index in the workload's <c>faults</c>.</summary>
    public int Index { get; init; }

    public FaultKind Kind { get; init; }

    /// <summary>Offset from the measured phase's start.</summary>
    public TimeSpan At { get; init; }

    /// <summary>How long a timed fault lasts (appSetting: when the orchestrator puts the setting back).</summary>
    public TimeSpan? For { get; init; }
}

/// <summary>Input of <see cref="Activities.ApplyFaultActivity"/>: the run, the index of the fault to set off, and when it is due.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Workload">Its workload (the run's folder).</param>
/// <param name="Index">Index in the workload's <c>faults</c>.</param>
/// <param name="DueAt">The measured phase's start + the fault's offset: the activity waits for it on the wall clock, as shards
/// wait for their common start (a durable timer may fire a little early); null sets it off at once.</param>
public sealed record FaultTask(string RunId, string Workload, int Index, DateTimeOffset? DueAt = null)
{
    /// <summary>Blob (relative to the run's folder) where the activity records what it did.</summary>
    public string RecordName => $"faults/f{Index:D2}.json";
}
