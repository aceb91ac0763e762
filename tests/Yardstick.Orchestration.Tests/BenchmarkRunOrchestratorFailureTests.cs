using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Yardstick.Core;
using Yardstick.Core.Load.Safety;
using Yardstick.Core.Measurements;
using Yardstick.Core.Runs;
using Yardstick.Core.Summaries;
using Yardstick.Orchestration.Activities;
using Yardstick.Orchestration.Contracts;
using Yardstick.Orchestration.Hosting;
using Yardstick.SampleTarget;
using Yardstick.Storage;
using Yardstick.Testing;

namespace Yardstick.Orchestration.Tests;

/// <summary>
/// A run that fails after planning never leaves its <c>Runs</c> row <c>running</c>: the real orchestrator on the
/// in-memory Durable engine, the real plan, shard, persist and failure-recording activities on Azurite, real load
/// against a sample target on loopback, and one step made to throw on every attempt.
/// </summary>
[Collection(AzuriteFixture.Collection)]
public sealed class BenchmarkRunOrchestratorFailureTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan Liveness = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Run_PersistThrows_RowFailedWithTheReason_OrchestrationFailed()
    {
        var run = await RunAsync(failing: nameof(PersistRunActivity));

        Assert.Equal(OrchestrationRuntimeStatus.Failed, run.Done.RuntimeStatus);
        Assert.Equal(RunStatus.Failed, run.Row.Status);
        Assert.Equal($"{nameof(PersistRunActivity)} failed: disk full while writing summary.json", run.Row.FailureReason);
        Assert.NotNull(run.Row.CompletedAt);
        Assert.Null(run.Summary);
    }

    [Fact]
    public async Task Run_AnalysisThrows_RowAndStoredSummaryBothSayFailed()
    {
        var run = await RunAsync(failing: nameof(AnalyzeRunActivity));

        // Persist had written a completed summary and row; the failed analysis turns both to failed, with one reason
        // (a gate must not find a completed run without the verdict it asked for).
        Assert.Equal(OrchestrationRuntimeStatus.Failed, run.Done.RuntimeStatus);
        var reason = $"{nameof(AnalyzeRunActivity)} failed: disk full while writing summary.json";
        Assert.Equal((RunStatus.Failed, reason), (run.Row.Status, run.Row.FailureReason));
        Assert.NotNull(run.Summary);
        Assert.Equal(("failed", reason), (run.Summary.Status, run.Summary.FailureReason));
        Assert.Equal(run.Summary.Requests, run.Row.Requests);
    }

    [Fact]
    public async Task Run_FailureCannotBeRecordedEither_OrchestrationStillFailsWithTheOriginalError()
    {
        var run = await RunAsync(failing: nameof(PersistRunActivity), recordFails: true);

        // Best effort: the orchestration still ends (failed, with the step's error, not the recorder's), it does not
        // hang or lose the cause.
        Assert.Equal(OrchestrationRuntimeStatus.Failed, run.Done.RuntimeStatus);
        Assert.Contains("disk full while writing summary.json", run.Done.FailureDetails!.ErrorMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("Runs table unreachable", run.Done.FailureDetails.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(RunStatus.Running, run.Row.Status);
    }

    private async Task<FailedRun> RunAsync(string failing, bool recordFails = false)
    {
        await using var target = await SampleTargetHost.StartAsync(new SampleTargetOptions { Urls = "http://127.0.0.1:0" });
        var storage = azurite.CreateIsolatedStorage();
        await storage.EnsureCreatedAsync(CancellationToken.None);
        await using var provider = RunPipelineServices.Build(storage);

        var workload = AzuriteFixture.UniqueName("fails");
        var runId = AzuriteFixture.NewRunId();
        await using var durable = await DurableTestHost.StartAsync(registry =>
        {
            registry.AddOrchestrator<BenchmarkRunOrchestrator>();
            ProbeColdStartsOrchestratorTests.Add<PlanRunActivity, RunRequest, RunPlan>(registry, provider);
            ProbeColdStartsOrchestratorTests.Add<RunLoadShardActivity, ShardTask, ShardSummary>(registry, provider);
            AddFailing<PersistRunActivity, PersistRequest, RunOutcome>(registry, provider, failing);
            AddFailing<AnalyzeRunActivity, AnalyzeRequest, RunOutcome>(registry, provider, failing);
            AddFailing<RecordRunFailureActivity, RunFailure, bool>(registry, provider, recordFails ? nameof(RecordRunFailureActivity) : "");
        });

        var text = $"""
                name: {workload}
                target:
                  url: {target.BaseUrl}/api/hello
                load:
                  rate: 20/s
                  duration: 1s
                  shards: 2
                """;
        var id = await durable.Client.ScheduleNewOrchestrationInstanceAsync(nameof(BenchmarkRunOrchestrator), new RunRequest
        {
            RunId = runId,
            WorkloadText = text,
            ShardStartDelay = TimeSpan.FromMilliseconds(200),
        });
        OrchestrationMetadata done;
        using (var cts = new CancellationTokenSource(Liveness))
        {
            done = await durable.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, cts.Token);
        }

        var row = await storage.Runs.GetAsync(runId, CancellationToken.None);
        Assert.NotNull(row);
        var summary = await storage.Artifacts.GetAsync(workload, runId, PersistRunActivity.SummaryBlobName, CancellationToken.None);
        return new FailedRun(done, row, summary is null ? null : YardstickJson.Deserialize<RunSummary>(summary));
    }

    /// <summary>The real activity, or — when it is the one named — an activity that fails every attempt like a full disk.</summary>
    private static void AddFailing<TActivity, TIn, TOut>(DurableTaskRegistry registry, IServiceProvider services, string failing)
        where TActivity : TaskActivity<TIn, TOut> =>
        registry.AddActivityFunc<TIn, TOut>(typeof(TActivity).Name, (context, input) => typeof(TActivity).Name == failing
            ? throw new IOException(failing == nameof(RecordRunFailureActivity) ? "Runs table unreachable" : "disk full while writing summary.json")
            : services.GetRequiredService<TActivity>().RunAsync(context, input));

    private sealed record FailedRun(OrchestrationMetadata Done, RunRecord Row, RunSummary? Summary);
}
