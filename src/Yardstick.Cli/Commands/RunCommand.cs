using System.CommandLine;
using Yardstick.Cli.Console;

namespace Yardstick.Cli.Commands;

/// <summary><c>yardstick run &lt;file&gt;</c>: one benchmark run through the Durable orchestration on the local host.</summary>
internal sealed class RunCommand(CliContext context) : CommandBase(context)
{
    public override Command Build()
    {
        var file = new Argument<FileInfo>("file") { Description = "Workload file (YAML or JSON)." };
        var set = CommonOptions.Set();
        var tag = CommonOptions.Tag();
        var json = CommonOptions.Json();
        var noProgress = new Option<bool>("--no-progress") { Description = "Do not show live progress." };
        var host = new LocalHostCliOptions();

        return Define(
            "run",
            "Run a benchmark on the local Durable host (Azurite is started for you unless YARDSTICK_STORAGE is set).",
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
            [file, set, tag, json, noProgress, .. host.All]);
    }
}
