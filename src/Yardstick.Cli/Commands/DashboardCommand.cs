using System.CommandLine;
using System.Globalization;
using Yardstick.Cli.Hosting;
using Yardstick.Core;
using Yardstick.Core.Trends;
using Yardstick.Core.Workloads.Registry;
using Yardstick.Reports;

namespace Yardstick.Cli.Commands;

/// <summary>
/// <c>yardstick dashboard [workload…] --out site/</c>: the nightly-watch dashboard as a static site that opens from disk
/// (no server, nothing fetched): <c>index.html</c> with every workload, <c>workloads/&lt;name&gt;.html</c> per workload,
/// and <c>runs/&lt;runId&gt;.html</c>, the stored report of each run the pages list. Without workload names, the workloads
/// registered in the storage it opens. Each workload costs one bounded Runs-table window (the trend's).
/// </summary>
internal sealed class DashboardCommand(CliContext context) : CommandBase(context)
{
    public override Command Build()
    {
        var workloads = new Argument<string[]>("workload") { Description = "Workload names (default: every registered workload).", Arity = ArgumentArity.ZeroOrMore };
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder to write the site into (created; its pages are overwritten).", Required = true };
        var days = new Option<int>("--days") { Description = $"Days back from now (1 to {TrendRequest.MaxDays}).", DefaultValueFactory = _ => TrendRequest.DefaultDays };
        var storage = CommonOptions.Storage();
        var taskHub = CommonOptions.TaskHub();
        return Define(
            "dashboard",
            "Write the nightly-watch dashboard as a static site: an overview of every workload and a page per workload with its trends and recent runs.",
            async (parse, cancellationToken) =>
            {
                var dayCount = parse.GetValue(days).ToString(CultureInfo.InvariantCulture);
                var names = (parse.GetValue(workloads) ?? []).Select(n => WorkloadNames.Check(n, "workload")).Distinct(StringComparer.Ordinal).ToList();
                var folder = parse.GetValue(output)!;
                var options = new CliEnvironmentOptions { Storage = parse.GetValue(storage), TaskHub = CommonOptions.CheckTaskHub(parse.GetValue(taskHub)), RunWorker = false };
                await using var env = await CliEnvironment.StartAsync(options, cancellationToken);
                if (names.Count == 0)
                {
                    names = (await env.Registry.ListNewestAsync(cancellationToken)).Select(v => v.Workload).Distinct(StringComparer.Ordinal).ToList();
                    if (names.Count == 0)
                    {
                        throw new InputException("workload", $"no workload is registered in {env.StorageDescription}; name the workloads to show (yardstick dashboard checkout search --out site/).");
                    }
                }

                Directory.CreateDirectory(Path.Combine(folder.FullName, "workloads"));
                Directory.CreateDirectory(Path.Combine(folder.FullName, "runs"));
                var reader = new TrendReader(env.Runs, env.Baselines, TimeProvider.System);
                var rows = new List<DashboardWorkload>();
                var reports = 0;
                foreach (var name in names)
                {
                    var trend = await reader.ReadAsync(TrendRequest.Parse(name, null, dayCount, null, prefix: "--"), cancellationToken);
                    var linked = new HashSet<string>(StringComparer.Ordinal);
                    foreach (var run in trend.Runs.Reverse().Take(Dashboard.RecentRuns))
                    {
                        // The run's stored report, copied beside the pages so the site stays whole offline.
                        if (await env.Artifacts.GetAsync(name, run.RunId, ReportFormats.HtmlBlobName, cancellationToken) is { } report)
                        {
                            await File.WriteAllBytesAsync(Path.Combine(folder.FullName, "runs", run.RunId + ".html"), report, cancellationToken);
                            linked.Add(run.RunId);
                            reports++;
                        }
                    }

                    var page = Dashboard.RenderWorkload(trend, runId => linked.Contains(runId) ? $"../runs/{runId}.html" : null, "../index.html");
                    await File.WriteAllTextAsync(Path.Combine(folder.FullName, "workloads", name + ".html"), page, cancellationToken);
                    rows.Add(new DashboardWorkload(trend, $"workloads/{name}.html"));
                }

                var index = Path.Combine(folder.FullName, "index.html");
                await File.WriteAllTextAsync(index, Dashboard.RenderOverview(rows, TimeProvider.System.GetUtcNow()), cancellationToken);
                await Out.Profile.Out.Writer.WriteLineAsync($"Dashboard of {rows.Count} workload(s) and {reports} run report(s): {index}");
                return ExitCodes.Pass;
            },
            workloads, output, days, storage, taskHub);
    }
}
