using System.CommandLine;
using Yardstick.Cli.Remote;

namespace Yardstick.Cli.Commands;

/// <summary><c>yardstick submit &lt;file&gt; --endpoint …</c>: one run in a deployed Yardstick app, followed to the end.</summary>
internal sealed class SubmitCommand(CliContext context) : CommandBase(context)
{
    public override Command Build()
    {
        var file = new Argument<FileInfo>("file") { Description = "Workload file (YAML or JSON), validated here before it is sent." };
        var set = CommonOptions.Set();
        var tag = CommonOptions.Tag();
        var json = CommonOptions.Json();
        var remote = new RemoteCliOptions(endpointRequired: true, "Stop waiting after this long (90s, 30m, 1h); the run goes on in the app. Default: wait until it ends.");
        var baseline = new Option<string?>("--baseline") { Description = "Compare with this baseline: current (default) or a run id." };
        var noWait = new Option<bool>("--no-wait") { Description = "Print the run id and status URL and exit without waiting." };
        var output = new Option<DirectoryInfo?>("--out") { Description = "Save report.md, junit.xml, report.html and summary.json of the finished run here." };
        var noProgress = new Option<bool>("--no-progress") { Description = "Do not show progress while waiting." };

        return Define(
            "submit",
            "Run a benchmark in a deployed Yardstick app (function key from YARDSTICK_FUNCTION_KEY, or --token-scope) and wait for its outcome.",
            (parse, cancellationToken) => new RemoteSubmit(Context).RunAsync(
                new RemoteSubmitArguments
                {
                    File = parse.GetValue(file)!,
                    Connection = remote.Read(parse),
                    Overrides = parse.GetValue(set) ?? [],
                    Tags = CommonOptions.ParsePairs(parse.GetValue(tag), "--tag"),
                    Baseline = parse.GetValue(baseline),
                    NoWait = parse.GetValue(noWait),
                    Timeout = remote.ReadTimeout(parse, fallback: null),
                    Out = parse.GetValue(output),
                    Json = parse.GetValue(json),
                    ShowProgress = !parse.GetValue(noProgress),
                },
                cancellationToken),
            [file, set, tag, json, .. remote.All, baseline, noWait, output, noProgress]);
    }
}
