using System.Collections.Concurrent;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging.Abstractions;
using Yardstick.Core;
using Yardstick.Core.Runs;
using Yardstick.Functions.Restores;
using Yardstick.Orchestration;
using Yardstick.Orchestration.Activities;
using Yardstick.Orchestration.Contracts;
using Yardstick.Testing;

namespace Yardstick.Functions.Tests.Restores;

/// <summary>
/// A terminated sweep runs no more orchestrator code; the timer's restorer starts <see cref="RestoreSettingsOrchestrator"/>
/// for it, on the real (in-memory) Durable engine.
/// </summary>
public sealed class TerminatedRunRestorerTests
{
    private static readonly TimeSpan Liveness = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Sweep_TerminatedRunThatChangedSettings_RestoresOnce_WithReasonTerminated()
    {
        var artifacts = new InMemoryArtifactStore();
        var runs = new InMemoryRunStore();
        var restores = new ConcurrentQueue<RestoreSettingsTask>();
        await using var durable = await DurableTestHost.StartAsync(registry =>
        {
            registry.AddOrchestratorFunc<RunRequest, RunOutcome>(nameof(BenchmarkRunOrchestrator), async (context, _) => await context.WaitForExternalEvent<RunOutcome>("never"));
            registry.AddOrchestrator<RestoreSettingsOrchestrator>();
            registry.AddActivityFunc<RestoreSettingsTask, SettingsRestore>(nameof(RestoreSettingsActivity), (_, task) =>
            {
                restores.Enqueue(task);
                return new SettingsRestore { Reason = task.Reason };
            });
        });
        using var cts = new CancellationTokenSource(Liveness);
        var changed = await StartAndTerminateAsync(durable.Client, runs, "20260101-000000-aaaaaa", cts.Token);
        var untouched = await StartAndTerminateAsync(durable.Client, runs, "20260101-000000-bbbbbb", cts.Token);
        await artifacts.PutAsync("sweep", changed, OriginalSettings.BlobName, YardstickJson.ToUtf8(new OriginalSettings { ResourceId = "/x" }), "application/json", cts.Token);
        var still = await durable.Client.ScheduleNewOrchestrationInstanceAsync(nameof(BenchmarkRunOrchestrator), new RunRequest { RunId = "20260101-000000-cccccc", WorkloadText = "name: sweep" }, new StartOrchestrationOptions("20260101-000000-cccccc"), cts.Token);
        await runs.UpsertAsync(new RunRecord { RunId = still, Workload = "sweep" }, cts.Token);
        await artifacts.PutAsync("sweep", still, OriginalSettings.BlobName, YardstickJson.ToUtf8(new OriginalSettings { ResourceId = "/x" }), "application/json", cts.Token);
        var restorer = new TerminatedRunRestorer(artifacts, runs, TimeProvider.System, NullLogger<TerminatedRunRestorer>.Instance);

        var started = await restorer.SweepAsync(durable.Client, cts.Token);

        // Only the terminated run with recorded originals: not the one that changed nothing, not the one still running.
        Assert.Equal([changed], started);
        var done = await durable.Client.WaitForInstanceCompletionAsync(RestoreSettingsOrchestrator.InstanceId(changed), getInputsAndOutputs: true, cts.Token);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        var task = Assert.Single(restores);
        Assert.Equal((changed, "sweep", "terminated"), (task.RunId, task.Workload, task.Reason));
        Assert.NotEqual(untouched, task.RunId);

        // Once the restore has recorded what it did, the next tick leaves the run alone.
        await artifacts.PutAsync("sweep", changed, SettingsRestore.BlobName, YardstickJson.ToUtf8(done.ReadOutputAs<SettingsRestore>()!), "application/json", cts.Token);
        Assert.Empty(await restorer.SweepAsync(durable.Client, cts.Token));
    }

    private static async Task<string> StartAndTerminateAsync(DurableTaskClient client, InMemoryRunStore runs, string runId, CancellationToken cancellationToken)
    {
        await client.ScheduleNewOrchestrationInstanceAsync(nameof(BenchmarkRunOrchestrator), new RunRequest { RunId = runId, WorkloadText = "name: sweep" }, new StartOrchestrationOptions(runId), cancellationToken);
        await runs.UpsertAsync(new RunRecord { RunId = runId, Workload = "sweep", Status = RunStatus.Running }, cancellationToken);
        await client.WaitForInstanceStartAsync(runId, cancellationToken);
        await client.TerminateInstanceAsync(runId, new TerminateInstanceOptions { Output = "stopped by hand" }, cancellationToken);
        await client.WaitForInstanceCompletionAsync(runId, cancellationToken);
        return runId;
    }
}
