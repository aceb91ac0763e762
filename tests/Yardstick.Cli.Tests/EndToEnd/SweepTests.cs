using Xunit.Abstractions;
using Yardstick.Core;
using Yardstick.Core.Measurements;
using Yardstick.Core.Runs;
using Yardstick.Orchestration.Contracts;
using Yardstick.Testing;

namespace Yardstick.Cli.Tests.EndToEnd;

/// <summary>
/// `yardstick sweep` end to end on the local host: the sample target runs as a child process that the sweep restarts
/// before each turn with YARDSTICK_EXTRA_LATENCY_MS = 0, 10 or 30, two rounds interleaved, 20 req/s for 2 s per turn.
/// </summary>
public sealed class SweepTests(AzuriteFixture azurite, ITestOutputHelper output) : IClassFixture<AzuriteFixture>, IDisposable
{
    private const string Parameter = "appSetting:YARDSTICK_EXTRA_LATENCY_MS";
    private readonly CliHarness _cli = new(azurite, output);

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Sweep_ExtraLatencyOfALocalProcess_InterleavesTurns_MeasuresTheEffect_AndRecommends()
    {
        var name = AzuriteFixture.UniqueName("sweep");
        var port = TestPorts.Reserve();
        var file = _cli.WriteWorkload(name, $"""
            name: {name}
            target:
              url: http://127.0.0.1:{port}/api/hello
              process:
                command: sample-target
                args: ["--urls", "http://127.0.0.1:{port}"]
                readyTimeout: 60s
            load:
              rate: 20/s
              duration: 2s
              shards: 1
            cost:
              plan: consumption
              region: eastus
              pricingFile: {Path.Combine(RepositoryRoot(), "workloads", "pricing", "azure-functions.json")}
            compare:
              repeat: 2
            sweep:
              parameter: {Parameter}
              values: [0, 10, 30]
              settleTimeout: 1m
            """);

        var result = await _cli.RunAsync("sweep", file, "--no-progress");

        Assert.True(result.ExitCode == 0, result.ToString());
        var runId = CliHarness.RunIdFrom(result);
        var summary = await _cli.ReadSummaryAsync(name, runId);
        var variants = summary.Variants;
        foreach (var v in variants)
        {
            output.WriteLine($"variant {v.Variant}: {v.Requests} requests, p50 {v.LatencyMs.P50:0.00} ms, p95 {v.LatencyMs.P95:0.00} ms, p99 {v.LatencyMs.P99:0.00} ms, "
                + $"{v.ThroughputRps:0.0} req/s, errors {v.Errors}, cost/1M {v.Per1MRequestsUsd:0.0000} USD, front {v.OnParetoFront}, recommended {v.Recommended}");
        }

        // Three variants, each measured in both rounds (20/s × 2 s × 2 rounds), each with a modeled cost.
        Assert.Equal(["0", "10", "30"], variants.Select(v => v.Variant));
        Assert.All(variants, v => Assert.Equal((2, 80L, 0L), (v.Rounds, v.Requests, v.Errors)));
        Assert.All(variants, v => Assert.True(v.CostPerRequestUsd > 0));
        Assert.Equal(240, summary.Requests);

        // The knob has a real effect: 30 ms of extra latency shows in the median. (Not in p95: with 80 requests per
        // variant, p95 is the 4th-slowest, and one stall of a freshly restarted process on a busy 2-core runner moves it.)
        var byValue = variants.ToDictionary(v => v.Variant);
        Assert.True(byValue["30"].LatencyMs.P50 - byValue["0"].LatencyMs.P50 >= 20, $"p50 0 ms: {byValue["0"].LatencyMs.P50}, 30 ms: {byValue["30"].LatencyMs.P50}");

        // Pareto flags: the fastest variant is on the front and is the one recommended (the bills tie under the
        // Consumption plan's 100 ms minimum, so speed decides).
        var fastest = variants.MinBy(v => v.LatencyMs.P95)!;
        Assert.True(fastest.OnParetoFront);
        Assert.Equal(fastest.Variant, Assert.Single(variants, v => v.Recommended).Variant);

        // Interleaving A B C A B C, from the stored shard results' own start times.
        var storage = _cli.Storage;
        var blobs = await storage.Artifacts.ListAsync(name, runId, "shards/measured/", CancellationToken.None);
        var shards = new List<ShardResult>();
        foreach (var blob in blobs)
        {
            shards.Add(YardstickJson.Deserialize<ShardResult>((await storage.Artifacts.GetAsync(name, runId, blob, CancellationToken.None))!));
        }

        Assert.Equal(
            ["r0 0", "r0 10", "r0 30", "r1 0", "r1 10", "r1 30"],
            shards.OrderBy(s => s.StartedAt).Select(s => $"r{s.Round} {s.Variant}"));

        // Each turn's apply is recorded, and the run's phase timings carry the apply and settle times.
        var records = await storage.Artifacts.ListAsync(name, runId, "settings/", CancellationToken.None);
        Assert.Equal(6, records.Count);
        var first = YardstickJson.Deserialize<ApplySettingsResult>((await storage.Artifacts.GetAsync(name, runId, "settings/r00-v00.json", CancellationToken.None))!);
        Assert.Equal(("0", Parameter, "process"), (first.Variant, first.Parameter, first.Target));
        Assert.True(first.SettleSeconds > 0 && first.ApplySeconds >= first.SettleSeconds);
        var row = await storage.Runs.GetAsync(runId, CancellationToken.None);
        Assert.Equal(RunStatus.Completed, row!.Status);
        Assert.True(row.PhaseSeconds["apply"] > 0);
        Assert.True(row.PhaseSeconds["settle"] > 0);

        // The console: one table row per variant, the Pareto star, and the recommendation with the fastest and cheapest.
        Assert.Contains($"sweep of {Parameter}", result.Out, StringComparison.Ordinal);
        Assert.Contains("★", result.Out, StringComparison.Ordinal);
        Assert.Contains($"Recommended: {Parameter} = {fastest.Variant}", result.Out, StringComparison.Ordinal);
        Assert.Contains("Fastest: ", result.Out, StringComparison.Ordinal);
        Assert.Contains("Cheapest: ", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sweep_WorkloadWithoutSweep_IsRefusedAsInvalidInput()
    {
        var file = _cli.WriteWorkload("plain", """
            name: plain
            target:
              url: http://127.0.0.1:5080/api/hello
            load:
              rate: 1/s
              duration: 1s
            """);

        var result = await _cli.RunAsync("sweep", file);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("sweep: ", result.Error, StringComparison.Ordinal);
        Assert.Contains("has no sweep section", result.Error, StringComparison.Ordinal);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Functions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Functions.sln not found above " + AppContext.BaseDirectory);
    }
}
