using System.Globalization;
using Spectre.Console;
using Yardstick.Core.Capacity;

namespace Yardstick.Cli.Console;

/// <summary>A capacity search's per-step table and its answer (the maximum sustainable rate, its interval and the knee).</summary>
internal static class CapacityView
{
    public static void Render(IAnsiConsole console, CapacityResult result, double? costPer1MUsd = null)
    {
        var table = new Table().Border(TableBorder.Simple).Title("capacity search (latency in ms)")
            .AddColumn(new TableColumn("step").RightAligned())
            .AddColumn("kind")
            .AddColumn(new TableColumn("rate/s").RightAligned())
            .AddColumn(new TableColumn("p50").RightAligned())
            .AddColumn(new TableColumn("p95").RightAligned())
            .AddColumn(new TableColumn("p99").RightAligned())
            .AddColumn(new TableColumn("errors").RightAligned())
            .AddColumn(new TableColumn("dropped").RightAligned())
            .AddColumn(new TableColumn("lag p99").RightAligned())
            .AddColumn("outcome");
        var priced = result.Steps.Any(s => s.Per1MRequestsUsd is not null);
        if (priced)
        {
            table.AddColumn(new TableColumn("USD/1M").RightAligned());
        }

        foreach (var step in result.Steps)
        {
            var m = step.Measurement;
            var outcome = step.Outcome switch
            {
                CapacityStepOutcome.Pass => "[green]pass[/]",
                CapacityStepOutcome.Fail => "[red]fail[/]",
                CapacityStepOutcome.AutoStop => "[red bold]autostop[/]",
                _ => "[yellow]generator-limited[/]",
            };
            string[] cells =
            [
                step.Index.ToString(CultureInfo.InvariantCulture),
                step.Kind,
                m.Rate.ToString("0.#", CultureInfo.InvariantCulture),
                Ms(m.Latency, "p50"),
                Ms(m.Latency, "p95"),
                Ms(m.Latency, "p99"),
                m.Errors == 0 ? "0" : $"{m.Errors.ToString("N0", CultureInfo.InvariantCulture)} ({m.ErrorRate.ToString("0.0%", CultureInfo.InvariantCulture)})",
                m.Dropped.ToString("N0", CultureInfo.InvariantCulture),
                m.LagP99Ms.ToString("0.0", CultureInfo.InvariantCulture),
                outcome + (step.Borderline ? " [yellow](borderline)[/]" : "") + (step.Breaches.Count > 0 ? " " + Markup.Escape(string.Join("; ", step.Breaches)) : ""),
            ];
            table.AddRow(priced ? [.. cells, step.Per1MRequestsUsd is { } usd ? Usd(usd) : "-"] : cells);
        }

        console.Write(table);
        console.MarkupLine(Markup.Escape(result.Explanation));
        if (result.Per1MRequestsAtCapacityUsd is { } atCapacity && result.MaxSustainableRate is { } rate)
        {
            console.MarkupLine(Markup.Escape($"Cost per 1M requests at capacity ({rate.ToString("0.#", CultureInfo.InvariantCulture)}/s): {Usd(atCapacity)} USD (modeled)."));
        }

        if (costPer1MUsd is { } cost)
        {
            console.MarkupLine(Markup.Escape($"Cost per 1M requests (whole search): {Usd(cost)} USD."));
        }
    }

    /// <summary>A capacity study: each variant's search (its table and answer), then one row per variant and the two picks.</summary>
    public static void RenderStudy(IAnsiConsole console, CapacityStudy study)
    {
        foreach (var variant in study.Variants)
        {
            console.MarkupLine($"[bold]{Markup.Escape(variant.Variant)}[/]" + (variant.Failure is { } failure ? $": [red]not searched[/] ({Markup.Escape(failure)})" : ""));
            if (variant.Result is { } result)
            {
                Render(console, result);
            }
        }

        var table = new Table().Border(TableBorder.Simple).Title("capacity per setting")
            .AddColumn("variant")
            .AddColumn(new TableColumn("capacity").RightAligned())
            .AddColumn(new TableColumn("with uncertainty").RightAligned())
            .AddColumn(new TableColumn("knee").RightAligned())
            .AddColumn(new TableColumn("USD/1M at capacity").RightAligned())
            .AddColumn("steps");
        foreach (var variant in study.Variants)
        {
            var r = variant.Result;
            table.AddRow(
                Markup.Escape(variant.Variant) + (variant.Variant == study.HighestCapacity ? " [green]▲[/]" : "") + (variant.Variant == study.CheapestAtCapacity ? " [green]$[/]" : ""),
                Rate(r?.MaxSustainableRate),
                r is null ? "-" : $"{Rate(r.ConfidentLower)} – {Rate(r.ConfidentUpper)}",
                Rate(r?.Knee),
                r?.Per1MRequestsAtCapacityUsd is { } usd ? Usd(usd) : "-",
                r is null ? "-" : r.Steps.Count.ToString(CultureInfo.InvariantCulture));
        }

        console.Write(table);
        console.MarkupLine(Markup.Escape(study.Explanation));
    }

    private static string Rate(double? rate) => rate is { } r ? r.ToString("0.#", CultureInfo.InvariantCulture) + "/s" : "-";

    private static string Usd(double usd) => usd.ToString("0.####", CultureInfo.InvariantCulture);

    private static string Ms(IReadOnlyDictionary<string, double> values, string key) =>
        values.TryGetValue(key, out var v) ? v.ToString("0.0", CultureInfo.InvariantCulture) : "-";
}
