using System.CommandLine;
using Yardstick.Cli.Console;

namespace Yardstick.Cli.Commands;

/// <summary><c>yardstick run &lt;file&gt;</c>: one benchmark run through the Durable orchestration on the local host.</summary>
internal sealed class RunCommand(CliContext context) : CommandBase(context)
{
    public override Command Build()
    {
        var workload = new WorkloadRunCliOptions();
        var json = CommonOptions.Json();
        var strict = DesignCheck.Strict();

        return Define(
            "run",
            "Run a benchmark on the local Durable host (Azurite is started for you unless YARDSTICK_STORAGE is set).",
            async (parse, cancellationToken) =>
            {
                var args = workload.Read(parse, cancellationToken) with { Json = parse.GetValue(json), CheckDesign = true, Strict = parse.GetValue(strict) };
                try
                {
                    var finished = await new RunExecution(Context).ExecuteAsync(args, cancellationToken);
                    return RunExecution.ExitCodeFor(finished);
                }
                catch (RunFailedException e)
                {
                    await Context.Error.WriteLineAsync("yardstick: " + e.Message);
                    return ExitCodes.RunFailed;
                }
            },
            [.. workload.All, json, strict]);
    }
}
