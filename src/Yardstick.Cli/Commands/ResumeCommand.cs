using System.CommandLine;
using Spectre.Console;
using Yardstick.Cli.Console;
using Yardstick.Cli.Hosting;
using Yardstick.Core;

namespace Yardstick.Cli.Commands;

/// <summary>
/// <c>yardstick resume &lt;runId&gt;</c>: finishes a run an interrupted CLI left in the task hub. The Durable engine
/// replays the orchestration; shards whose results are stored are not run again.
/// </summary>
internal sealed class ResumeCommand(CliContext context) : CommandBase(context)
{
    public override Command Build()
    {
        var runId = new Argument<string>("runId") { Description = "The run to finish." };
        var json = CommonOptions.Json();
        var host = new LocalHostCliOptions();
        return Define(
            "resume",
            "Finish a run that an interrupted CLI left unfinished.",
            async (parse, cancellationToken) =>
            {
                var id = parse.GetValue(runId)!;
                var options = host.Read(parse, cancellationToken);
                await using var env = await CliEnvironment.StartAsync(options, cancellationToken);
                var state = await env.Hub.GetStateAsync(id)
                    ?? throw new InputException("runId", $"no run '{id}' in task hub on {env.StorageDescription}.");
                var record = await env.Runs.GetAsync(id, cancellationToken);
                Out.MarkupLine($"Resuming run [bold]{id}[/] ({state.OrchestrationStatus.ToString().ToLowerInvariant()}).");
                try
                {
                    var finished = await new RunExecution(Context).WatchAsync(env, id, record?.Workload ?? "unknown", parse.GetValue(json), showProgress: true, cancellationToken);
                    return RunExecution.ExitCodeFor(finished);
                }
                catch (RunFailedException e)
                {
                    await Context.Error.WriteLineAsync("yardstick: " + e.Message);
                    return ExitCodes.RunFailed;
                }
            },
            [runId, json, .. host.All]);
    }
}
