using System.CommandLine;
using Spectre.Console;
using Yardstick.Core;

namespace Yardstick.Cli.Commands;

/// <summary>The <c>yardstick</c> command tree. Input errors print one line naming the field and exit 2.</summary>
public static class YardstickCli
{
    public static Task<int> RunAsync(string[] args, IAnsiConsole console, TextWriter error) =>
        RunAsync(args, new CliContext(console, error));

    /// <summary>The whole command tree (the pipeline-example tests read its commands and options).</summary>
    public static RootCommand CreateRoot(IAnsiConsole console, TextWriter error) => CreateRoot(new CliContext(console, error));

    /// <summary>Runs <paramref name="args"/> with a given context (tests pass a fake Azure credential and transport).</summary>
    internal static async Task<int> RunAsync(string[] args, CliContext context)
    {
        var parse = CreateRoot(context).Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var parseError in parse.Errors)
            {
                await context.Error.WriteLineAsync("yardstick: " + parseError.Message);
            }

            await context.Error.WriteLineAsync("Run 'yardstick --help' for usage.");
            return ExitCodes.InvalidInput;
        }

        return await parse.InvokeAsync();
    }

    internal static RootCommand CreateRoot(CliContext context)
    {
        var root = new RootCommand("Yardstick: repeatable benchmarks of serverless HTTP apps with statistical verdicts.");
        foreach (var command in new CommandBase[]
                 {
                     new RunCommand(context),
                     new SweepCommand(context),
                    new CapacityCommand(context),
                     new ResumeCommand(context),
                     new ValidateCommand(context),
                     new HistoryCommand(context),
                     new ShowCommand(context),
                     new TrendCommand(context),
                     new DashboardCommand(context),
                     new WorkloadCommand(context),
                     new WorkerCommand(context),
                     new SubmitCommand(context),
                     new GateCommand(context),
                     new CompareCommand(context),
                     new BaselineCommand(context),
                     new ReportCommand(context),
                     new CalibrateCommand(context),
                     new PricingCommand(context),
                     new SloCommand(context),
                     new AlertsCommand(context),
                     new DataCommand(context),
                     new TraceCommand(context),
                 })
        {
            root.Subcommands.Add(command.Build());
        }

        return root;
    }
}

/// <summary>Console and error writer shared by the commands (tests pass their own).</summary>
internal sealed record CliContext(IAnsiConsole Console, TextWriter Error)
{
    /// <summary>
    /// The sign-in of commands that call Azure themselves (<c>trace export</c>); null: DefaultAzureCredential (az login
    /// or AZURE_* variables). Tests pass a fake.
    /// </summary>
    public global::Azure.Core.TokenCredential? AzureCredential { get; init; }

    /// <summary>Those commands' HTTP transport; null: Azure.Core's. Tests pass one that trusts a loopback server's certificate.</summary>
    public global::Azure.Core.Pipeline.HttpPipelineTransport? AzureTransport { get; init; }
}

/// <summary>
/// A command whose action maps exceptions to exit codes and one clear line: input errors exit 2, Ctrl+C 130, and any
/// other failure (storage, the Durable engine, disk, IO) 3.
/// </summary>
internal abstract class CommandBase(CliContext context)
{
    internal CliContext Context { get; } = context;

    protected IAnsiConsole Out => Context.Console;

    public abstract Command Build();

    protected Command Define(string name, string description, Func<ParseResult, CancellationToken, Task<int>> action, params Symbol[] symbols)
    {
        var command = new Command(name, description);
        foreach (var symbol in symbols)
        {
            switch (symbol)
            {
                case Argument argument: command.Arguments.Add(argument); break;
                case Option option: command.Options.Add(option); break;
                default: throw new ArgumentException($"unexpected symbol {symbol.Name}", nameof(symbols));
            }
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                return await action(parse, cancellationToken);
            }
            catch (InputException e)
            {
                await Context.Error.WriteLineAsync("yardstick: " + e.Describe());
                return ExitCodes.InvalidInput;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await Context.Error.WriteLineAsync("yardstick: interrupted.");
                return ExitCodes.Interrupted;
            }
            catch (Exception e)
            {
                // The host's own machinery failed (storage, Durable, disk): one line and exit 3, never 1 (a regression)
                // and never the runtime's "Unhandled exception" with its stack trace (that only with --verbose).
                await Context.Error.WriteLineAsync("yardstick: " + HostFailure.Describe(e));
                if (command.Options.Any(o => o.Name == "--verbose") && parse.GetValue<bool>("--verbose"))
                {
                    await Context.Error.WriteLineAsync(e.ToString());
                }

                return ExitCodes.RunFailed;
            }
        });
        return command;
    }
}
