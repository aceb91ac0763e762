using Yardstick.Testing;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.DependencyInjection;
using Yardstick.Core;
using Yardstick.Core.ColdStart;
using Yardstick.Core.Load.Safety;
using Yardstick.Core.Ports;
using Yardstick.Core.Summaries;
using Yardstick.Orchestration.Activities;
using Yardstick.Orchestration.Contracts;
using Yardstick.Orchestration.Hosting;
using Yardstick.Orchestration.Tests.TestSupport;

namespace Yardstick.Orchestration.Tests;

/// <summary>
/// The cold-start sub-orchestration on the in-memory Durable engine, with the real activities and a fake
/// <see cref="ITargetControl"/> that really restarts a sample target on loopback (a new instance per restart).
/// </summary>
public sealed class ProbeColdStartsOrchestratorTests
{
    private static readonly TimeSpan Liveness = TimeSpan.FromSeconds(120);

    [Theory]
    [InlineData("restart")]
    [InlineData("appSetting")]
    public async Task Run_ArmStrategy_EveryProbeForcedThenColdOnANewInstance(string strategy)
    {
        await using var target = await RestartableTarget.StartAsync();
        var (summary, artifacts, runId) = await RunAsync(target, strategy, probes: 3);

        Assert.Equal(strategy, summary.Strategy);
        Assert.Equal(3, summary.Cold);
        Assert.Equal(0, summary.Excluded);
        Assert.Equal(3, summary.Probes.Select(p => p.InstanceId).Distinct().Count());

        // Each probe was answered by the instance its forcing started (the first instance, before any restart, never served a probe).
        var started = target.InstanceIds.ToList();
        Assert.Equal(started.Skip(1), summary.Probes.Select(p => p.InstanceId));
        var verb = strategy == "restart" ? "restart " : "bump ";
        Assert.Equal(3, target.Calls.Count(c => c == verb + TestRuns.ResourceId));

        // Waiting for the app must not request the probe URL (that would warm it before the probe).
        Assert.Equal(3, target.Calls.Count(c => c == "wait no-probe"));
        Assert.All(summary.Probes, p => Assert.Equal(2, p.WarmMs.Count));
        Assert.NotNull(summary.ColdP50Ms);
        Assert.NotNull(summary.WarmP50Ms);

        var document = YardstickJson.Deserialize<ProbesDocument>((await artifacts.GetAsync("cold-arm", runId, SummarizeColdStartsActivity.ProbesBlobName, CancellationToken.None))!);
        Assert.Equal(3, document.Probes.Count);
        if (strategy == "appSetting")
        {
            Assert.Equal([1L, 2L, 3L], document.Probes.Select(p => p.ColdStartCounter!.Value));
        }
    }

    [Fact]
    public async Task Run_RestartThatKeepsTheInstance_LaterProbesWarmExcludedAndReported()
    {
        await using var target = await RestartableTarget.StartAsync(sticky: true);

        var (summary, _, _) = await RunAsync(target, "restart", probes: 3);

        Assert.Equal(1, summary.Cold);
        Assert.Equal(2, summary.Warm);
        Assert.Equal(2, summary.Excluded);
        Assert.All(summary.Probes.Skip(1), p => Assert.Contains("already served probe 1", p.Note, StringComparison.Ordinal));
        Assert.Equal(summary.Probes[0].TimeToFirstSuccessMs, summary.ColdP50Ms); // only the one real cold probe counts
    }

    [Fact]
    public async Task Run_IdleStrategy_WaitsWithADurableTimerThenProbes()
    {
        await using var target = await RestartableTarget.StartAsync(sticky: true);

        var (summary, _, _) = await RunAsync(target, "idle", probes: 2, extra: "  idleTime: 1s");

        // The target never scales to zero: after the priming request, both probes find its one instance still warm —
        // for the idle strategy a result (the curve's 0 %), not a mismatch to exclude.
        Assert.Equal("idle", summary.Strategy);
        Assert.Equal((0, 2, 0), (summary.Cold, summary.Warm, summary.Excluded));
        Assert.Contains("already served the priming request", summary.Probes[0].Note, StringComparison.Ordinal);
        var point = Assert.Single(summary.Curve!);
        Assert.Equal((1.0, 0, 2), (point.IdleSeconds, point.Cold, point.Warm));
        Assert.Empty(target.Calls); // idle forces nothing through ARM
    }

    [Fact]
    public async Task Run_EvictionCurve_ShortIdleFindsItWarm_LongIdleFindsItCold()
    {
        // The sample target drops its instance after 1.5 s without a request. Idle times far on either side of that, so
        // the machine's speed cannot flip an outcome: 200 ms (warm) and 3 s (cold), two probes each, interleaved.
        await using var target = await RestartableTarget.StartAsync(idleRecycleMs: 1_500);

        var (summary, artifacts, runId) = await RunAsync(target, "idle", probes: 2, extra: "  idleTimes: [200ms, 3s]");

        Assert.Equal([0.2, 3, 0.2, 3], summary.Probes.Select(p => p.IdleSeconds!.Value));
        Assert.Equal(["warm", "cold", "warm", "cold"], summary.Probes.Select(p => p.Classification));
        var curve = summary.Curve!;
        Assert.Equal([(0.2, 0, 2), (3.0, 2, 0)], curve.Select(p => (p.IdleSeconds, p.Cold, p.Warm)));
        Assert.Equal(0, curve[0].ColdShare);
        Assert.Equal(1, curve[1].ColdShare);
        Assert.Equal(0, summary.Excluded);
        Assert.NotNull(summary.PenaltyMs);

        var document = YardstickJson.Deserialize<ProbesDocument>((await artifacts.GetAsync("cold-arm", runId, SummarizeColdStartsActivity.ProbesBlobName, CancellationToken.None))!);
        Assert.Equal(2, document.Summary.Curve!.Count);
    }

    private static async Task<(ColdStartSummary Summary, InMemoryArtifactStore Artifacts, string RunId)> RunAsync(RestartableTarget target, string strategy, int probes, string extra = "")
    {
        var artifacts = new InMemoryArtifactStore();
        var options = new YardstickHostOptions { Host = "functions", TargetPolicy = TargetPolicy.LoopbackOnly, AzureAccess = true };
        await using var services = Services(artifacts, options, target);
        var runId = "run-" + Guid.NewGuid().ToString("N")[..8];
        var stored = await TestRuns.StoreAsync(artifacts, runId, $"""
            name: cold-arm
            target:
              url: {target.Url}
              azure:
                resourceId: {TestRuns.ResourceId}
            coldStart:
              strategy: {strategy}
              probes: {probes}
              warmRequests: 2
              settle: 100ms
              probeTimeout: 20s
            {extra}
            load:
              rate: 1/s
              duration: 1s
            """, options);

        await using var durable = await DurableTestHost.StartAsync(registry =>
        {
            registry.AddOrchestratorFunc<ProbeColdStartsRequest, ColdStartSummary>(nameof(ProbeColdStartsOrchestrator), (context, input) => new ProbeColdStartsOrchestrator().RunAsync(context, input));
            Add<ForceColdStartActivity, ColdStartProbeTask, ForcedColdStart>(registry, services);
            Add<ProbeColdStartActivity, ColdStartProbeTask, ColdStartProbe>(registry, services);
            Add<SummarizeColdStartsActivity, SummarizeColdStartsRequest, ColdStartSummary>(registry, services);
        });

        var instanceId = await durable.Client.ScheduleNewOrchestrationInstanceAsync(
            nameof(ProbeColdStartsOrchestrator), new ProbeColdStartsRequest(runId, "cold-arm", stored.Plan.ColdStartPlan!));
        using var cts = new CancellationTokenSource(Liveness);
        var done = await durable.Client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, cts.Token);
        Assert.True(done.RuntimeStatus == OrchestrationRuntimeStatus.Completed, done.FailureDetails?.ToString());
        return (done.ReadOutputAs<ColdStartSummary>()!, artifacts, runId);
    }

    internal static void Add<TActivity, TIn, TOut>(DurableTaskRegistry registry, IServiceProvider services)
        where TActivity : TaskActivity<TIn, TOut> =>
        registry.AddActivityFunc<TIn, TOut>(typeof(TActivity).Name, (context, input) => services.GetRequiredService<TActivity>().RunAsync(context, input));

    private static ServiceProvider Services(IArtifactStore artifacts, YardstickHostOptions options, ITargetControl control)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddYardstickOrchestration(options);
        services.AddSingleton(artifacts);
        services.AddSingleton(control);
        return services.BuildServiceProvider();
    }
}
