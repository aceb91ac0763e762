using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Yardstick.Cli.Hosting;
using Yardstick.Core;
using Yardstick.Core.Ports;
using Yardstick.Orchestration.Analysis;

namespace Yardstick.Cli.Commands;

/// <summary>
/// <c>yardstick baseline promote &lt;runId&gt;</c> and <c>yardstick baseline show &lt;workload&gt;</c>: the <c>Baselines</c>
/// table. Promotion is ETag-safe (<see cref="BaselinePromotion"/>): a concurrent promotion is re-read and promoted on once;
/// a second lost race exits 3 with the reason.
/// </summary>
internal sealed class BaselineCommand(CliContext context) : CommandBase(context)
{
    public override Command Build()
    {
        var baseline = new Command("baseline", "Promote a run to the current baseline of its workload, or show the baselines.");
        baseline.Subcommands.Add(Promote());
        baseline.Subcommands.Add(Show());
        return baseline;
    }

    private Command Promote()
    {
        var runId = new Argument<string>("runId") { Description = "A completed or degraded run." };
        var environment = new Option<string?>("--environment") { Description = "Baseline environment tag (default: the run's compare.environment)." };
        var reason = new Option<string?>("--reason") { Description = "Why this run becomes the baseline (stored in the history)." };
        var storage = CommonOptions.Storage();
        var taskHub = CommonOptions.TaskHub();
        return Define(
            "promote",
            "Make a completed (or degraded) run the current baseline of its workload, settings key and environment.",
            async (parse, cancellationToken) =>
            {
                var env = parse.GetValue(environment);
                if (env is not null && !IsEnvironmentTag(env))
                {
                    throw new InputException("--environment", $"'{env}' is not an environment tag (a letter or digit, then letters, digits, '.', '_' or '-', at most 63 characters).");
                }

                await using var cli = await Open(parse, storage, taskHub, cancellationToken);
                var promotion = new BaselinePromotion(cli.Baselines, cli.Runs, cli.Artifacts);
                PromotionResult result;
                try
                {
                    result = await promotion.PromoteAsync(parse.GetValue(runId)!, env, parse.GetValue(reason), PromotedBy(), expectedWorkload: null, cancellationToken);
                }
                catch (BaselinePromotionConflictException e)
                {
                    await Context.Error.WriteLineAsync("yardstick: " + e.Message);
                    return ExitCodes.RunFailed;
                }

                var b = result.Baseline;
                Out.MarkupLine(result.Changed
                    ? $"Run [bold]{Markup.Escape(string.Join(", ", b.RunIds))}[/] is now the current baseline of [bold]{Markup.Escape(b.Key.ToString())}[/]{(result.Retried ? " (re-read after a concurrent promotion)" : "")}."
                    : $"Run [bold]{Markup.Escape(string.Join(", ", b.RunIds))}[/] already is the current baseline of [bold]{Markup.Escape(b.Key.ToString())}[/]; nothing changed.");
                return ExitCodes.Pass;
            },
            runId, environment, reason, storage, taskHub);
    }

    private Command Show()
    {
        var workload = new Argument<string>("workload") { Description = "Workload name." };
        var last = new Option<int>("--last") { Description = "History rows per baseline key.", DefaultValueFactory = _ => 10 };
        var storage = CommonOptions.Storage();
        var taskHub = CommonOptions.TaskHub();
        return Define(
            "show",
            "Show the current baseline of every settings key and environment of a workload, and the recent promotions.",
            async (parse, cancellationToken) =>
            {
                var count = parse.GetValue(last);
                if (count is < 1 or > 100)
                {
                    throw new InputException("--last", "must be between 1 and 100.");
                }

                await using var cli = await Open(parse, storage, taskHub, cancellationToken);
                var name = parse.GetValue(workload)!;
                var current = await cli.Baselines.ListCurrentAsync(name, cancellationToken);
                if (current.Count == 0)
                {
                    Out.MarkupLine($"No baseline of [bold]{Markup.Escape(name)}[/] has been promoted on {Markup.Escape(cli.StorageDescription)}.");
                    return ExitCodes.Pass;
                }

                foreach (var baseline in current.OrderBy(b => b.Key.ToString(), StringComparer.Ordinal))
                {
                    var table = new Table().Border(TableBorder.Simple).Title($"baseline [bold]{Markup.Escape(baseline.Key.ToString())}[/]: {Markup.Escape(string.Join(", ", baseline.RunIds))} ({Markup.Escape(baseline.Mode)})");
                    table.AddColumns("promoted at", "runs", "mode", "by", "reason");
                    foreach (var h in await cli.Baselines.HistoryAsync(baseline.Key, count, cancellationToken))
                    {
                        table.AddRow(
                            h.PromotedAt.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture),
                            Markup.Escape(string.Join(", ", h.RunIds)),
                            Markup.Escape(h.Mode),
                            Markup.Escape(h.PromotedBy ?? "-"),
                            Markup.Escape(h.Reason ?? "-"));
                    }

                    Out.Write(table);
                }

                return ExitCodes.Pass;
            },
            workload, last, storage, taskHub);
    }

    private static Task<CliEnvironment> Open(ParseResult parse, Option<string?> storage, Option<string?> taskHub, CancellationToken cancellationToken) =>
        CliEnvironment.StartAsync(
            new CliEnvironmentOptions { Storage = parse.GetValue(storage), TaskHub = CommonOptions.CheckTaskHub(parse.GetValue(taskHub)), RunWorker = false },
            cancellationToken);

    /// <summary>The pipeline's actor when it says so, else the local user.</summary>
    private static string PromotedBy() =>
        Environment.GetEnvironmentVariable("GITHUB_ACTOR") is { Length: > 0 } actor ? "github:" + actor
        : Environment.GetEnvironmentVariable("BUILD_REQUESTEDFOR") is { Length: > 0 } requester ? "azure-devops:" + requester
        : "cli:" + Environment.UserName;

    private static bool IsEnvironmentTag(string value) =>
        value.Length is >= 1 and <= 63 && char.IsAsciiLetterOrDigit(value[0]) && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');
}
