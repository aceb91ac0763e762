using Spectre.Console;
using Yardstick.Core.Faults;
using Yardstick.Reports;

namespace Yardstick.Cli.Console;

/// <summary>A fault run's faults: when each was set off, the errors during it, time to first success and time to recover.</summary>
internal static class FaultsView
{
    public static void Render(IAnsiConsole console, IReadOnlyList<FaultRecovery> faults)
    {
        if (faults.Count == 0)
        {
            return;
        }

        var table = new Table().Border(TableBorder.Simple).Title("faults (offsets from the measured phase's start)")
            .AddColumn("fault")
            .AddColumn(new TableColumn("planned").RightAligned())
            .AddColumn(new TableColumn("applied").RightAligned())
            .AddColumn(new TableColumn("errors during").RightAligned())
            .AddColumn(new TableColumn("peak p99").RightAligned())
            .AddColumn(new TableColumn("first success").RightAligned())
            .AddColumn(new TableColumn("recovered").RightAligned());
        foreach (var fault in faults)
        {
            table.AddRow(
                Markup.Escape($"[{fault.Index}] {fault.Description}"),
                FaultText.Offset(fault.PlannedOffsetSeconds),
                FaultText.Offset(fault.AppliedOffsetSeconds),
                FaultText.Errors(fault),
                FaultText.Peak(fault),
                FaultText.Duration(fault.TimeToFirstSuccessSeconds),
                fault.TimeToRecoverSeconds is not null ? FaultText.Recovery(fault) : $"[red]{FaultText.Recovery(fault)}[/]");
        }

        console.Write(table);
        if (faults.Select(f => f.Band).FirstOrDefault(b => b is not null) is { } band)
        {
            console.MarkupLine($"pre-fault band: {Markup.Escape(FaultText.Band(band))}; recovered = {RecoveryAnalysis.SustainSeconds} s in a row back within it");
        }

        foreach (var fault in faults)
        {
            if (FaultText.Note(fault) is { } note)
            {
                console.MarkupLine($"[yellow]faults[[{fault.Index}]][/]: {Markup.Escape(note)}");
            }
        }
    }
}
