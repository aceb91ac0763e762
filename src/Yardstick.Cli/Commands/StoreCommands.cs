using System.CommandLine;
using Spectre.Console;
using Yardstick.Cli.Console;
using Yardstick.Cli.Hosting;
using Yardstick.Core;
using Yardstick.Core.Runs;
using Yardstick.Core.Summaries;

namespace Yardstick.Cli.Commands;

/// <summary><c>yardstick history &lt;workload&gt;</c>: the newest runs of a workload from the Runs table.</summary>
internal sealed class HistoryCommand(CliContext context) : CommandBase(context)
{
    public override Command Build()
    {
        var workload = new Argument<string>("workload") { Description = "Workload name." };
        var last = new Option<int>("--last") { Description = "How many runs.", DefaultValueFactory = _ => 20 };
        var storage = CommonOptions.Storage();
        var taskHub = CommonOptions.TaskHub();
        return Define(
            "history",
            "List the newest runs of a workload.",
            async (parse, cancellationToken) =>
            {
                var count = parse.GetValue(last);
                if (count is < 1 or > 1000)
                {
                    throw new InputException("--last", "must be between 1 and 1000.");
                }

                var options = new CliEnvironmentOptions
                {
                    Storage = parse.GetValue(storage),
                    TaskHub = CommonOptions.CheckTaskHub(parse.GetValue(taskHub)),
                    RunWorker = false,
                };
                await using var env = await CliEnvironment.StartAsync(options, cancellationToken);
                var name = parse.GetValue(workload)!;
                var runs = await env.Runs.ListAsync(name, count, cancellationToken);
                if (runs.Count == 0)
                {
                    Out.MarkupLine($"No runs of [bold]{Markup.Escape(name)}[/] on {Markup.Escape(env.StorageDescription)}.");
                    return ExitCodes.Pass;
                }

                var shown = await ShownStatusAsync(env, CliEnvironment.TaskHubName(options), runs, cancellationToken);
                SummaryView.RenderRuns(Out, name, runs, shown.ToDictionary(s => s.RunId, s => s.Status));
                foreach (var (runId, status, note) in shown)
                {
                    Out.MarkupLine(Markup.Escape(status == "interrupted"
                        ? $"Run {runId} was interrupted (no live host holds it): 'yardstick resume {runId}' finishes it."
                        : $"Run {runId} {note}."));
                }

                return ExitCodes.Pass;
            },
            workload, last, storage, taskHub);
    }

    /// <summary>
    /// Rows of the local host that say running are checked against the local task hub (read only): a run whose host
    /// died shows as interrupted, one whose orchestration ended without updating the row as failed.
    /// </summary>
    internal static async Task<List<(string RunId, string Status, string Note)>> ShownStatusAsync(
        CliEnvironment env, string taskHub, IReadOnlyList<RunRecord> runs, CancellationToken cancellationToken)
    {
        var shown = new List<(string, string, string)>();
        var probe = new TaskHubProbe(env.Connection.CreateTableServiceClient(), taskHub, TimeProvider.System);
        foreach (var run in runs.Where(r => r.Host == "local" && TaskHubProbe.MayBeStale(r)))
        {
            var (liveness, runtimeStatus) = await probe.CheckAsync(run.RunId, cancellationToken);
            switch (liveness)
            {
                case RunLiveness.Interrupted:
                    shown.Add((run.RunId, "interrupted", ""));
                    break;
                case RunLiveness.Ended:
                    var ended = runtimeStatus!.ToLowerInvariant();
                    shown.Add((run.RunId, ended, $"ended ({ended} in the task hub) without updating its row; 'yardstick show {run.RunId}' has what was stored"));
                    break;
            }
        }

        return shown;
    }
}

/// <summary><c>yardstick show &lt;runId&gt;</c>: one run's row and summary.</summary>
internal sealed class ShowCommand(CliContext context) : CommandBase(context)
{
    public override Command Build()
    {
        var runId = new Argument<string>("runId") { Description = "Run id." };
        var storage = CommonOptions.Storage();
        var taskHub = CommonOptions.TaskHub();
        var json = CommonOptions.Json();
        return Define(
            "show",
            "Show one run (status, headline metrics, where its artifacts are).",
            async (parse, cancellationToken) =>
            {
                var options = new CliEnvironmentOptions
                {
                    Storage = parse.GetValue(storage),
                    TaskHub = CommonOptions.CheckTaskHub(parse.GetValue(taskHub)),
                    RunWorker = false,
                };
                await using var env = await CliEnvironment.StartAsync(options, cancellationToken);
                var id = parse.GetValue(runId)!;
                var record = await env.Runs.GetAsync(id, cancellationToken)
                    ?? throw new InputException("runId", $"no run '{id}' on {env.StorageDescription}.");
                var bytes = await env.Artifacts.GetAsync(record.Workload, id, "summary.json", cancellationToken);
                if (bytes is null)
                {
                    var shown = await HistoryCommand.ShownStatusAsync(env, CliEnvironment.TaskHubName(options), [record], cancellationToken);
                    var status = shown.Count == 1 ? shown[0].Status : record.Status.ToString().ToLowerInvariant();
                    Out.MarkupLine($"Run [bold]{id}[/] of {Markup.Escape(record.Workload)}: {status} (no summary yet).");
                    if (status == "interrupted")
                    {
                        Out.MarkupLine($"No live host holds it: 'yardstick resume {id}' finishes it.");
                    }

                    return ExitCodes.Pass;
                }

                var summary = YardstickJson.Deserialize<RunSummary>(bytes);
                SummaryView.Render(Out, summary);
                FaultsView.Render(Out, summary.Faults ?? []);
                if (summary.Verdict is { } verdict)
                {
                    VerdictView.Render(Out, verdict);
                }

                if (parse.GetValue(json) is { } path)
                {
                    await File.WriteAllBytesAsync(path.FullName, bytes, cancellationToken);
                }

                return ExitCodes.Pass;
            },
            runId, storage, taskHub, json);
    }
}

/// <summary>
/// <c>yardstick worker</c>: joins the task hub on the configured storage and processes its work items until
/// stopped. Several workers on several machines pointed at one storage account share the shards of a run.
/// </summary>
internal sealed class WorkerCommand(CliContext context) : CommandBase(context)
{
    public override Command Build()
    {
        var storage = CommonOptions.Storage();
        var taskHub = CommonOptions.TaskHub();
        var maxActivities = CommonOptions.MaxActivities();
        var allowHost = CommonOptions.AllowHost();
        var verbose = CommonOptions.Verbose();
        var azure = CommonOptions.Azure();
        var alertsToLoopback = CommonOptions.AlertsToLoopback();
        return Define(
            "worker",
            "Join a task hub and process its work items (the scale-out path across machines).",
            async (parse, cancellationToken) =>
            {
                var options = new CliEnvironmentOptions
                {
                    Storage = parse.GetValue(storage),
                    TaskHub = CommonOptions.CheckTaskHub(parse.GetValue(taskHub)),
                    MaxActivities = CommonOptions.CheckMaxActivities(parse.GetValue(maxActivities)),
                    AllowedHosts = parse.GetValue(allowHost) ?? [],
                    Verbose = parse.GetValue(verbose),
                    AzureAccess = parse.GetValue(azure),
                    AlertsToLoopback = parse.GetValue(alertsToLoopback),
                    Shutdown = cancellationToken,
                };
                await using var env = await CliEnvironment.StartAsync(options, cancellationToken);
                Out.MarkupLine($"Worker joined the task hub on {Markup.Escape(env.StorageDescription)}. Ctrl+C stops it.");
                try
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                }

                return ExitCodes.Pass;
            },
            storage, taskHub, allowHost, verbose, maxActivities, azure, alertsToLoopback);
    }
}
