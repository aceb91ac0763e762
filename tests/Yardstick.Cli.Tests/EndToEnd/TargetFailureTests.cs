using Xunit.Abstractions;
using Yardstick.Core.Runs;
using Yardstick.SampleTarget;
using Yardstick.Testing;

namespace Yardstick.Cli.Tests.EndToEnd;

/// <summary>
/// A target that dies in the middle of a run (a loopback sample target stopped while the load runs): the run completes,
/// every request after the death counted as a connect error, and the stored summary and Runs row agree.
/// </summary>
public sealed class TargetFailureTests(AzuriteFixture azurite, ITestOutputHelper output) : IClassFixture<AzuriteFixture>, IDisposable
{
    private readonly CliHarness _cli = new(azurite, output);

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Run_TargetStoppedMidRun_CompletesWithConnectErrorsCounted_SummaryAgreesWithRunsRow()
    {
        var port = TestPorts.Reserve();
        var target = await SampleTargetHost.StartAsync(new SampleTargetOptions { Urls = $"http://127.0.0.1:{port}" });
        var name = AzuriteFixture.UniqueName("targetdies");
        var file = _cli.WriteWorkload(name, $"""
            name: {name}
            target:
              url: http://127.0.0.1:{port}/api/hello
            load:
              rate: 40/s
              duration: 6s
              timeout: 2s
            thresholds:
              - errorRate < 1%
            """);

        // Out of process, as a user runs it (in-process, the load shares this test's thread pool and timers).
        await using var run = CliProcess.Start(["run", file, "--no-progress", .. _cli.HubArguments]);
        try
        {
            // Stop the target once the measured load has reached it (a bounded wait, not a timing assertion).
            var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(120);
            while (target.App.RequestsReceived < 40 && !run.HasExited && DateTimeOffset.UtcNow < deadline)
            {
                await Task.Delay(20);
            }

            Assert.False(run.HasExited, "the run ended before the target could be stopped:\n" + run.Output);
        }
        finally
        {
            await target.DisposeAsync();
        }

        var served = target.App.RequestsReceived;
        output.WriteLine($"target stopped after {served} requests");
        var exit = await run.WaitAsync(TimeSpan.FromSeconds(120));
        output.WriteLine(run.Output);

        Assert.True(exit == 1, run.Output); // completed; the error-rate threshold is breached
        var runId = System.Text.RegularExpressions.Regex.Match(run.Output, @"\b(\d{8}-\d{6}-[0-9a-f]{6})\b").Groups[1].Value;
        var row = await _cli.Storage.Runs.GetAsync(runId, CancellationToken.None);
        var (_, summary) = await _cli.AssertCountsAgreeAsync(name, runId, 240);

        Assert.Equal(RunStatus.Completed, row!.Status);
        Assert.True(summary.ErrorBreakdown.Connect > 0, $"no connect errors: {summary.ErrorBreakdown}");
        Assert.True(summary.Successes <= served, $"{summary.Successes} successes but the target received only {served} requests");
        Assert.Equal(summary.Requests, summary.Successes + summary.Errors);
        Assert.Equal(summary.Requests, row.Requests);
        Assert.Equal(summary.Errors, row.Errors);
        Assert.Equal(summary.ErrorRate, row.ErrorRate, 9);
    }
}
