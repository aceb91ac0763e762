namespace Yardstick.Core.Workloads;

/// <summary>What a fault step does to the target (<c>faults[].kind</c>).</summary>
public enum FaultKind
{
    /// <summary>The local <c>target.process</c> is killed and started again, or the Azure app restarted through ARM.</summary>
    Restart,

    /// <summary>An Azure app setting set to a value for <see cref="FaultSpec.For"/>, then put back (which recycles the app twice).</summary>
    AppSetting,

    /// <summary>Every request waits <see cref="FaultSpec.Ms"/> extra for <see cref="FaultSpec.For"/> (the sample target's <c>/admin/stall</c>).</summary>
    Stall,

    /// <summary>A share <see cref="FaultSpec.Rate"/> of requests answer 503 for <see cref="FaultSpec.For"/> (the sample target's <c>/admin/fail</c>).</summary>
    Fail,
}

/// <summary>
/// One fault step of a fault run (<c>faults:</c>), applied at <see cref="At"/> after the measured phase starts while the
/// load runs; the run reports errors during it, the time to first success and the time to recover. Only runs that declare
/// <c>faults:</c> touch the target this way, and only a target the run may send load to.
/// </summary>
public sealed record FaultSpec
{
    /// <summary>At most this many faults in one run.</summary>
    public const int MaxFaults = 8;

    /// <summary>The longest a timed fault (stall, fail, appSetting) may last.</summary>
    public static readonly TimeSpan MaxFor = TimeSpan.FromMinutes(10);

    /// <summary>The largest extra wait of a stall (the sample target's bound).</summary>
    public const int MaxStallMs = 60_000;

    public FaultKind Kind { get; init; }

    /// <summary>Offset from the start of the measured phase.</summary>
    public TimeSpan At { get; init; }

    /// <summary>How long a stall, fail or appSetting fault lasts (required for them; a restart takes what it takes).</summary>
    public TimeSpan? For { get; init; }

    /// <summary>Stall: the extra wait per request, ms.</summary>
    public int? Ms { get; init; }

    /// <summary>Fail: the share of requests answering 503, in [0, 1].</summary>
    public double? Rate { get; init; }

    /// <summary>AppSetting: the setting's name.</summary>
    public string? Name { get; init; }

    /// <summary>AppSetting: the value it takes during the fault.</summary>
    public string? Value { get; init; }

    /// <summary>The fault's kind as written in a workload (<c>restart</c>, <c>appSetting</c>, <c>stall</c>, <c>fail</c>).</summary>
    public string KindName => Documents.MapReader.CamelCase(Kind.ToString());

    /// <summary>One short phrase for logs and reports, for example <c>stall 300 ms for 5s</c>.</summary>
    public string Describe() => Kind switch
    {
        FaultKind.Stall => FormattableString.Invariant($"stall {Ms} ms for {Load.DurationText.Format(For ?? TimeSpan.Zero)}"),
        FaultKind.Fail => FormattableString.Invariant($"fail {(Rate ?? 0) * 100:0.##}% for {Load.DurationText.Format(For ?? TimeSpan.Zero)}"),
        FaultKind.AppSetting => $"appSetting {Name} for {Load.DurationText.Format(For ?? TimeSpan.Zero)}",
        _ => "restart",
    };
}
