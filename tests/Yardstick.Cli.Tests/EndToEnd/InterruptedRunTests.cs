using System.Diagnostics;
using Xunit.Abstractions;
using Yardstick.Core.Runs;
using Yardstick.Testing;

namespace Yardstick.Cli.Tests.EndToEnd;

/// <summary>
/// <c>history</c> and <c>show</c> tell a run that is going from one whose host died: a Runs row that says running is
/// checked against the local task hub (its orchestration status and whether any worker still holds a partition lease),
/// so a killed CLI's run shows as <c>interrupted</c> with the <c>yardstick resume</c> hint instead of running forever.
/// </summary>
public sealed class InterruptedRunTests(AzuriteFixture azurite, ITestOutputHelper output) : SampleTargetCliTests(azurite, output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task History_CliKilledMidRun_ShowsInterruptedWithTheResumeHint_ThenCompletedAfterResume()
    {
        var name = AzuriteFixture.UniqueName("killedcli");
        var file = Cli.WriteWorkload(name, $"""
            name: {name}
            target:
              url: {Target.BaseUrl}/api/hello
            load:
              rate: 50/s
              duration: 3s
              shards: 2
            compare:
              repeat: 3
            """);

        string runId;
        await using (var child = CliProcess.Start(["run", file, "--no-progress", .. Cli.HubArguments]))
        {
            runId = await StoredRounds.WaitForRoundAsync(Cli.Storage, name, child, round: 0, shards: 2, Patience);

            // Alive: its host holds the task hub's leases, so the run is running, not interrupted.
            var alive = await Cli.RunAsync("history", name);
            Assert.Contains($"{runId}", alive.Out, StringComparison.Ordinal);
            Assert.Contains("running", alive.Out, StringComparison.Ordinal);
            Assert.DoesNotContain("interrupted", alive.Out, StringComparison.Ordinal);

            child.Kill();
            await child.WaitAsync(TimeSpan.FromSeconds(30));
        }

        // The killed CLI's leases expire (15 s); from then on nothing holds the run.
        var history = await WaitForHistoryAsync(name, "interrupted");
        Assert.Contains($"Run {runId} was interrupted (no live host holds it): 'yardstick resume {runId}' finishes it.", history.Out, StringComparison.Ordinal);
        var show = await Cli.RunAsync("show", runId);
        Assert.Contains("interrupted (no summary yet)", show.Out, StringComparison.Ordinal);
        Assert.Contains($"'yardstick resume {runId}' finishes it", show.Out, StringComparison.Ordinal);

        // The stored row itself is untouched: still running, as the dead host left it.
        Assert.Equal(RunStatus.Running, (await Cli.Storage.Runs.GetAsync(runId, CancellationToken.None))!.Status);

        var resumed = await Cli.RunAsync("resume", runId);
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        var after = await Cli.RunAsync("history", name);
        Assert.DoesNotContain("interrupted", after.Out, StringComparison.Ordinal);

        // The run finished. Where the kill fell decides how: between rounds it completes; inside a round (one shard
        // done before the kill, the other run again after the resume) the round's shards did not start together, and
        // the run is honestly degraded for exactly that reason, never for anything else.
        var row = (await Cli.Storage.Runs.GetAsync(runId, CancellationToken.None))!;
        Assert.True(row.Status is RunStatus.Completed or RunStatus.Degraded, $"status {row.Status}:\n{resumed}");
        if (row.Status == RunStatus.Degraded)
        {
            Assert.Contains("shards did not start together", resumed.Out, StringComparison.Ordinal);
        }

        Assert.Contains($"{runId}   {row.Status.ToString().ToLowerInvariant()}", after.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task History_RunningRowTheTaskHubDoesNotKnow_StaysRunning_NoResumeHint()
    {
        // A row that says running on a task hub that has never seen it (another hub, a deployed app): no evidence
        // either way, so history reports the row as stored rather than guessing "interrupted".
        var name = AzuriteFixture.UniqueName("unknownhub");
        var runId = AzuriteFixture.NewRunId();
        await Cli.Storage.Runs.UpsertAsync(
            new RunRecord { RunId = runId, Workload = name, Status = RunStatus.Running, Host = "local", CreatedAt = DateTimeOffset.UtcNow },
            CancellationToken.None);

        var history = await Cli.RunAsync("history", name);

        Assert.Equal(0, history.ExitCode);
        Assert.Contains("running", history.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("interrupted", history.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("yardstick resume", history.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task History_RowSaysRunningButTheOrchestrationEnded_ShowsTheTaskHubStatusWithAShowHint()
    {
        // A run whose last row write was lost (storage gave out after the orchestration ended): the task hub knows better.
        var name = AzuriteFixture.UniqueName("lostrow");
        var file = Cli.WriteWorkload(name, $"""
            name: {name}
            target:
              url: {Target.BaseUrl}/api/hello
            load:
              rate: 20/s
              duration: 1s
            """);
        var run = await Cli.RunAsync("run", file, "--no-progress");
        Assert.True(run.ExitCode == 0, run.ToString());
        var runId = CliHarness.RunIdFrom(run);
        var row = (await Cli.Storage.Runs.GetAsync(runId, CancellationToken.None))!;
        await Cli.Storage.Runs.UpsertAsync(row with { Status = RunStatus.Running }, CancellationToken.None);

        var history = await Cli.RunAsync("history", name);

        Assert.Contains($"{runId}   completed", history.Out, StringComparison.Ordinal);
        Assert.Contains($"Run {runId} ended (completed in the task hub) without updating its row; 'yardstick show {runId}' has what was stored.", history.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("interrupted", history.Out, StringComparison.Ordinal);
    }

    private async Task<CliResult> WaitForHistoryAsync(string workload, string expected)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            var history = await Cli.RunAsync("history", workload);
            if (history.Out.Contains(expected, StringComparison.Ordinal))
            {
                return history;
            }

            if (Stopwatch.GetElapsedTime(started) > Patience)
            {
                throw new Xunit.Sdk.XunitException($"history never showed '{expected}':\n{history}");
            }

            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }
}
