using Yardstick.Core.Summaries;

namespace Yardstick.Reports;

/// <summary>report.md's fault lines (a fault run): one row per fault, the band and why a fault did not recover.</summary>
public static partial class MarkdownReport
{
    private static void Faults(MarkdownBuilder md, RunSummary run)
    {
        if (run.Faults is not { Count: > 0 } faults)
        {
            return;
        }

        md.Blank();
        md.Line("| Fault | Applied | Errors during | Peak p99 | First success | Recovered |");
        md.Line("| --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var fault in faults)
        {
            md.Line($"| {Code($"[{fault.Index}] {fault.Description}")} | {FaultText.Offset(fault.AppliedOffsetSeconds)} | {FaultText.Errors(fault)} | "
                + $"{FaultText.Peak(fault)} | {FaultText.Duration(fault.TimeToFirstSuccessSeconds)} | {(fault.TimeToRecoverSeconds is null ? "**" + FaultText.Recovery(fault) + "**" : FaultText.Recovery(fault))} |");
        }

        if (faults.Select(f => f.Band).FirstOrDefault(b => b is not null) is { } band)
        {
            md.Blank();
            md.Line($"Pre-fault band: {Escape(FaultText.Band(band))}.");
        }

        foreach (var fault in faults)
        {
            if (FaultText.Note(fault) is { } note)
            {
                md.Line($"- faults[{fault.Index}]: {Escape(note)}");
            }
        }
    }
}
