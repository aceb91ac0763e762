namespace Yardstick.Orchestration.Contracts;

/// <summary>Input of <see cref="Activities.AnalyzeRunActivity"/>: the persisted run and the baseline it asked for.</summary>
public sealed record AnalyzeRequest
{
    public required RunPlan Plan { get; init; }

    /// <summary>What <see cref="Activities.PersistRunActivity"/> returned.</summary>
    public required RunOutcome Outcome { get; init; }

    /// <summary>
    /// <see cref="RunRequest.Baseline"/>: <c>current</c> (the promoted baseline), a run id, or null to follow the workload's
    /// <c>compare.baseline</c> (<c>current</c> by default, or <c>rolling(N)</c>).
    /// </summary>
    public string? Baseline { get; init; }

    /// <summary><see cref="RunRequest.AllowDatasetChange"/>.</summary>
    public bool AllowDatasetChange { get; init; }
}
