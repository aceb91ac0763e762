using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Yardstick.Core.Measurements;
using Yardstick.Core.Ports;
using Yardstick.Core.Runs;
using Yardstick.Functions.Api;
using Yardstick.Functions.Functions;
using Yardstick.Functions.Hosting;
using Yardstick.Functions.Tests.TestSupport;
using Yardstick.Orchestration;
using Yardstick.Orchestration.Activities;
using Yardstick.Orchestration.Contracts;
using Yardstick.SampleTarget;
using Yardstick.Testing;

namespace Yardstick.Functions.Tests.Functions;

/// <summary>
/// A whole run through this project's own pieces, minus the Functions runtime: the API's front door schedules it,
/// the Durable engine (in memory) calls the [Function] wrappers, the wrappers run the shared classes resolved from the
/// Functions host's service registration, and load goes to the sample target on loopback (10 req/s for 2 s).
/// </summary>
[Collection(AzuriteFixture.Collection)]
public sealed class WrapperPipelineTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan Liveness = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Run_ThroughTheWrappers_CompletesAgainstTheSampleTargetAndStoresTheRun()
    {
        await using var target = await SampleTargetHost.StartAsync(new SampleTargetOptions { Urls = "http://127.0.0.1:0" });
        var runs = new InMemoryRunStore();
        var artifacts = new InMemoryArtifactStore();
        var tables = azurite.CreateIsolatedStorage();
        await using var services = WrapperPipeline.Services(runs, artifacts, tables.Baselines, tables.Verdicts);
        await using var durable = await WrapperPipeline.StartAsync(services);
        var starter = services.GetRequiredService<RunStarter>();
        var run = await starter.PrepareAsync(new StartRunBody { WorkloadText = TestWorkloads.Valid("pipeline-api", url: target.BaseUrl + "/api/hello"), Tags = new Dictionary<string, string> { ["commit"] = "abc123" } }, "api", CancellationToken.None);

        // The Functions front door schedules shards far enough ahead for two queue polls (one shard: no scale-out).
        Assert.Equal(Yardstick.Orchestration.Hosting.ShardStartTiming.ForFunctions(1), run.Request.ShardStartDelay);
        var runId = await starter.ScheduleAsync(durable.Client, run, CancellationToken.None);
        OrchestrationMetadata done;
        using (var cts = new CancellationTokenSource(Liveness))
        {
            done = await durable.Client.WaitForInstanceCompletionAsync(runId, getInputsAndOutputs: true, cts.Token);
        }

        Assert.True(done.RuntimeStatus == OrchestrationRuntimeStatus.Completed, done.FailureDetails?.ToString());
        var outcome = done.ReadOutputAs<RunOutcome>()!;
        Assert.True(outcome.Status == RunStatus.Completed, outcome.FailureReason);
        Assert.True(outcome.Requests > 0);
        Assert.Equal(1, outcome.ShardsSucceeded);

        var row = await runs.GetAsync(runId, CancellationToken.None);
        Assert.NotNull(row);
        Assert.Equal(RunStatus.Completed, row.Status);
        Assert.Equal("functions", row.Host);
        Assert.Equal(outcome.Requests, row.Requests);
        Assert.Equal("abc123", row.Tags["commit"]);
        Assert.Equal("api", row.Tags["trigger"]);
        Assert.Contains($"pipeline-api/{runId}/{PersistRunActivity.SummaryBlobName}", artifacts.Names);

        // The analysis ran last: no baseline yet, so the verdict is no-baseline, and the reports are stored.
        Assert.Equal("no-baseline", outcome.Verdict);
        Assert.Equal("no-baseline", row.Verdict);
        Assert.Contains($"pipeline-api/{runId}/report.html", artifacts.Names);
        Assert.Equal(4, (await tables.Verdicts.ListAsync(runId, CancellationToken.None)).Count);

        var status = RunsApi.Describe(runId, done, row);
        Assert.True(status.IsFinished);
        Assert.Equal(outcome.Requests, status.Outcome!.Requests);
    }
}
