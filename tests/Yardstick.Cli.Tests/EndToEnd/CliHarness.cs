using Spectre.Console;
using Xunit.Abstractions;
using Yardstick.Cli.Commands;
using Yardstick.Core;
using Yardstick.Core.Measurements;
using Yardstick.Core.Summaries;
using Yardstick.Storage;
using Yardstick.Testing;

namespace Yardstick.Cli.Tests.EndToEnd;

/// <summary>What one CLI invocation printed and returned.</summary>
public sealed record CliResult(int ExitCode, string Out, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}\n--- stderr\n{Error}";
}

/// <summary>
/// Runs the real <c>yardstick</c> command tree in-process against the shared Azurite, each harness on its own Durable
/// task hub, with workload files written to a temporary folder. The Durable engine, storage and HTTP are all real.
/// </summary>
public sealed class CliHarness : IDisposable
{
    private readonly AzuriteFixture _azurite;
    private readonly ITestOutputHelper _output;
    private readonly string _folder = Directory.CreateTempSubdirectory("yardstick-cli-").FullName;

    public CliHarness(AzuriteFixture azurite, ITestOutputHelper output)
    {
        _azurite = azurite;
        _output = output;
        TaskHub = "t" + Guid.NewGuid().ToString("N")[..12];
    }

    public string TaskHub { get; }

    public string ConnectionString => _azurite.ConnectionString;

    public YardstickStorage Storage => _azurite.CreateStorage();

    /// <summary>The storage and task-hub options every invocation gets.</summary>
    public string[] HubArguments => ["--storage", ConnectionString, "--task-hub", TaskHub];

    /// <summary>Runs <c>yardstick args…</c> in-process (adding --storage/--task-hub for commands that take them).</summary>
    public async Task<CliResult> RunAsync(params string[] args)
    {
        var command = args[0];
        var full = command is "run" or "resume" or "history" or "show" or "worker" or "gate" or "compare" or "baseline" or "report" or "calibrate" or "sweep" or "slo" or "trend" or "workload" or "alerts" or "capacity" or "dashboard"
            ? args.Concat(HubArguments).ToArray()
            : args;
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(stdout),
            Ansi = AnsiSupport.No,
            Interactive = InteractionSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
        });
        console.Profile.Width = 160;
        var exit = await YardstickCli.RunAsync(full, console, stderr);
        var result = new CliResult(exit, stdout.ToString(), stderr.ToString());
        _output.WriteLine($"$ yardstick {string.Join(' ', args)}\n{result}");
        return result;
    }

    /// <summary>
    /// The <c>target:</c> block of a workload whose target is the built-in sample target started by the CLI on
    /// <paramref name="port"/> (its <c>/api/hello</c>), with <paramref name="extraArgs"/> after <c>--urls</c>; lines at
    /// the top level of a YAML document.
    /// </summary>
    public static string SampleTargetBlock(int port, params string[] extraArgs) =>
        $"target:\n  url: http://127.0.0.1:{port}/api/hello\n  process:\n    command: sample-target\n"
        + $"    args: [\"--urls\", \"http://127.0.0.1:{port}\"{string.Concat(extraArgs.Select(a => $", \"{a}\""))}]\n    readyTimeout: 30s\n";

    /// <summary>Writes a workload file into the harness folder and returns its path.</summary>
    public string WriteWorkload(string name, string yaml)
    {
        var path = Path.Combine(_folder, name + ".yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    public string PathOf(string fileName) => Path.Combine(_folder, fileName);

    /// <summary>The run's measured shard results as stored (<c>shards/measured/…</c>), in blob-name order.</summary>
    public async Task<List<ShardResult>> ReadMeasuredShardsAsync(string workload, string runId)
    {
        var storage = Storage;
        var shards = new List<ShardResult>();
        foreach (var blob in await storage.Artifacts.ListAsync(workload, runId, "shards/measured/", CancellationToken.None))
        {
            shards.Add(YardstickJson.Deserialize<ShardResult>((await storage.Artifacts.GetAsync(workload, runId, blob, CancellationToken.None))!));
        }

        return shards;
    }

    /// <summary>
    /// Asserts the stored run adds up: <paramref name="expectedRequests"/> in the summary, equal to the sum over the
    /// measured shard results and to the sum over the timeline's windows. Returns the shards and the summary.
    /// </summary>
    public async Task<(List<ShardResult> Shards, RunSummary Summary)> AssertCountsAgreeAsync(string workload, string runId, long expectedRequests)
    {
        var shards = await ReadMeasuredShardsAsync(workload, runId);
        var summary = await ReadSummaryAsync(workload, runId);
        var timeline = await ReadTimelineAsync(workload, runId);
        Assert.Equal(expectedRequests, summary.Requests);
        Assert.Equal(shards.Sum(s => s.Requests), summary.Requests);
        Assert.Equal(summary.Requests, timeline.Sum(w => w.Requests));
        return (shards, summary);
    }

    /// <summary>The run's merged per-second windows (<c>timeline.json</c>).</summary>
    public async Task<List<TimelineWindow>> ReadTimelineAsync(string workload, string runId) =>
        YardstickJson.Deserialize<List<TimelineWindow>>((await Storage.Artifacts.GetAsync(workload, runId, "timeline.json", CancellationToken.None))
            ?? throw new Xunit.Sdk.XunitException($"timeline.json of {workload}/{runId} is missing"));

    public async Task<RunSummary> ReadSummaryAsync(string workload, string runId)
    {
        var bytes = await Storage.Artifacts.GetAsync(workload, runId, "summary.json", CancellationToken.None)
            ?? throw new Xunit.Sdk.XunitException($"summary.json of {workload}/{runId} is missing");
        return YardstickJson.Deserialize<RunSummary>(bytes);
    }

    /// <summary>The run id the CLI printed ("Run 20261129-… of …").</summary>
    public static string RunIdFrom(CliResult result)
    {
        var match = System.Text.RegularExpressions.Regex.Match(result.Out, @"\b(\d{8}-\d{6}-[0-9a-f]{6})\b");
        return match.Success ? match.Groups[1].Value : throw new Xunit.Sdk.XunitException("no run id in output:\n" + result);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
