using System.Security.Cryptography;
using Xunit.Abstractions;
using Yardstick.Testing;

namespace Yardstick.Cli.Tests.EndToEnd;

/// <summary>`yardstick run` of the shipped workloads/replay-local.yaml with its trace, against the in-process sample target.</summary>
[Collection(AzuriteFixture.Collection)]
public sealed class ReplayRunTests(AzuriteFixture azurite, ITestOutputHelper output) : SampleTargetCliTests(azurite, output)
{
    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Functions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("repository root not found");
    }

    [Fact]
    public async Task Run_ReplayLocalAsShipped_SendsEveryRecordedArrivalOnceWithItsPathAndRecordsTheTrace_ABaselineOnAnotherTraceIsLeftOut()
    {
        var name = AzuriteFixture.UniqueName("replay");
        var root = Path.Combine(RepoRoot(), "workloads");
        var yaml = File.ReadAllLines(Path.Combine(root, "replay-local.yaml"))
            .Where(l => !l.StartsWith("  process:", StringComparison.Ordinal) && !l.StartsWith("    command:", StringComparison.Ordinal)
                && !l.StartsWith("    args:", StringComparison.Ordinal) && !l.StartsWith("    readyTimeout:", StringComparison.Ordinal))
            .Select(l => l.StartsWith("name: ", StringComparison.Ordinal) ? "name: " + name : l.Replace("http://127.0.0.1:5080", Target.BaseUrl, StringComparison.Ordinal));
        var file = Cli.WriteWorkload(name, string.Join('\n', yaml));
        Directory.CreateDirectory(Cli.PathOf("traces"));
        var trace = Path.Combine(root, "traces", "sample.jsonl");
        File.Copy(trace, Cli.PathOf(Path.Combine("traces", "sample.jsonl")), overwrite: true);
        var lines = File.ReadAllLines(trace).Count(l => l.Length > 0);

        var result = await Cli.RunAsync("run", file, "--no-progress");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("traces/sample.jsonl", result.Out, StringComparison.Ordinal);

        // Every recorded arrival went out once, split 2 ways; the target answers 404 to any path it does not know, so
        // successes mean each arrival carried its own recorded path (and the POSTs their bodies, which /api/echo takes).
        var (shards, summary) = await Cli.AssertCountsAgreeAsync(name, CliHarness.RunIdFrom(result), lines);
        Assert.Equal(lines, summary.Successes);
        Assert.Equal([(lines + 1) / 2, lines / 2], shards.OrderBy(s => s.ShardIndex).Select(s => s.Requests));
        Assert.Equal("replay", summary.Model);

        // The trace's identity, as a dataset's; per-endpoint metrics under the recorded names.
        var recorded = Assert.IsType<Core.Replay.TraceSummary>(summary.Trace);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(trace))), recorded.Sha256);
        Assert.Equal(lines, recorded.Arrivals);
        Assert.Equal(new FileInfo(trace).Length, recorded.Bytes);
        Assert.Equal(4, recorded.DistinctEndpoints);
        Assert.Contains($"traces/sample.jsonl · {lines} arrivals", result.Out, StringComparison.Ordinal);
        var markdown = System.Text.Encoding.UTF8.GetString((await Cli.Storage.Artifacts.GetAsync(name, CliHarness.RunIdFrom(result), "report.md", CancellationToken.None))!);
        Assert.Contains(recorded.Sha256, markdown, StringComparison.Ordinal);
        Assert.Equal(
            ["GET /api/hello", "GET /api/items", "GET /api/work", "POST /api/echo/orders"],
            summary.PerRequest.Select(r => r.Name).Order(StringComparer.Ordinal));
        Assert.Equal(lines, summary.PerRequest.Sum(r => r.Requests));

        // The same workload on a trace with one more arrival: the first run is not its baseline unless asked.
        var firstId = CliHarness.RunIdFrom(result);
        var copy = Cli.PathOf(Path.Combine("traces", "sample.jsonl"));
        var last = File.ReadAllLines(copy).Last(l => l.Length > 0);
        await File.AppendAllTextAsync(copy, last + "\n");
        var refused = await Cli.RunAsync("gate", file, "--baseline", firstId, "--set", "load.speed=4", "--no-progress");
        var refusedVerdict = (await Cli.ReadSummaryAsync(name, CliHarness.RunIdFrom(refused))).Verdict!;
        Assert.Empty(refusedVerdict.BaselineRunIds);
        Assert.Contains($"Baseline run {firstId} replayed another trace", refusedVerdict.Explanation, StringComparison.Ordinal);
        Assert.Contains("--allow-dataset-change", refusedVerdict.Explanation, StringComparison.Ordinal);
    }
}
