using Spectre.Console;
using Yardstick.Orchestration.Contracts;

namespace Yardstick.Cli.Console;

/// <summary>One line per alert the run raised: condition, channel (type and position, never its URL), state, detail.</summary>
internal static class AlertsView
{
    public static void Render(IAnsiConsole console, IReadOnlyList<AlertResult> alerts)
    {
        foreach (var alert in alerts)
        {
            var state = alert.State switch
            {
                "sent" => "[green]sent[/]",
                "failed" => "[red]failed[/]",
                var other => Markup.Escape(other),
            };
            console.MarkupLine($"alert: {Markup.Escape(alert.Condition)} → {Markup.Escape(alert.Channel)} {state}{(alert.Detail is { } d ? " (" + Markup.Escape(d) + ")" : "")}");
        }
    }
}
