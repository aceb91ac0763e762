using System.Globalization;
using Spectre.Console;
using Yardstick.Cli.Commands;
using Yardstick.Core.Runs;
using Yardstick.Orchestration.Contracts;

namespace Yardstick.Cli.Remote;

/// <summary>Decides and shows the outcome of a finished remote run, with the same exit codes as a local run or gate.</summary>
internal static class RemoteOutcome
{
    /// <summary>Durable runtime statuses after which the status no longer changes.</summary>
    public static bool IsFinished(RunStatusResponse status) =>
        status.RuntimeStatus.ToLowerInvariant() is "completed" or "failed" or "terminated" or "canceled" or "cancelled";

    /// <summary>
    /// Failed run → 3; threshold breach or regression → 1; inconclusive → 4 when <paramref name="failOnInconclusive"/>,
    /// else 0; no-baseline, equivalent, improvement → 0 (with no baseline the thresholds alone decide).
    /// </summary>
    public static ExitDecision Decide(RunStatusResponse status, bool failOnInconclusive)
    {
        if (status.RuntimeStatus.ToLowerInvariant() is not "completed")
        {
            return new(ExitCodes.RunFailed, $"run {status.RunId} {status.RuntimeStatus.ToLowerInvariant()}: {status.Failure ?? "no reason was given"}");
        }

        if (status.Outcome is not { } outcome)
        {
            return new(ExitCodes.RunFailed, $"run {status.RunId} completed without an outcome");
        }

        return GateDecision.Decide(outcome, failOnInconclusive);
    }

    /// <summary>A table of the outcome's headline numbers (the details are in the downloaded reports).</summary>
    public static void Render(IAnsiConsole console, RunStatusResponse status)
    {
        if (status.Outcome is not { } outcome)
        {
            console.MarkupLine($"[red]Run {Markup.Escape(status.RunId)} {Markup.Escape(status.RuntimeStatus.ToLowerInvariant())}[/]: {Markup.Escape(status.Failure ?? "no outcome")}");
            return;
        }

        var table = new Table().Border(TableBorder.Rounded).Title($"[bold]{Markup.Escape(outcome.Workload)}[/] run {Markup.Escape(outcome.RunId)}");
        table.AddColumn("metric").AddColumn(new TableColumn("value").RightAligned());
        table.AddRow("status", Markup.Escape(outcome.Status.ToString().ToLowerInvariant()));
        table.AddRow("requests", outcome.Requests.ToString("N0", CultureInfo.InvariantCulture));
        var errorRate = outcome.Requests > 0 ? (double)outcome.Errors / outcome.Requests : 0;
        table.AddRow("errors", $"{outcome.Errors:N0} ({errorRate:P2})");
        table.AddRow("throughput", $"{outcome.ThroughputRps:0.0} req/s");
        table.AddRow("latency p50 / p95 / p99", $"{Ms(outcome.P50Ms)} / {Ms(outcome.P95Ms)} / {Ms(outcome.P99Ms)} ms");
        table.AddRow("shards", $"{outcome.ShardsSucceeded}/{outcome.ShardsTotal}");
        table.AddRow("verdict", Markup.Escape(outcome.Verdict ?? "-"));
        table.AddRow("thresholds", outcome.FailedThresholds.Count == 0 ? "passed" : "[red]" + Markup.Escape(string.Join("; ", outcome.FailedThresholds)) + "[/]");
        if (outcome.FailureReason is { } reason)
        {
            table.AddRow("failure", Markup.Escape(reason));
        }

        console.Write(table);

        // Below the table, not in it: a long URL would stretch every row to its width.
        if (outcome.Artifacts is { } artifacts)
        {
            console.MarkupLine($"artifacts: {Markup.Escape(artifacts)}");
        }

        Console.AlertsView.Render(console, outcome.Alerts);
    }

    private static string Ms(double? value) => value is { } v ? v.ToString("0.00", CultureInfo.InvariantCulture) : "-";
}
