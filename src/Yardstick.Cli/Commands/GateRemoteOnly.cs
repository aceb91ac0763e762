using System.CommandLine;
using Yardstick.Cli.Remote;

namespace Yardstick.Cli.Commands;

// TEMPORARY (branch wip/remote only): a `gate` command with just the remote mode, so the remote gate can be used and
// tested before the lead's `gate` lands. At merge, drop this file and its line in YardstickCli.cs; the real `gate`
// adds RemoteCliOptions.All to its options and, when --endpoint is given, calls RemoteGate.RunAsync (see Execute).

/// <summary>Temporary <c>yardstick gate &lt;file&gt; --endpoint …</c> (remote mode only).</summary>
internal sealed class GateRemoteOnly(CliContext context) : CommandBase(context)
{
    public override Command Build()
    {
        var file = new Argument<FileInfo>("file") { Description = "Workload file (YAML or JSON)." };
        var set = CommonOptions.Set();
        var tag = CommonOptions.Tag();
        var json = CommonOptions.Json();
        var remote = new RemoteCliOptions(endpointRequired: true, "Give up waiting for the verdict after this long (default 30m); exit 3, the run goes on in the app.");
        var baseline = new Option<string?>("--baseline") { Description = "Compare with this baseline: current (default) or a run id." };
        var failOnInconclusive = new Option<bool>("--fail-on-inconclusive") { Description = "Exit 4 when the verdict is inconclusive." };
        var output = new Option<DirectoryInfo?>("--out") { Description = "Save report.md, junit.xml, report.html and summary.json here." };
        var noProgress = new Option<bool>("--no-progress") { Description = "Do not show progress while waiting." };

        return Define(
            "gate",
            "Run a workload in a deployed Yardstick app and decide: 0 pass, 1 regression or threshold breach, 3 failed, 4 inconclusive with --fail-on-inconclusive.",
            (parse, cancellationToken) => new RemoteGate(Context).RunAsync(
                new RemoteGateArguments
                {
                    File = parse.GetValue(file)!,
                    Connection = remote.Read(parse),
                    Overrides = parse.GetValue(set) ?? [],
                    Tags = CommonOptions.ParsePairs(parse.GetValue(tag), "--tag"),
                    Baseline = parse.GetValue(baseline),
                    FailOnInconclusive = parse.GetValue(failOnInconclusive),
                    Timeout = remote.ReadTimeout(parse, RemoteGateArguments.DefaultTimeout)!.Value,
                    Out = parse.GetValue(output),
                    Json = parse.GetValue(json),
                    ShowProgress = !parse.GetValue(noProgress),
                },
                cancellationToken),
            [file, set, tag, json, .. remote.All, baseline, failOnInconclusive, output, noProgress]);
    }
}
