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
        var options = new WorkloadRunCliOptions("Workload file (YAML or JSON) with a sweep section.");
        var json = CommonOptions.Json();

        return Define(
            "sweep",
            "Power tuning: run every value of the workload's sweep (interleaved A B C A B C), show cost against latency per value and recommend one.",
            async (parse, cancellationToken) =>
            {
                var args = options.Read(parse, cancellationToken) with { Json = parse.GetValue(json) };

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
            [.. options.All, json]);
    }
}
