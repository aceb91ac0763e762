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
