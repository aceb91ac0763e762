namespace Yardstick.Orchestration.Contracts;

/// <summary>Input of <see cref="Activities.ApplySettingsActivity"/>: which sweep value to apply before which turn.</summary>
public sealed record ApplySettingsTask(string RunId, string Workload, int Round, int VariantIndex, string Variant)
{
    /// <summary>Blob (relative to the run's folder) where the activity records what it did.</summary>
    public string RecordName => $"settings/r{Round:D2}-v{VariantIndex:D2}.json";
}

/// <summary>What applying one sweep value took; also stored as the task's <see cref="ApplySettingsTask.RecordName"/> blob.</summary>
public sealed record ApplySettingsResult
{
    public required string Variant { get; init; }

    public int Round { get; init; }

    /// <summary>The sweep parameter (<c>instanceMemoryMB</c>, <c>appSetting:NAME</c>…).</summary>
    public required string Parameter { get; init; }

    /// <summary><c>azure</c> (ARM) or <c>process</c> (local target restarted with the setting in its environment).</summary>
    public required string Target { get; init; }

    public DateTimeOffset StartedAt { get; init; }

    /// <summary>Whole step: changing the setting plus waiting until the target served again, seconds.</summary>
    public double ApplySeconds { get; init; }

    /// <summary>The waiting part of <see cref="ApplySeconds"/>: from the change until the first 2xx, seconds.</summary>
    public double SettleSeconds { get; init; }
}

/// <summary>
/// What a sweep found before it first changed the target (blob <see cref="BlobName"/> of the run), written by
/// <see cref="Activities.ApplySettingsActivity"/> before its first write and never overwritten, so a retry cannot record
/// a value the run itself set.
/// </summary>
public sealed record OriginalSettings
{
    public const string BlobName = "settings/original.json";

    public required string ResourceId { get; init; }

    public IReadOnlyList<OriginalSetting> Settings { get; init; } = [];
}

/// <summary>One sweep parameter as it was before the run.</summary>
public sealed record OriginalSetting
{
    /// <summary>The sweep parameter (<c>instanceMemoryMB</c>, <c>appSetting:NAME</c>…).</summary>
    public required string Parameter { get; init; }

    /// <summary>The value in sweep-value text; null when it was unset (an app setting that did not exist).</summary>
    public string? Value { get; init; }

    public DateTimeOffset ReadAt { get; init; }
}

/// <summary>Input of <see cref="Activities.RestoreSettingsActivity"/>: why the run's settings are being put back.</summary>
/// <param name="RunId">The run whose settings are put back.</param>
/// <param name="Workload">Its workload (the run's folder).</param>
/// <param name="Reason"><c>completed</c>, <c>failed</c> or <c>terminated</c> (or <c>faults[i] ended</c>).</param>
/// <param name="RecordName">Where the record goes: <see cref="SettingsRestore.BlobName"/> at the run's end (its presence
/// tells the terminated-run restorer the run was put back); an appSetting fault's own restore, in the middle of the run,
/// writes its own record so a later fault's change is still restored if the run is terminated.</param>
public sealed record RestoreSettingsTask(string RunId, string Workload, string Reason, string? RecordName = null);

/// <summary>What the run put back when it ended (blob <see cref="BlobName"/> of the run); empty when it changed nothing.</summary>
public sealed record SettingsRestore
{
    public const string BlobName = "settings/restored.json";

    public string? ResourceId { get; init; }

    /// <summary>Why: <c>completed</c>, <c>failed</c> or <c>terminated</c>.</summary>
    public required string Reason { get; init; }

    public IReadOnlyList<RestoredSetting> Settings { get; init; } = [];

    /// <summary>Why the restore step itself failed after its retries (the orchestrator's view); null when it ran.</summary>
    public string? Failure { get; init; }

    /// <summary>Whether every setting is back as it was.</summary>
    public bool Complete => Failure is null && Settings.All(s => s.Error is null);
}

/// <summary>One setting put back (or, with <see cref="Error"/>, not).</summary>
public sealed record RestoredSetting
{
    public required string Parameter { get; init; }

    /// <summary>The old value written back; null when the setting was removed (it did not exist before the run).</summary>
    public string? Value { get; init; }

    public DateTimeOffset RestoredAt { get; init; }

    public string? Error { get; init; }
}
