using System.Globalization;
using Spectre.Console;
using Yardstick.Core.Cost;
using Yardstick.Core.Summaries;
using Yardstick.Core.Workloads;

namespace Yardstick.Cli.Console;

/// <summary>The per-variant table of a sweep and the recommended setting.</summary>
internal static class SweepView
{
    public static void Render(IAnsiConsole console, RunSummary summary, SweepSpec sweep, double margin)
    {
        if (summary.Variants.Count == 0)
        {
            console.MarkupLine("[yellow]No variant results were stored for this sweep.[/]");
            return;
        }

        var choice = SweepRecommendation.Choose(summary.Variants, margin, sweep.Recommend);
        var frontOn = choice.ByCost ? "cost per request and p95" : "p95 and error rate";
        // Compact enough for an 80-column terminal: latencies in ms (said in the title), the recommended value in green.
        var table = new Table().Border(TableBorder.Simple).Title($"sweep of [bold]{Markup.Escape(sweep.Label)}[/] (latency in ms)");
        // A grid shows one column per parameter (app settings by NAME) instead of the cell's long key.
        var grid = summary.SweepGrid;
        if (grid.Count > 0)
        {
            foreach (var parameter in grid)
            {
                table.AddColumn(new TableColumn(Markup.Escape(SweepCell.ShortName(parameter))).RightAligned());
            }
        }
        else
        {
            table.AddColumn("value");
        }

        table
            .AddColumn(new TableColumn("req/s").RightAligned())
            .AddColumn(new TableColumn("p50").RightAligned())
            .AddColumn(new TableColumn("p95").RightAligned())
            .AddColumn(new TableColumn("p99").RightAligned())
            .AddColumn(new TableColumn("p95 rounds").RightAligned())
            .AddColumn(new TableColumn("errors").RightAligned())
            .AddColumn(new TableColumn("cost/1M").RightAligned())
            .AddColumn(new TableColumn("front").Centered());
        foreach (var v in summary.Variants)
        {
            var measured = v.Requests > 0;
            IEnumerable<string> names = grid.Count > 0
                ? grid.Select(p => Markup.Escape(v.Settings.TryGetValue(p, out var value) ? value : "?"))
                : [Markup.Escape(v.Variant)];
            table.AddRow([
                .. names.Select(n => v.Recommended ? $"[bold green]{n}[/]" : n),
                measured ? v.ThroughputRps.ToString("0.0", CultureInfo.InvariantCulture) : "-",
                measured ? Cell(v.LatencyMs.P50) : "-",
                measured ? Cell(v.LatencyMs.P95) : "-",
                measured ? Cell(v.LatencyMs.P99) : "-",
                RoundSpread(summary, v.Variant),
                !measured ? "none" : v.Errors == 0 ? "0" : $"{v.Errors.ToString("N0", CultureInfo.InvariantCulture)} ({v.ErrorRate.ToString("0.0%", CultureInfo.InvariantCulture)})",
                v.Per1MRequestsUsd is { } usd ? Usd(usd) : "-",
                v.OnParetoFront ? "★" : "",
            ]);
        }

        table.Caption($"★ Pareto front on {frontOn} (lower is better on both); p95 rounds: lowest–highest round");
        console.Write(table);

        if (choice.Recommended is { } recommended)
        {
            var what = sweep.Grid.Count > 0 ? recommended.Variant.Replace(",", ", ", StringComparison.Ordinal) : $"{sweep.Label} = {recommended.Variant}";
            console.MarkupLine($"Recommended: [bold green]{Markup.Escape(what)}[/] · {Markup.Escape(choice.Rule)}");
        }
        else
        {
            console.MarkupLine($"[yellow]No recommendation[/]: {Markup.Escape(choice.Rule)}");
        }

        if (choice.Fastest is { } fastest)
        {
            console.MarkupLine($"Fastest: {Markup.Escape(fastest.Variant)} (p95 {Ms(fastest.LatencyMs.P95)} ms"
                + (fastest.Per1MRequestsUsd is { } fastestCost ? $", {Usd(fastestCost)} per 1M requests)" : ")"));
        }

        if (choice.Cheapest is { } cheapest)
        {
            console.MarkupLine($"Cheapest: {Markup.Escape(cheapest.Variant)} ({Usd(cheapest.Per1MRequestsUsd ?? 0)} per 1M requests, p95 {Ms(cheapest.LatencyMs.P95)} ms)");
        }

        if (choice.Disqualified.Count > 0)
        {
            console.MarkupLine($"[yellow]Not recommended because of errors[/] (error rate more than {(SweepRecommendation.MaxExtraErrorRate * 100).ToString("0.#", CultureInfo.InvariantCulture)} pp above the best): {Markup.Escape(string.Join(", ", choice.Disqualified))}");
        }
    }

    /// <summary>The spread of a variant's p95 across its rounds: run-to-run noise to weigh differences against.</summary>
    private static string RoundSpread(RunSummary summary, string variant)
    {
        var p95s = summary.Rounds.Where(r => r.Variant == variant && r.Requests > 0).Select(r => r.LatencyMs.P95).ToList();
        return p95s.Count switch
        {
            0 => "-",
            1 => Cell(p95s[0]),
            _ => $"{Cell(p95s.Min())}–{Cell(p95s.Max())}",
        };
    }

    /// <summary>One decimal in the table (it must fit 80 columns); the rule's sentence keeps two.</summary>
    private static string Cell(double ms) => ms.ToString("0.0", CultureInfo.InvariantCulture);

    private static string Ms(double ms) => ms.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Usd(double usd) => "$" + usd.ToString("0.0000", CultureInfo.InvariantCulture);
}
