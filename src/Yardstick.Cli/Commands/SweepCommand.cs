using System.CommandLine;
using Yardstick.Cli.Console;
using Yardstick.Cli.Hosting;
using Yardstick.Core;
using Yardstick.Core.Workloads;

namespace Yardstick.Cli.Commands;

/// <summary>
/// <c>yardstick sweep &lt;file&gt;</c>: a run of a workload with a <c>sweep</c> section (settings interleaved A B C A B C),
/// then one row per variant and the recommended setting (see <c>SweepRecommendation</c>).
/// </summary>
internal sealed class SweepCommand(CliContext context) : CommandBase(context)
{
    public override Command Build()
    {
        var file = new Argument<FileInfo>("file") { Description = "Workload file (YAML or JSON) with a sweep section." };
        var set = CommonOptions.Set();
        var tag = CommonOptions.Tag();
        var json = CommonOptions.Json();
        var host = new LocalHostCliOptions();
        var noProgress = new Option<bool>("--no-progress") { Description = "Do not show live progress." };

        return Define(
            "sweep",
            "Power tuning: run every value of the workload's sweep (interleaved A B C A B C), show cost against latency per value and recommend one.",
            async (parse, cancellationToken) =>
            {
                var args = new RunArguments
                {
                    File = parse.GetValue(file)!,
                    Overrides = parse.GetValue(set) ?? [],
                    Tags = CommonOptions.ParsePairs(parse.GetValue(tag), "--tag"),
                    Json = parse.GetValue(json),
                    ShowProgress = !parse.GetValue(noProgress),
                    Environment = host.Read(parse, cancellationToken),
                };

                // Refused before anything starts: a workload without a sweep is a plain `run`.
                var workload = args.File.Exists ? WorkloadLoader.LoadFile(args.File.FullName, args.Overrides) : null;
                if (workload is { Sweep: null })
                {
                    throw new InputException("sweep", $"'{args.File.Name}' has no sweep section (parameter and values); use 'yardstick run' for a single setting.");
                }

                try
                {
                    var finished = await new RunExecution(Context).ExecuteAsync(args, cancellationToken);
                    if (finished.Summary is { } summary && workload?.Sweep is { } sweep)
                    {
                        SweepView.Render(Context.Console, summary, sweep, workload.Compare.Margin);
                    }

                    return RunExecution.ExitCodeFor(finished);
                }
                catch (RunFailedException e)
                {
                    await Context.Error.WriteLineAsync("yardstick: " + e.Message);
                    return ExitCodes.RunFailed;
                }
            },
            [file, set, tag, json, noProgress, .. host.All]);
    }
}
