using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Yardstick.Core;
using Yardstick.Core.Load.Safety;
using Yardstick.Core.Runs;
using Yardstick.Orchestration.Activities;
using Yardstick.Orchestration.Contracts;
using Yardstick.Orchestration.Hosting;
using Yardstick.Testing;

namespace Yardstick.Orchestration.Tests;

/// <summary>
/// Bad input that only planning can see (here a dataset blob that is not in the results account) ends the run with a
/// reason naming the field and marked as invalid input — the real orchestrator on the in-memory Durable engine, the
/// real planning activity on Azurite.
/// </summary>
[Collection(AzuriteFixture.Collection)]
public sealed class PlanningFailureTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan Liveness = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Run_DatasetBlobMissing_FailedAsInvalidInputNamingDataBlob()
    {
        var outcome = await RunAsync("""
            name: plan-fails
            target:
              url: http://127.0.0.1:5999/api/echo/users/${data.id}
            data: { blob: datasets/absent.csv }
            load: { rate: 10/s, duration: 1s, shards: 1 }
            """);

        Assert.Equal(RunStatus.Failed, outcome.Status);
        Assert.True(outcome.InvalidInput);
        Assert.StartsWith("planning failed: data.blob: 'datasets/absent.csv' does not exist in the datasets container", outcome.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public void PlanningInputException_NamesTheFieldOnce()
    {
        var e = new PlanningInputException(new InputException("data.blob", "missing."));

        Assert.Equal(("data.blob", "data.blob: missing."), (e.Field, e.Message));
        Assert.Equal("data.blob: missing.", e.Describe());
        Assert.Equal("target.azure.resourceId names a site elsewhere.", new PlanningInputException(new InputException("target.azure.resourceId", "target.azure.resourceId names a site elsewhere.")).Message);
    }

    private async Task<RunOutcome> RunAsync(string workload)
    {
        var storage = azurite.CreateIsolatedStorage();
        await storage.EnsureCreatedAsync(CancellationToken.None);
        var options = new YardstickHostOptions { Host = "functions", TargetPolicy = TargetPolicy.LoopbackOnly, Environment = _ => null, AllowDatasetFiles = false, AllowLocalProcesses = false };
        await using var provider = RunPipelineServices.Build(storage, options);
        await using var durable = await DurableTestHost.StartAsync(registry =>
        {
            registry.AddOrchestrator<BenchmarkRunOrchestrator>();
            ProbeColdStartsOrchestratorTests.Add<PlanRunActivity, RunRequest, RunPlan>(registry, provider);
        });

        var id = await durable.Client.ScheduleNewOrchestrationInstanceAsync(nameof(BenchmarkRunOrchestrator), new RunRequest
        {
            RunId = AzuriteFixture.NewRunId(),
            WorkloadText = workload,
            WorkloadSource = "workloadText",
            Host = "functions",
        });
        using var cts = new CancellationTokenSource(Liveness);
        var done = await durable.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, cts.Token);
        Assert.True(done.RuntimeStatus == OrchestrationRuntimeStatus.Completed, done.FailureDetails?.ToString());
        return done.ReadOutputAs<RunOutcome>()!;
    }
}
