using System.CommandLine;
using System.Globalization;
using Yardstick.Cli.Hosting;
using Yardstick.Core;
using Yardstick.Core.Runs;
using Yardstick.Core.Slos;
using Yardstick.Orchestration.Analysis;

namespace Yardstick.Cli.Commands;

/// <summary>
/// <c>yardstick slo suggest &lt;workload&gt;</c>: proposes p95/p99 thresholds, an error-rate objective and its budget
/// from the workload's accepted runs of the last <c>--days</c> (<see cref="SloSuggester"/> says how), as a ready
/// <c>thresholds:</c> + <c>slo:</c> block of workload YAML, or as JSON. Reads the Runs table only.
/// </summary>
internal sealed class SloCommand(CliContext context) : CommandBase(context)
{
    /// <summary>How many of the workload's newest rows are searched for accepted runs.</summary>
    public const int SearchDepth = 1000;

    public override Command Build()
    {
        var slo = new Command("slo", "Service level objectives from a workload's history.");
        var workload = new Argument<string>("workload") { Description = "Workload name." };
        var days = new Option<int>("--days") { Description = "Use the accepted runs of this many past days (1-366).", DefaultValueFactory = _ => 30 };
        var objective = new Option<string?>("--objective") { Description = "Availability objective to budget for, for example 99.9% (default: the tightest standard objective history supports)." };
        var format = new Option<string>("--format") { Description = "yaml (a thresholds: and slo: block to paste into the workload, default) or json.", DefaultValueFactory = _ => "yaml" };
        var storage = CommonOptions.Storage();
        var taskHub = CommonOptions.TaskHub();
        slo.Subcommands.Add(Define(
            "suggest",
            "Suggest p95/p99 thresholds, an error-rate objective and its error budget from the workload's accepted runs.",
            async (parse, cancellationToken) =>
            {
                var span = parse.GetValue(days);
                if (span is < 1 or > 366)
                {
                    throw new InputException("--days", $"{span} is outside 1..366.");
                }

                var outputFormat = parse.GetValue(format)?.Trim().ToLowerInvariant() switch
                {
                    "yaml" or "yml" => "yaml",
                    "json" => "json",
                    var other => throw new InputException("--format", $"'{other}' is not an slo format; expected yaml or json."),
                };
                var given = ParseObjective(parse.GetValue(objective));
                await using var env = await CliEnvironment.StartAsync(
                    new CliEnvironmentOptions { Storage = parse.GetValue(storage), TaskHub = CommonOptions.CheckTaskHub(parse.GetValue(taskHub)), RunWorker = false },
                    cancellationToken);
                var name = parse.GetValue(workload)!;
                var rows = await env.Runs.ListAsync(name, SearchDepth, cancellationToken);
                var history = AcceptedHistory(rows, TimeProvider.System.GetUtcNow() - TimeSpan.FromDays(span));
                var suggestion = SloSuggester.Suggest(name, history, span, given);
                Out.Profile.Out.Writer.Write(outputFormat == "json" ? YardstickJson.Serialize(suggestion, indented: true) + "\n" : SloSuggestionText.Yaml(suggestion));
                return ExitCodes.Pass;
            },
            workload,
            days,
            objective,
            format,
            storage,
            taskHub));
        return slo;
    }

    /// <summary>
    /// The runs an SLO is suggested from: accepted (completed, not a regression — the rule rolling baselines use), created
    /// since <paramref name="since"/>, of the default settings, with latency figures; and of the newest such run's settings
    /// hash, so a changed load shape does not mix into the figures.
    /// </summary>
    public static IReadOnlyList<SloHistoryRun> AcceptedHistory(IReadOnlyList<RunRecord> rows, DateTimeOffset since)
    {
        var accepted = rows
            .Where(r => BaselineResolver.IsAccepted(r, new HashSet<string>()) && r.SettingsKey == "default" && r.CreatedAt >= since
                && r is { P95Ms: not null, P99Ms: not null, Requests: > 0 })
            .OrderByDescending(r => r.CreatedAt)
            .ToList();
        var shape = accepted.FirstOrDefault()?.SettingsHash;
        return accepted
            .Where(r => r.SettingsHash == shape)
            .Select(r => new SloHistoryRun(r.RunId, r.CreatedAt, r.P95Ms!.Value, r.P99Ms!.Value, r.Requests, r.Errors))
            .ToList();
    }

    private static double? ParseObjective(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var trimmed = text.Trim();
        var percent = trimmed.EndsWith('%');
        if (!double.TryParse(trimmed.TrimEnd('%').Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            throw new InputException("--objective", $"'{text}' is not an objective; write a percentage such as 99.9% (or a fraction such as 0.999).");
        }

        return percent ? value / 100 : value;
    }
}
