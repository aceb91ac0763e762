using Yardstick.Core.Runs;

namespace Yardstick.Orchestration.Contracts;

/// <summary>
/// Body of <c>POST /api/runs</c> and <c>POST /api/gate</c>. Exactly one of <see cref="Workload"/> (a workload deployed
/// with the app, by name) or <see cref="WorkloadText"/> (YAML or JSON inline).
/// </summary>
public sealed record StartRunBody
{
    public string? Workload { get; init; }

    public string? WorkloadText { get; init; }

    /// <summary><c>--set</c>-style overrides: <c>load.rate=300/s</c>.</summary>
    public IReadOnlyList<string> Overrides { get; init; } = [];

    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    /// <summary><c>current</c> (default) or a run id.</summary>
    public string? Baseline { get; init; }

    /// <summary>Gate only: how long to wait for the verdict before answering 202 (capped at 200 s).</summary>
    public int? BudgetSeconds { get; init; }

    /// <summary>
    /// The paired A/B gate's reference origin (what runs in production): the same as the override
    /// <c>compare.against.url=…</c>, validated the same way, with errors naming <c>against</c>.
    /// </summary>
    public string? Against { get; init; }
}

/// <summary>
/// The 202 answer to a started run: where to poll, on Yardstick's own routes only. Durable Functions' management URLs
/// (<c>…/runtime/webhooks/durabletask/…?code=…</c>) are never part of it: they carry the extension's system key, which
/// would let any function-key holder terminate, rewind or purge every instance of the task hub.
/// </summary>
public sealed record StartRunResponse
{
    public required string Id { get; init; }

    public required string RunId { get; init; }

    public required string Workload { get; init; }

    /// <summary><c>GET /api/runs/{id}</c>: 202 while running, 200 when finished.</summary>
    public required string StatusQueryGetUri { get; init; }

    /// <summary><c>GET /api/runs/{id}/report</c>.</summary>
    public string? ReportUri { get; init; }
}

/// <summary>
/// Body of <c>GET /api/runs/{id}</c> (and of a finished <c>POST /api/gate</c>): 202 while <see cref="RuntimeStatus"/> is
/// Pending or Running, 200 once Completed, Failed or Terminated.
/// </summary>
public sealed record RunStatusResponse
{
    public required string RunId { get; init; }

    /// <summary>Durable runtime status: Pending, Running, Completed, Failed, Terminated, Suspended.</summary>
    public required string RuntimeStatus { get; init; }

    public bool IsFinished => RuntimeStatus is "Completed" or "Failed" or "Terminated";

    public RunProgress? Progress { get; init; }

    /// <summary>The orchestration's output once Completed.</summary>
    public RunOutcome? Outcome { get; init; }

    /// <summary>The stored row of the run, when there is one.</summary>
    public RunRecord? Run { get; init; }

    /// <summary>Why the orchestration failed, when it did.</summary>
    public string? Failure { get; init; }

    public DateTimeOffset? CreatedAt { get; init; }

    public DateTimeOffset? LastUpdatedAt { get; init; }

    public string? StatusQueryGetUri { get; init; }

    public string? ReportUri { get; init; }
}
