using Xunit.Abstractions;
using Yardstick.Core.Measurements;
using Yardstick.Testing;

namespace Yardstick.Cli.Tests.EndToEnd;

/// <summary>
/// <c>compare.recycle</c> end to end on the local Durable host: the sample target (a new <c>x-instance-id</c> per process
/// start) is restarted before every measured round, each round warmed up on its own; without it the rounds share one
/// process. Tiny loads on loopback: three rounds of 0.4 s at 20/s.
/// </summary>
public sealed class RecycleRunTests(AzuriteFixture azurite, ITestOutputHelper output) : IClassFixture<AzuriteFixture>, IDisposable
{
    private const int Rounds = 3;
    private readonly CliHarness _cli = new(azurite, output);

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Run_Recycle_EveryRoundOnANewProcessWithItsOwnWarmup_WithoutItOneProcess()
    {
        var port = TestPorts.Reserve();
        var name = AzuriteFixture.UniqueName("recycle");
        string Workload(bool recycle) => $"""
            name: {name}
            {CliHarness.SampleTargetBlock(port)}load:
              rate: 20/s
              duration: 400ms
              warmup: 200ms
            compare:
              repeat: {Rounds}
              recycle: {(recycle ? "true" : "false")}
            """;

        var recycled = await _cli.RunAsync("run", _cli.WriteWorkload(name, Workload(recycle: true)), "--no-progress");
        Assert.True(recycled.ExitCode == 0, recycled.ToString());
        var runId = CliHarness.RunIdFrom(recycled);

        // One serving instance per round, a different one each round: a new process before every round.
        var perRound = InstancesPerRound(await _cli.ReadMeasuredShardsAsync(name, runId));
        Assert.Equal(Rounds, perRound.Count);
        Assert.All(perRound, r => Assert.Single(r.Value));
        Assert.Equal(Rounds, perRound.Values.Select(ids => ids.Single()).Distinct().Count());

        // Each round had its own warm-up and a recorded restart.
        var storage = _cli.Storage;
        var warmups = await storage.Artifacts.ListAsync(name, runId, "shards/warmup/", CancellationToken.None);
        Assert.Equal(Enumerable.Range(0, Rounds).Select(r => $"r{r:D2}"), warmups.Select(RoundOf).Distinct().Order());
        var recycles = await storage.Artifacts.ListAsync(name, runId, "recycles/", CancellationToken.None);
        Assert.Equal(Rounds, recycles.Count);

        // The same workload without it: every round on the one process the run started.
        var warm = await _cli.RunAsync("run", _cli.WriteWorkload(name, Workload(recycle: false)), "--no-progress");
        Assert.True(warm.ExitCode == 0, warm.ToString());
        var shared = InstancesPerRound(await _cli.ReadMeasuredShardsAsync(name, CliHarness.RunIdFrom(warm)));
        Assert.Equal(Rounds, shared.Count);
        Assert.Single(shared.Values.SelectMany(ids => ids).Distinct());
    }

    [Fact]
    public async Task Run_RecycleOnAPlainUrlTarget_Exit2NamingCompareRecycle()
    {
        var name = AzuriteFixture.UniqueName("recycle-bad");
        var file = _cli.WriteWorkload(name, $"""
            name: {name}
            target:
              url: http://127.0.0.1:{TestPorts.Reserve()}/api/hello
            load:
              rate: 5/s
              duration: 200ms
            compare:
              repeat: 2
              recycle: true
            """);

        var result = await _cli.RunAsync("run", file, "--no-progress");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("compare.recycle", result.Error, StringComparison.Ordinal);
        Assert.Contains("only a local target.process can be recycled", result.Error, StringComparison.Ordinal);
    }

    private static Dictionary<int, List<string>> InstancesPerRound(List<ShardResult> shards)
    {
        var perRound = shards.GroupBy(s => s.Round).ToDictionary(
            g => g.Key,
            g => g.SelectMany(s => s.Instances).Where(i => i.Requests > 0).Select(i => i.InstanceId).Distinct().ToList());
        Assert.All(perRound.Values, ids => Assert.NotEmpty(ids));
        return perRound;
    }

    private static string RoundOf(string blob) => blob.Split('/').First(part => part.Length == 3 && part[0] == 'r');
}
