using Yardstick.Core.ColdStart;
using Yardstick.Core.Workloads;

namespace Yardstick.Orchestration.Contracts;

/// <summary>What <see cref="ProbeColdStartsOrchestrator"/> needs to drive the probes (the rest is read from <c>plan.json</c> by the activities).</summary>
public sealed record ColdStartPlan
{
    public ColdStartStrategy Strategy { get; init; }

    /// <summary>Probes in all: for an eviction curve the workload's probes times its idle times.</summary>
    public int Probes { get; init; }

    /// <summary>Durable timer before each probe (<c>idle</c>).</summary>
    public TimeSpan IdleTime { get; init; }

    /// <summary>The eviction curve's idle times (<c>idle</c>), probed in turn; empty: <see cref="IdleTime"/> for every probe.</summary>
    public IReadOnlyList<TimeSpan> IdleTimes { get; init; } = [];

    /// <summary>Idle time before probe <paramref name="index"/>: the idle times cycle in the order written, one round after another.</summary>
    public TimeSpan IdleTimeOf(int index) => IdleTimes.Count > 0 ? IdleTimes[index % IdleTimes.Count] : IdleTime;

    /// <summary>Durable timer between forcing and probing (<c>restart</c>, <c>appSetting</c>).</summary>
    public TimeSpan Settle { get; init; }

    /// <summary>Probes without an instance header are resolved from App Insights (Azure target with a workspace and Azure access).</summary>
    public bool UseTelemetry { get; init; }

    /// <summary>Wait for the telemetry to be ingested before reading it.</summary>
    public TimeSpan TelemetryDelay { get; init; }
}

/// <summary>Input of <see cref="ProbeColdStartsOrchestrator"/>.</summary>
public sealed record ProbeColdStartsRequest(string RunId, string Workload, ColdStartPlan Plan);

/// <summary>
/// One probe of a run; <see cref="ForcedAt"/> and <see cref="Counter"/> are set after a forcing activity. <see cref="Prime"/>:
/// the request before the first idle wait (a local target process is started first), whose instance is the first one seen.
/// </summary>
public sealed record ColdStartProbeTask(string RunId, string Workload, int Index, DateTimeOffset? ForcedAt = null, long? Counter = null, bool Prime = false);

/// <summary>Output of <see cref="Activities.ForceColdStartActivity"/>.</summary>
public sealed record ForcedColdStart
{
    /// <summary>Wall-clock time just before the restart or setting change was sent.</summary>
    public DateTimeOffset ForcedAt { get; init; }

    /// <summary>The <c>YARDSTICK_COLD_START</c> value written (appSetting).</summary>
    public long? Counter { get; init; }

    /// <summary>Set when the app did not report Running within the probe timeout (the probe still runs and says so).</summary>
    public string? Note { get; init; }
}

/// <summary>Input of <see cref="Activities.SummarizeColdStartsActivity"/>: every probe as measured.</summary>
public sealed record SummarizeColdStartsRequest
{
    public required string RunId { get; init; }

    public required string Workload { get; init; }

    public ColdStartStrategy Strategy { get; init; }

    public IReadOnlyList<ColdStartProbe> Probes { get; init; } = [];

    public bool UseTelemetry { get; init; }

    /// <summary>Instance that answered the priming request of the <c>idle</c> strategy (null: none, or it had no identity).</summary>
    public string? PrimedInstance { get; init; }

    public IReadOnlyList<string> Notes { get; init; } = [];
}
