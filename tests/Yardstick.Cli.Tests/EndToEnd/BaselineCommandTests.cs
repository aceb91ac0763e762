using Xunit.Abstractions;
using Yardstick.Cli.Tests.Analysis;
using Yardstick.Core.Ports;
using Yardstick.Core.Runs;
using Yardstick.Testing;

namespace Yardstick.Cli.Tests.EndToEnd;

/// <summary><c>yardstick baseline promote|show</c> through the real command tree on Azurite.</summary>
public sealed class BaselineCommandTests(AzuriteFixture azurite, ITestOutputHelper output) : IClassFixture<AzuriteFixture>, IDisposable
{
    private readonly CliHarness _cli = new(azurite, output);

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Promote_TwoConcurrentPromotions_BothLandInOrderAndHistoryIsIntact()
    {
        var name = AzuriteFixture.UniqueName("race");
        var first = await StoreAsync(name, 0);
        var a = await StoreAsync(name, 1);
        var b = await StoreAsync(name, 2);
        Assert.Equal(0, (await _cli.RunAsync("baseline", "promote", first)).ExitCode);

        // Both read the same current baseline; the store lets one write land, and the other re-reads and promotes on top.
        var results = await Task.WhenAll(
            _cli.RunAsync("baseline", "promote", a, "--reason", "race a"),
            _cli.RunAsync("baseline", "promote", b, "--reason", "race b"));

        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.ToString()));
        var key = new BaselineKey(name, "default");
        var history = await _cli.Storage.Baselines.HistoryAsync(key, 10, CancellationToken.None);
        Assert.Equal(3, history.Count);
        Assert.Equal([first], history[^1].RunIds);
        Assert.Equal(new[] { a, b }.Order(StringComparer.Ordinal), history.Take(2).SelectMany(h => h.RunIds).Order(StringComparer.Ordinal));
        var current = await _cli.Storage.Baselines.GetCurrentAsync(key, CancellationToken.None);
        Assert.Equal(history[0].RunIds, current!.RunIds);
        Assert.Equal(history[0].Reason, current.Reason);

        var show = await _cli.RunAsync("baseline", "show", name);
        Assert.Equal(0, show.ExitCode);
        Assert.Contains(a, show.Out, StringComparison.Ordinal);
        Assert.Contains(b, show.Out, StringComparison.Ordinal);
        Assert.Contains("race a", show.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Promote_FailedOrUnknownRun_Exit2NamingTheProblem_AndPromotingTheCurrentAgainChangesNothing()
    {
        var name = AzuriteFixture.UniqueName("promote");
        var failed = await StoreAsync(name, 0, RunStatus.Failed);
        var good = await StoreAsync(name, 1);

        var refused = await _cli.RunAsync("baseline", "promote", failed);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("only completed or degraded runs", refused.Error, StringComparison.Ordinal);
        var unknown = await _cli.RunAsync("baseline", "promote", RunIds.Create(DateTimeOffset.UnixEpoch, Guid.NewGuid()));
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("no run has the id", unknown.Error, StringComparison.Ordinal);

        Assert.Equal(0, (await _cli.RunAsync("baseline", "promote", good, "--environment", "staging")).ExitCode);
        var again = await _cli.RunAsync("baseline", "promote", good, "--environment", "staging");
        Assert.Equal(0, again.ExitCode);
        Assert.Contains("nothing changed", again.Out, StringComparison.Ordinal);
        Assert.Single(await _cli.Storage.Baselines.HistoryAsync(new BaselineKey(name, "default", "staging"), 10, CancellationToken.None));
        Assert.Null(await _cli.Storage.Baselines.GetCurrentAsync(new BaselineKey(name, "default"), CancellationToken.None));
    }

    private async Task<string> StoreAsync(string workload, int minute, RunStatus status = RunStatus.Completed)
    {
        var runId = RunIds.Create(new DateTimeOffset(2026, 11, 29, 9, minute, 0, TimeSpan.Zero), Guid.NewGuid());
        var storage = _cli.Storage;
        await StoredRunFactory.WriteAsync(storage.Artifacts, storage.Runs, new SyntheticRun { Workload = workload, RunId = runId, Status = status, Seconds = 10 });
        return runId;
    }
}
