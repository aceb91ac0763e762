namespace Yardstick.Orchestration.Contracts;

/// <summary>Input of <see cref="Activities.SendAlertsActivity"/>: the run as it ended (verdict, thresholds, status).</summary>
public sealed record AlertRequest
{
    public required string RunId { get; init; }

    public required string Workload { get; init; }

    public required RunOutcome Outcome { get; init; }
}

/// <summary>
/// One alert of a run: condition (<c>regression</c>, <c>failed</c>, <c>threshold</c>, <c>drift</c>), channel (<c>slack-0</c>: type and
/// position, never the URL), state (<c>sent</c>, <c>failed</c>, <c>suppressed</c>, <c>sending</c>) and what happened.
/// </summary>
public sealed record AlertResult(string Condition, string Channel, string State, string? Detail);
