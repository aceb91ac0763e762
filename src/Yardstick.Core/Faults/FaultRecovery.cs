namespace Yardstick.Core.Faults;

/// <summary>
/// The per-second p99 latency (and error rate) a target shows before the first fault of a run: seconds whose p99 is at
/// most <see cref="UpperP99Ms"/> and whose error rate is at most <see cref="MaxErrorRate"/> count as "within the band".
/// </summary>
/// <param name="Seconds">Pre-fault seconds with requests the band was read from.</param>
/// <param name="MedianP99Ms">Median of their p99s.</param>
/// <param name="MadP99Ms">Median absolute deviation of their p99s (unscaled).</param>
/// <param name="UpperP99Ms">median + max(3 × 1.4826 × MAD, 25 % of the median): the band's top.</param>
/// <param name="MaxErrorRate">The largest per-second error rate before the fault (usually 0).</param>
public sealed record PreFaultBand(int Seconds, double MedianP99Ms, double MadP99Ms, double UpperP99Ms, double MaxErrorRate);

/// <summary>One fault of a fault run as measured: when it happened, what it cost, and how long the target took to recover.</summary>
public sealed record FaultRecovery
{
    public int Index { get; init; }

    public required string Kind { get; init; }

    public required string Description { get; init; }

    /// <summary>The offset asked for, seconds from the measured phase's start.</summary>
    public double PlannedOffsetSeconds { get; init; }

    /// <summary>When it was set off, seconds from the measured phase's start; null when it was not applied.</summary>
    public double? AppliedOffsetSeconds { get; init; }

    /// <summary>When it was set off (wall clock of the host that did it); null when it was not applied.</summary>
    public DateTimeOffset? AppliedAt { get; init; }

    /// <summary>How long the fault lasted by design (stall, fail, appSetting), seconds.</summary>
    public double? ForSeconds { get; init; }

    /// <summary>Why the fault could not be applied; null when it was.</summary>
    public string? Failure { get; init; }

    /// <summary>The band recovery is judged against; null when too few seconds preceded the first fault.</summary>
    public PreFaultBand? Band { get; init; }

    /// <summary>Requests that ended from the fault's second until the target recovered (or the analysis window ended).</summary>
    public long RequestsDuring { get; init; }

    /// <summary>Errors among <see cref="RequestsDuring"/>.</summary>
    public long ErrorsDuring { get; init; }

    /// <summary>From the fault to the first 2xx its probe got (request level, see <see cref="AppliedFault.TimeToFirstSuccessMs"/>).</summary>
    public double? TimeToFirstSuccessSeconds { get; init; }

    /// <summary>
    /// From the fault to the start of the first second after which the per-second p99 and error rate stay within the band for
    /// <see cref="RecoveryAnalysis.SustainSeconds"/> seconds; null when that did not happen (see <see cref="NotRecoveredReason"/>).
    /// </summary>
    public double? TimeToRecoverSeconds { get; init; }

    /// <summary>Why <see cref="TimeToRecoverSeconds"/> is null: did not recover within the run, no band, not applied.</summary>
    public string? NotRecoveredReason { get; init; }

    /// <summary>The highest per-second p99 from the fault until recovery (or the window's end), ms.</summary>
    public double? PeakP99Ms { get; init; }
}
