namespace Yardstick.Orchestration.Contracts;

/// <summary>Input of <see cref="Activities.RecordRunFailureActivity"/>: a planned run that failed, and why.</summary>
public sealed record RunFailure
{
    public required string RunId { get; init; }

    public required string Workload { get; init; }

    /// <summary>One line: the step that failed and its error (for example "PersistRunActivity failed: …").</summary>
    public required string Reason { get; init; }
}
