using System.CommandLine;
using Yardstick.Cli.Console;
using Yardstick.Cli.Hosting;

namespace Yardstick.Cli.Commands;

/// <summary><c>yardstick run &lt;file&gt;</c>: one benchmark run through the Durable orchestration on the local host.</summary>
internal sealed class RunCommand(CliContext context) : CommandBase(context)
{
    public override Command Build()
    {
        var file = new Argument<FileInfo>("file") { Description = "Workload file (YAML or JSON)." };
        var set = CommonOptions.Set();
        var tag = CommonOptions.Tag();
        var allowHost = CommonOptions.AllowHost();
        var storage = CommonOptions.Storage();
        var taskHub = CommonOptions.TaskHub();
        var maxActivities = CommonOptions.MaxActivities();
        var json = CommonOptions.Json();
        var verbose = CommonOptions.Verbose();
        var noProgress = new Option<bool>("--no-progress") { Description = "Do not show live progress." };
        var azure = CommonOptions.Azure();
        var meteredDelay = CommonOptions.MeteredDelay();

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
                    Environment = new CliEnvironmentOptions
                    {
                        Storage = parse.GetValue(storage),
                        TaskHub = CommonOptions.CheckTaskHub(parse.GetValue(taskHub)),
                        MaxActivities = CommonOptions.CheckMaxActivities(parse.GetValue(maxActivities)),
                        AllowedHosts = parse.GetValue(allowHost) ?? [],
                        Verbose = parse.GetValue(verbose),
                        AzureAccess = parse.GetValue(azure),
                        MeteredDelay = CommonOptions.ParseDuration(parse.GetValue(meteredDelay), "--metered-delay"),
                        Shutdown = cancellationToken,
                    },
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
            file, set, tag, allowHost, storage, taskHub, json, verbose, noProgress, maxActivities, azure, meteredDelay);
    }
}
