using System.CommandLine;
using System.Globalization;
using Yardstick.Cli.Hosting;
using Yardstick.Core;
using Yardstick.Core.Load;
using Yardstick.Core.Workloads;
using Yardstick.Core.Workloads.Registry;

namespace Yardstick.Cli.Commands;

/// <summary>
/// <c>yardstick alerts silence &lt;workload&gt; --for 2h --reason "…"</c> stores a silence window in the <c>Alerts</c>
/// table of the storage it opens (the local host's, or with <c>--storage</c> the deployed app's results account), which
/// every later alert of that workload consults; <c>yardstick alerts silences &lt;workload&gt;</c> lists the current and
/// future ones.
/// </summary>
internal sealed class AlertsCommand(CliContext context) : CommandBase(context)
{
    public override Command Build()
    {
        var alerts = new Command("alerts", "Silence a workload's alerts for a while, or list its silences.");
        var workload = new Argument<string>("workload") { Description = "Workload name." };
        var duration = new Option<string>("--for") { Description = "How long, from --from (for example 2h, 90m; at most 31 days).", Required = true };
        var reason = new Option<string>("--reason") { Description = "Why (recorded with every alert it suppresses; 1-200 characters).", Required = true };
        var from = new Option<string?>("--from") { Description = "Start (ISO 8601 instant with a zone, for example 2026-12-06T22:00:00Z); default now." };
        var storage = CommonOptions.Storage();
        var taskHub = CommonOptions.TaskHub();
        alerts.Subcommands.Add(Define(
            "silence",
            "Suppress (and record) every alert of the workload for a while.",
            async (parse, cancellationToken) =>
            {
                var name = WorkloadNames.Check(parse.GetValue(workload));
                var window = Window(parse.GetValue(from), parse.GetValue(duration), parse.GetValue(reason), TimeProvider.System.GetUtcNow());
                await using var env = await CliEnvironment.StartAsync(
                    new CliEnvironmentOptions { Storage = parse.GetValue(storage), TaskHub = CommonOptions.CheckTaskHub(parse.GetValue(taskHub)), RunWorker = false },
                    cancellationToken);
                var stored = await env.Alerts.ListSilencesAsync(name, TimeProvider.System.GetUtcNow(), cancellationToken);
                if (stored.Count >= SilenceWindow.MaxStored)
                {
                    throw new InputException("workload", $"{name} already has {stored.Count} silence windows that have not ended (at most {SilenceWindow.MaxStored}); wait for one to end.");
                }

                await env.Alerts.AddSilenceAsync(name, window, cancellationToken);
                await Out.Profile.Out.Writer.WriteLineAsync($"Alerts of {name} are silenced from {window.From:u} to {window.To:u}: {window.Reason}");
                return ExitCodes.Pass;
            },
            workload,
            duration,
            reason,
            from,
            storage,
            taskHub));
        var listWorkload = new Argument<string>("workload") { Description = "Workload name." };
        var listStorage = CommonOptions.Storage();
        var listTaskHub = CommonOptions.TaskHub();
        alerts.Subcommands.Add(Define(
            "silences",
            "List the workload's stored silence windows that have not ended.",
            async (parse, cancellationToken) =>
            {
                var name = WorkloadNames.Check(parse.GetValue(listWorkload));
                await using var env = await CliEnvironment.StartAsync(
                    new CliEnvironmentOptions { Storage = parse.GetValue(listStorage), TaskHub = CommonOptions.CheckTaskHub(parse.GetValue(listTaskHub)), RunWorker = false },
                    cancellationToken);
                var windows = await env.Alerts.ListSilencesAsync(name, TimeProvider.System.GetUtcNow(), cancellationToken);
                if (windows.Count == 0)
                {
                    await Out.Profile.Out.Writer.WriteLineAsync($"No stored silence windows for {name}.");
                }

                foreach (var w in windows)
                {
                    await Out.Profile.Out.Writer.WriteLineAsync($"{w.From:u} .. {w.To:u}  {w.Reason}");
                }

                return ExitCodes.Pass;
            },
            listWorkload,
            listStorage,
            listTaskHub));
        return alerts;
    }

    /// <summary>The window the options describe; errors name the option.</summary>
    public static SilenceWindow Window(string? from, string? duration, string? reason, DateTimeOffset now) =>
        SilenceWindow.Parse(from, duration, reason, now, ("--from", "--for", "--reason"));
}
