using System.CommandLine;
using Yardstick.Cli.Console;
using Yardstick.Cli.Hosting;
using Yardstick.Core;
using Yardstick.Core.Trends;

namespace Yardstick.Cli.Commands;

/// <summary>
/// <c>yardstick trend &lt;workload&gt; [--metric p95] [--days 90] [--settings hash] [--json]</c>: a workload's metrics over
/// time from the Runs table, with change points, baseline promotions and verdicts marked. Reads through
/// <see cref="TrendReader"/>, the same code as <c>GET /api/workloads/{name}/trend</c>.
/// </summary>
internal sealed class TrendCommand(CliContext context) : CommandBase(context)
{
    public override Command Build()
    {
        var workload = new Argument<string>("workload") { Description = "Workload name." };
        var metric = new Option<string?>("--metric")
        {
            Description = $"One metric ({string.Join(", ", TrendMetric.All.Select(m => m.Name))}) or all (default).",
        };
        var days = new Option<int>("--days") { Description = $"Days back from now (1 to {TrendRequest.MaxDays}).", DefaultValueFactory = _ => TrendRequest.DefaultDays };
        var settings = new Option<string?>("--settings") { Description = "Only runs whose settings hash starts with these hex digits (4 to 16)." };
        var json = new Option<bool>("--json") { Description = "Print the trend as JSON (the shape the README documents) instead of charts." };
        var storage = CommonOptions.Storage();
        var taskHub = CommonOptions.TaskHub();
        return Define(
            "trend",
            "Show a workload's metrics over time with change points, baseline promotions and verdicts marked.",
            async (parse, cancellationToken) =>
            {
                var request = TrendRequest.Parse(
                    parse.GetValue(workload),
                    parse.GetValue(metric),
                    parse.GetValue(days).ToString(System.Globalization.CultureInfo.InvariantCulture),
                    parse.GetValue(settings),
                    prefix: "--");
                var options = new CliEnvironmentOptions
                {
                    Storage = parse.GetValue(storage),
                    TaskHub = CommonOptions.CheckTaskHub(parse.GetValue(taskHub)),
                    RunWorker = false,
                };
                await using var env = await CliEnvironment.StartAsync(options, cancellationToken);
                var trend = await new TrendReader(env.Runs, env.Baselines, TimeProvider.System).ReadAsync(request, cancellationToken);
                if (parse.GetValue(json))
                {
                    await Out.Profile.Out.Writer.WriteLineAsync(YardstickJson.Serialize(trend, indented: true));
                    return ExitCodes.Pass;
                }

                TrendView.Render(Out, trend, env.StorageDescription);
                return ExitCodes.Pass;
            },
            workload, metric, days, settings, json, storage, taskHub);
    }
}
