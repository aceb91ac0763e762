using System.Globalization;
using Yardstick.Core.Faults;

namespace Yardstick.Reports;

/// <summary>How reports write a fault run's faults (the <c>faults</c> section of <c>summary.json</c>): the CLI, report.md and report.html share these.</summary>
public static class FaultText
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>An offset from the measured phase's start: <c>8.0 s</c>; <c>-</c> when absent.</summary>
    public static string Offset(double? seconds) => seconds is { } s ? s.ToString("0.0", Invariant) + " s" : "-";

    /// <summary>A short duration with two decimals below 10 s (<c>0.34 s</c>, <c>4.75 s</c>); <c>-</c> when absent.</summary>
    public static string Duration(double? seconds) => seconds switch
    {
        null => "-",
        < 10 => seconds.Value.ToString("0.00", Invariant) + " s",
        _ => ReportText.Seconds(seconds.Value),
    };

    /// <summary>The time to recover, or <c>not recovered</c>.</summary>
    public static string Recovery(FaultRecovery fault) =>
        fault.TimeToRecoverSeconds is { } s ? Duration(s) : fault.AppliedOffsetSeconds is null ? "not applied" : "not recovered";

    /// <summary>Errors of the requests during the fault: <c>150 of 400</c>.</summary>
    public static string Errors(FaultRecovery fault) =>
        fault.AppliedOffsetSeconds is null ? "-" : $"{ReportText.Count(fault.ErrorsDuring)} of {ReportText.Count(fault.RequestsDuring)}";

    /// <summary>The band in one phrase: <c>p99 ≤ 5.94 ms, errors ≤ 0 % (median 4.75 ms, MAD 0.79 ms, 8 s before the first fault)</c>.</summary>
    public static string Band(PreFaultBand band)
    {
        ArgumentNullException.ThrowIfNull(band);
        return $"p99 ≤ {ReportText.Ms(band.UpperP99Ms)}, errors ≤ {(band.MaxErrorRate * 100).ToString("0.##", Invariant)} % "
            + $"(median {ReportText.Ms(band.MedianP99Ms)}, MAD {ReportText.Ms(band.MadP99Ms)}, {band.Seconds} s before the first fault)";
    }

    /// <summary>A fault's peak per-second p99 (<c>317 ms</c>); <c>-</c> when it had no requests.</summary>
    public static string Peak(FaultRecovery fault) => fault?.PeakP99Ms is { } peak ? ReportText.Ms(peak) : "-";

    /// <summary>The note under a fault's row: why it did not recover, or was not applied.</summary>
    public static string? Note(FaultRecovery fault) => fault.Failure is { } failure
        ? "not applied: " + failure
        : fault.NotRecoveredReason;

    /// <summary>One line per fault for logs and plain text: <c>faults[0] stall 300 ms for 4s at 7.7 s: 0 of 500 errors, first success 0.34 s, recovered 4.75 s</c>.</summary>
    public static string Line(FaultRecovery fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        return fault.AppliedOffsetSeconds is null
            ? $"faults[{fault.Index}] {fault.Description}: {Note(fault)}"
            : $"faults[{fault.Index}] {fault.Description} at {Offset(fault.AppliedOffsetSeconds)}: {Errors(fault)} errors, first success {Duration(fault.TimeToFirstSuccessSeconds)}, "
                + (fault.TimeToRecoverSeconds is { } s ? $"recovered {Duration(s)}" : "not recovered: " + fault.NotRecoveredReason);
    }
}
