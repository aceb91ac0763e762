using System.Globalization;
using Spectre.Console;
using Yardstick.Core.Summaries;
using Yardstick.Core.Runs;

namespace Yardstick.Cli.Console;

/// <summary>Tables for summaries and run lists.</summary>
internal static class SummaryView
{
    public static void Render(IAnsiConsole console, RunSummary summary)
    {
        var table = new Table().Border(TableBorder.Rounded).Title($"[bold]{Markup.Escape(summary.Workload)}[/] run {summary.RunId}");
        table.AddColumn("metric").AddColumn(new TableColumn("value").RightAligned());
        table.AddRow("status", StatusMarkup(summary.Status));
        table.AddRow("requests", summary.Requests.ToString("N0", CultureInfo.InvariantCulture));
        table.AddRow("errors", $"{summary.Errors:N0} ({summary.ErrorRate:P2})");
        if (summary.ErrorBreakdown.Check > 0)
        {
            table.AddRow("  of which failed checks (class check)", summary.ErrorBreakdown.Check.ToString("N0", CultureInfo.InvariantCulture));
        }

        table.AddRow("throughput", $"{summary.ThroughputRps:0.0} req/s" + (summary.TargetRps is { } target ? $" (target {target:0.0})" : ""));
        table.AddRow("latency p50 / p90", $"{summary.LatencyMs.P50:0.00} / {summary.LatencyMs.P90:0.00} ms");
        table.AddRow("latency p95 / p99", $"{summary.LatencyMs.P95:0.00} / {summary.LatencyMs.P99:0.00} ms");
        table.AddRow("latency max", $"{summary.LatencyMs.Max:0.00} ms");
        table.AddRow("scheduling lag p50 / p99", $"{summary.SchedulingLagMs.P50:0.000} / {summary.SchedulingLagMs.P99:0.000} ms");
        table.AddRow("dropped arrivals", summary.DroppedArrivals.ToString("N0", CultureInfo.InvariantCulture));
        table.AddRow("shards", $"{summary.ShardsSucceeded}/{summary.ShardsTotal}");
        if (summary.Dataset is { } dataset)
        {
            table.AddRow("dataset", Markup.Escape(dataset.Describe()));
            foreach (var exhausted in dataset.Exhausted)
            {
                table.AddRow("  ran out", Markup.Escape(exhausted));
            }
        }

        if (summary.Trace is { } trace)
        {
            table.AddRow("trace", Markup.Escape(trace.Describe()));
        }

        if (summary.MaxShardStartSpreadMs > 0 || summary.MaxShardStartDelayMs > 0)
        {
            table.AddRow("shard start spread / latest delay", $"{summary.MaxShardStartSpreadMs:0} / {summary.MaxShardStartDelayMs:0} ms");
        }
        if (summary.ColdStart is { } cold)
        {
            table.AddRow(
                $"cold starts ({Markup.Escape(cold.Strategy)})",
                $"{cold.Cold} cold, {cold.Warm} warm, {cold.Unknown} unknown" + (cold.Excluded > 0 ? $", {cold.Excluded} excluded" : ""));
            table.AddRow("cold p50 / warm p50", $"{Ms(cold.ColdP50Ms)} / {Ms(cold.WarmP50Ms)}");
            table.AddRow("cold-start penalty", Ms(cold.PenaltyMs));
            foreach (var point in cold.Curve ?? [])
            {
                table.AddRow($"  after {point.IdleText} idle", Markup.Escape(point.Describe()));
            }
        }

        if (summary.Cost is { } cost)
        {
            var ci = cost.PerRequestCiLowUsd is { } low && cost.PerRequestCiHighUsd is { } high
                ? $" (95% CI {Usd(low * 1_000_000)}–{Usd(high * 1_000_000)})"
                : "";
            table.AddRow($"cost per 1M requests ({Markup.Escape(cost.Source)})", cost.Per1MRequestsUsd is { } per1M ? Usd(per1M) + ci : "-");
            if (cost.Modeled is { } modeled && cost.Metered is { } metered)
            {
                table.AddRow("modeled / metered per 1M", $"{Usd(modeled.Per1MRequestsUsd)} / {Usd(metered.Per1MRequestsUsd)}");
            }

            if (cost.Server is { } server)
            {
                table.AddRow("server p50 / p95 (App Insights)", $"{Ms(server.DurationP50Ms)} / {Ms(server.DurationP95Ms)} ({server.Requests} requests, {server.Instances} instance(s))");
            }

            if (cost.ServerModeled is { } serverModeled)
            {
                table.AddRow("modeled from server durations per 1M", Usd(serverModeled.Per1MRequestsUsd));
            }

            if (cost.BenchmarkCostUsd is { } bench)
            {
                table.AddRow("benchmark's own cost", Usd(bench));
            }
        }

        foreach (var objective in summary.Slo?.Objectives ?? [])
        {
            table.AddRow(
                $"SLO {Markup.Escape(objective.Objective)} ({Markup.Escape(Reports.SloText.Share(objective.Target))})",
                $"{Markup.Escape(Reports.SloText.Share(objective.Attainment))}, burn {Markup.Escape(Reports.SloText.Burn(objective.BurnRate))} " + (objective.Met ? "[green]met[/]" : "[red]missed[/]"));
        }

        if (summary.FailureReason is { } reason)
        {
            table.AddRow("failure", Markup.Escape(reason));
        }

        console.Write(table);
        RenderRequests(console, summary);
        RenderChecks(console, summary);

        // Below the table, not in it: a long URL would stretch every row to its width.
        if (summary.Environment is { } environment)
        {
            console.MarkupLine($"environment: {Markup.Escape(environment.Digest())}");
        }

        if (summary.Verdict is { EnvironmentDifferences.Count: > 0 } verdict)
        {
            console.MarkupLine($"[yellow]note:[/] measured in a different environment than the baseline: {Markup.Escape(string.Join("; ", verdict.EnvironmentDifferences))}");
        }

        if (summary.Storage is { } storage)
        {
            console.MarkupLine($"artifacts: {Markup.Escape(storage.Artifacts)}");
        }
    }

    /// <summary>A mix: one row per named request.</summary>
    private static void RenderRequests(IAnsiConsole console, RunSummary summary)
    {
        if (summary.PerRequest.Count == 0)
        {
            return;
        }

        var table = new Table().Border(TableBorder.Simple);
        table.AddColumn("request").AddColumn(new TableColumn("share").RightAligned()).AddColumn(new TableColumn("requests").RightAligned())
            .AddColumn(new TableColumn("p50 / p95 / p99 ms").RightAligned()).AddColumn(new TableColumn("errors").RightAligned());
        foreach (var r in summary.PerRequest)
        {
            table.AddRow(
                Markup.Escape(r.Name),
                r.Share.ToString("P1", CultureInfo.InvariantCulture),
                r.Requests.ToString("N0", CultureInfo.InvariantCulture),
                string.Create(CultureInfo.InvariantCulture, $"{r.LatencyMs.P50:0.00} / {r.LatencyMs.P95:0.00} / {r.LatencyMs.P99:0.00}"),
                string.Create(CultureInfo.InvariantCulture, $"{r.Errors:N0} ({r.ErrorRate:P2})"));
        }

        console.Write(table);
    }

    /// <summary>Response checks: one row per check with its pass rate.</summary>
    private static void RenderChecks(IAnsiConsole console, RunSummary summary)
    {
        if (summary.Checks.Count == 0)
        {
            return;
        }

        var table = new Table().Border(TableBorder.Simple);
        table.AddColumn("check").AddColumn(new TableColumn("passed").RightAligned()).AddColumn(new TableColumn("failed").RightAligned())
            .AddColumn(new TableColumn("pass rate").RightAligned());
        foreach (var c in summary.Checks)
        {
            var ran = c.Passed + c.Failed > 0;
            table.AddRow(
                Markup.Escape(c.Request is null ? c.Name : c.Request + " · " + c.Name),
                c.Passed.ToString("N0", CultureInfo.InvariantCulture),
                c.Failed > 0 ? $"[red]{c.Failed.ToString("N0", CultureInfo.InvariantCulture)}[/]" : "0",
                ran ? c.PassRate.ToString("P2", CultureInfo.InvariantCulture) : "not run");
        }

        console.Write(table);
    }

    /// <summary>
    /// The runs table. <paramref name="shownStatus"/> replaces the stored status of some runs (by run id): a row that
    /// says running but whose host died shows <c>interrupted</c>.
    /// </summary>
    public static void RenderRuns(IAnsiConsole console, string workload, IReadOnlyList<RunRecord> runs, IReadOnlyDictionary<string, string>? shownStatus = null)
    {
        var table = new Table().Border(TableBorder.Simple).Title($"runs of [bold]{Markup.Escape(workload)}[/], newest first");
        table.AddColumns("run", "status", "requests", "req/s", "p95 ms", "errors", "verdict", "commit");
        foreach (var run in runs)
        {
            table.AddRow(
                run.RunId,
                StatusMarkup(shownStatus?.GetValueOrDefault(run.RunId) ?? run.Status.ToString().ToLowerInvariant()),
                run.Requests.ToString("N0", CultureInfo.InvariantCulture),
                run.ThroughputRps.ToString("0.0", CultureInfo.InvariantCulture),
                run.P95Ms?.ToString("0.00", CultureInfo.InvariantCulture) ?? "-",
                run.ErrorRate.ToString("P2", CultureInfo.InvariantCulture),
                Markup.Escape(run.Verdict ?? "-"),
                Markup.Escape(run.Tags.GetValueOrDefault("commit") ?? "-"));
        }

        console.Write(table);
    }

    private static string Ms(double? value) => value is { } v ? v.ToString("0.0", CultureInfo.InvariantCulture) + " ms" : "-";

    private static string Usd(double value) => "$" + value.ToString(value >= 0.01 ? "0.0000" : "0.########", CultureInfo.InvariantCulture);

    private static string StatusMarkup(string status) => status switch
    {
        "completed" => "[green]completed[/]",
        "degraded" => "[yellow]degraded[/]",
        "failed" => "[red]failed[/]",
        "interrupted" => "[yellow]interrupted[/]",
        var other => Markup.Escape(other),
    };
}
