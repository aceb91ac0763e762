using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Yardstick.Core;
using Yardstick.Core.Alerts;
using Yardstick.Core.Load.Safety;
using Yardstick.Core.Measurements;
using Yardstick.Core.Ports;
using Yardstick.Orchestration.Activities;
using Yardstick.Orchestration.Contracts;
using Yardstick.Orchestration.Hosting;
using Yardstick.Orchestration.Tests.TestSupport;
using Yardstick.SampleTarget;
using Yardstick.Testing;

namespace Yardstick.Orchestration.Tests;

/// <summary>
/// Alerts as a step of the real run: the orchestrator on the in-memory Durable engine, the real activities on Azurite,
/// real load against a sample target, and a webhook receiver on loopback. A breached threshold sends one alert after the
/// verdict; a run that fails after planning sends its <c>failed</c> alert and still fails as before.
/// </summary>
[Collection(AzuriteFixture.Collection)]
public sealed class BenchmarkRunAlertsTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan Liveness = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Run_ThresholdBreached_OneWebhookAfterTheVerdict_RecordedInTheOutcome()
    {
        await using var receiver = await AlertReceiver.StartAsync();

        var (done, alerts) = await RunAsync(receiver, failing: "");

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        var outcome = done.ReadOutputAs<RunOutcome>()!;
        var result = Assert.Single(outcome.Alerts);
        Assert.Equal(new AlertResult("threshold", "webhook-0", "sent", "delivered"), result);
        var body = Assert.Single(receiver.Received).Body!;
        Assert.Equal(("threshold", "rps > 100000"), (body["condition"]!.GetValue<string>(), body["failedThresholds"]![0]!.GetValue<string>()));
        Assert.True(outcome.PhaseSeconds.ContainsKey("alerts"));
        Assert.Equal(AlertDeliveryState.Sent, Assert.Single(alerts).State);
    }

    [Fact]
    public async Task Run_PersistFails_FailedAlertSent_RunStillFails()
    {
        await using var receiver = await AlertReceiver.StartAsync();

        var (done, _) = await RunAsync(receiver, failing: nameof(PersistRunActivity));

        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        var body = Assert.Single(receiver.Received).Body!;
        Assert.Equal("failed", body["condition"]!.GetValue<string>());
        Assert.Contains("disk full", body["sentence"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private async Task<(OrchestrationMetadata Done, IReadOnlyList<AlertDelivery> Alerts)> RunAsync(AlertReceiver receiver, string failing)
    {
        await using var target = await SampleTargetHost.StartAsync(new SampleTargetOptions { Urls = "http://127.0.0.1:0" });
        var storage = azurite.CreateIsolatedStorage();
        await storage.EnsureCreatedAsync(CancellationToken.None);
        var options = new YardstickHostOptions
        {
            TargetPolicy = TargetPolicy.LoopbackOnly,
            Environment = _ => null,
            AlertDestinations = AlertDestinations.PublicHttpsOrLoopback,
            AlertRetryDelay = TimeSpan.FromMilliseconds(20),
        };
        await using var provider = RunPipelineServices.Build(storage, options);

        var workload = AzuriteFixture.UniqueName("alerts");
        var runId = AzuriteFixture.NewRunId();
        await using var durable = await DurableTestHost.StartAsync(registry =>
        {
            registry.AddOrchestrator<BenchmarkRunOrchestrator>();
            ProbeColdStartsOrchestratorTests.Add<PlanRunActivity, RunRequest, RunPlan>(registry, provider);
            ProbeColdStartsOrchestratorTests.Add<RunLoadShardActivity, ShardTask, ShardSummary>(registry, provider);
            registry.AddActivityFunc<PersistRequest, RunOutcome>(nameof(PersistRunActivity), (context, input) => failing == nameof(PersistRunActivity)
                ? throw new IOException("disk full while writing summary.json")
                : provider.GetRequiredService<PersistRunActivity>().RunAsync(context, input));
            ProbeColdStartsOrchestratorTests.Add<AnalyzeRunActivity, AnalyzeRequest, RunOutcome>(registry, provider);
            ProbeColdStartsOrchestratorTests.Add<RecordRunFailureActivity, RunFailure, bool>(registry, provider);
            ProbeColdStartsOrchestratorTests.Add<SendAlertsActivity, AlertRequest, IReadOnlyList<AlertResult>>(registry, provider);
        });

        var text = $"""
                name: {workload}
                target:
                  url: {target.BaseUrl}/api/hello
                load:
                  rate: 20/s
                  duration: 1s
                thresholds: ["rps > 100000"]
                alerts:
                  on: [failed, threshold]
                  send:
                    - {"{"} type: webhook, url: "{receiver.BaseUrl}/hook" {"}"}
                """;
        var id = await durable.Client.ScheduleNewOrchestrationInstanceAsync(nameof(BenchmarkRunOrchestrator), new RunRequest
        {
            RunId = runId,
            WorkloadText = text,
            ShardStartDelay = TimeSpan.FromMilliseconds(200),
        });
        using var cts = new CancellationTokenSource(Liveness);
        var done = await durable.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, cts.Token);
        var rows = new List<AlertDelivery>();
        foreach (var key in new[] { "threshold-webhook-0", "failed-webhook-0" })
        {
            if (await storage.Alerts.GetAsync(runId, key, CancellationToken.None) is { } row)
            {
                rows.Add(row);
            }
        }

        return (done, rows);
    }
}
