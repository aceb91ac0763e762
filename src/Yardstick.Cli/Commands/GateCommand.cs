using System.CommandLine;
using Yardstick.Cli.Console;
using Yardstick.Cli.Hosting;
using Yardstick.Cli.Remote;
using Yardstick.Core;
using Yardstick.Core.Workloads;

namespace Yardstick.Cli.Commands;

/// <summary>
/// <c>yardstick gate &lt;file&gt;</c>: runs the workload and decides — 0 pass, 1 regression or threshold breach, 3 run
/// failed, 4 inconclusive with <c>--fail-on-inconclusive</c> (2 for bad input). Locally by default (the same run as
/// <c>yardstick run</c>, on the local Durable host); with <c>--endpoint</c> in a deployed Yardstick app
/// (<see cref="RemoteGate"/>). Reports go to <c>--out</c> and <c>$GITHUB_STEP_SUMMARY</c> either way.
/// </summary>
internal sealed class GateCommand(CliContext context) : CommandBase(context)
{
    public override Command Build()
    {
        var options = new WorkloadRunCliOptions();
        var host = options.Host;
        var json = CommonOptions.Json();
        var baseline = new Option<string?>("--baseline") { Description = "Compare with this baseline: current (the promoted one) or a run id; default: the workload's compare.baseline." };
        var failOnInconclusive = new Option<bool>("--fail-on-inconclusive") { Description = "Exit 4 when the verdict is inconclusive." };
        var strict = DesignCheck.Strict();
        var output = new Option<DirectoryInfo?>("--out") { Description = "Save report.md, junit.xml, report.html and summary.json here." };
        var remote = new RemoteCliOptions(endpointRequired: false, "With --endpoint: give up waiting for the verdict after this long (default 30m); exit 3, the run goes on in the app.");
        var against = new Option<string?>("--against")
        {
            Description = "Paired A/B gate: alternate rounds between this reference origin (what runs in production, e.g. https://my-app.azurewebsites.net) and the target in one run, and decide from the pairs instead of a stored baseline; sets compare.against.url (compare.repeat pairs, at least 2).",
        };

        return Define(
            "gate",
            "Run a workload and decide: 0 pass, 1 regression or threshold breach, 3 run failed, 4 inconclusive with --fail-on-inconclusive. Locally, or in a deployed Yardstick app with --endpoint.",
            async (parse, cancellationToken) =>
            {
                if (!string.IsNullOrWhiteSpace(parse.GetValue(remote.Endpoint)))
                {
                    RefuseWithEndpoint(("--storage", parse.GetValue(host.Storage) is not null), ("--task-hub", parse.GetValue(host.TaskHub) is not null), ("--allow-host", parse.GetValue(host.AllowHost) is { Length: > 0 }));
                    var remoteOverrides = WithAgainst(parse.GetValue(options.Set) ?? [], parse.GetValue(against));
                    ReportRemoteDesign(parse.GetValue(options.File)!, remoteOverrides, parse.GetValue(baseline), parse.GetValue(strict));
                    return await new RemoteGate(Context).RunAsync(
                        new RemoteGateArguments
                        {
                            File = parse.GetValue(options.File)!,
                            Connection = remote.Read(parse),
                            Overrides = remoteOverrides,
                            Tags = CommonOptions.ParsePairs(parse.GetValue(options.Tag), "--tag"),
                            Baseline = parse.GetValue(baseline),
                            FailOnInconclusive = parse.GetValue(failOnInconclusive),
                            Timeout = remote.ReadTimeout(parse, RemoteGateArguments.DefaultTimeout)!.Value,
                            Out = parse.GetValue(output),
                            Json = parse.GetValue(json),
                            ShowProgress = !parse.GetValue(options.NoProgress),
                        },
                        cancellationToken);
                }

                RefuseWithoutEndpoint(parse, remote);
                var args = options.Read(parse, cancellationToken) with
                {
                    Json = parse.GetValue(json), Baseline = parse.GetValue(baseline), CheckDesign = true, Strict = parse.GetValue(strict),
                };
                args = args with { Overrides = WithAgainst(args.Overrides, parse.GetValue(against)) };
                return await RunLocalAsync(args, parse.GetValue(failOnInconclusive), parse.GetValue(output), cancellationToken);
            },
            [.. options.All, json, baseline, failOnInconclusive, strict, output, against, .. remote.All]);
    }

    /// <summary><c>--against URL</c> is the override <c>compare.against.url=URL</c>, after the <c>--set</c> ones (it wins).</summary>
    internal static IReadOnlyList<string> WithAgainst(IReadOnlyList<string> overrides, string? against)
    {
        if (against is null)
        {
            return overrides;
        }

        if (string.IsNullOrWhiteSpace(against))
        {
            throw new InputException("--against", "needs the reference's origin, for example https://my-app.azurewebsites.net.");
        }

        return [.. overrides, "compare.against.url=" + against.Trim()];
    }

    private async Task<int> RunLocalAsync(RunArguments args, bool failOnInconclusive, DirectoryInfo? outDir, CancellationToken cancellationToken)
    {
        var workload = RunExecution.Validate(args);
        await using var env = await CliEnvironment.StartAsync(RunExecution.HostFor(args, workload), cancellationToken);
        FinishedRun finished;
        try
        {
            finished = await new RunExecution(Context).RunAsync(env, args, workload, cancellationToken);
        }
        catch (RunFailedException e)
        {
            await Context.Error.WriteLineAsync("yardstick: gate failed (exit 3): " + e.Message);
            return ExitCodes.RunFailed;
        }

        var decision = GateDecision.Decide(finished.Outcome, failOnInconclusive);
        await new GateOutputs(env.Artifacts, Context).SaveAsync(
            finished.Outcome.Workload, finished.Outcome.RunId, outDir, Environment.GetEnvironmentVariable(GateOutputs.StepSummaryVariable), failOnInconclusive, cancellationToken);
        await GateDecision.ReportAsync(Context, "gate", decision);
        return decision.ExitCode;
    }

    /// <summary>
    /// The design lines of a remote gate, from the file as given: the app's stored calibration is out of reach here, so
    /// the assumed noise stands in. A file that does not load is left to the remote gate, which reports it as usual.
    /// </summary>
    private void ReportRemoteDesign(FileInfo file, IReadOnlyList<string> overrides, string? baseline, bool strict)
    {
        Workload workload;
        try
        {
            // Secret references are the app's to resolve (RemoteWorkload sends them unresolved); the design needs none.
            workload = WorkloadLoader.LoadFile(file.FullName, overrides, environment: _ => "unresolved");
        }
        catch (Exception e) when (e is InputException or IOException or UnauthorizedAccessException)
        {
            return;
        }

        DesignCheck.Report(Out, workload, calibration: null, baseline, strict, calibrationRead: false);
    }

    private static void RefuseWithEndpoint(params (string Option, bool Given)[] localOnly)
    {
        foreach (var (option, given) in localOnly)
        {
            if (given)
            {
                throw new InputException(option, "applies to a local gate only; with --endpoint the run happens in the app and uses its storage and allow-list.");
            }
        }
    }

    private static void RefuseWithoutEndpoint(ParseResult parse, RemoteCliOptions remote)
    {
        foreach (var option in new Option<string?>[] { remote.FunctionKeyEnv, remote.TokenScope, remote.Timeout })
        {
            if (parse.GetValue(option) is not null)
            {
                throw new InputException(option.Name, "applies with --endpoint only (the remote gate).");
            }
        }
    }
}
