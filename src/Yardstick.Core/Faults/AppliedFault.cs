namespace Yardstick.Core.Faults;

/// <summary>
/// What the fault step of a run did: when it took effect (wall clock of the host that applied it), whether it could be
/// applied, and the time to first success its own probe measured. Written by the orchestration's fault activity, read by
/// <see cref="RecoveryAnalysis"/>.
/// </summary>
public sealed record AppliedFault
{
    /// <summary>Index in the workload's <c>faults</c>.</summary>
    public int Index { get; init; }

    /// <summary><c>restart</c>, <c>appSetting</c>, <c>stall</c> or <c>fail</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>One phrase, for example <c>stall 300 ms for 5s</c>.</summary>
    public required string Description { get; init; }

    /// <summary>The offset the workload asked for, from the measured phase's start.</summary>
    public TimeSpan PlannedAt { get; init; }

    /// <summary>How long the fault lasts by design (stall, fail, appSetting); null for restart.</summary>
    public TimeSpan? For { get; init; }

    /// <summary>When the fault was set off (just before the kill, ARM call or admin toggle); null when it could not be.</summary>
    public DateTimeOffset? AppliedAt { get; init; }

    /// <summary>
    /// From <see cref="AppliedAt"/> to the end of the first 2xx answer to the target's request, sent by the fault step's
    /// own probe right after it set the fault off (request level); null when no probe succeeded in time.
    /// </summary>
    public double? TimeToFirstSuccessMs { get; init; }

    /// <summary>Why the probe found no success (its last answer), when it did not.</summary>
    public string? ProbeFailure { get; init; }

    /// <summary>Why the fault could not be applied (the run goes on; the fault is reported as not applied).</summary>
    public string? Failure { get; init; }

    /// <summary>For appSetting: when the setting was put back; null otherwise or if it was not.</summary>
    public DateTimeOffset? EndedAt { get; init; }

    public bool Applied => AppliedAt is not null && Failure is null;
}
