namespace Yardstick.Orchestration.Contracts;

/// <summary>Input of <see cref="Activities.RecordRunTelemetryActivity"/>: the finished run and its outcome (with its phase timings).</summary>
public sealed record RunTelemetryRequest
{
    public required string RunId { get; init; }

    public required string Workload { get; init; }

    public required RunOutcome Outcome { get; init; }
}
