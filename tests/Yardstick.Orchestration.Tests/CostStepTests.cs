using System.Collections.Concurrent;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.DependencyInjection;
using Yardstick.Core;
using Yardstick.Core.Cost;
using Yardstick.Core.Load;
using Yardstick.Core.Load.Safety;
using Yardstick.Core.Measurements;
using Yardstick.Core.Ports;
using Yardstick.Core.Reports;
using Yardstick.Core.Workloads;
using Yardstick.Orchestration.Activities;
using Yardstick.Orchestration.Contracts;
using Yardstick.Orchestration.Hosting;
using Yardstick.Orchestration.Tests.TestSupport;

namespace Yardstick.Orchestration.Tests;

/// <summary>
/// The run's cost step on the in-memory Durable engine: modeled cost from a stored shard result, metered cost read
/// from a fake <see cref="IMeteredCostSource"/> after short durable timers (the real delay is 5 minutes).
/// Prices: the checked-in East US catalog (Flex on demand $0.000026/GB-s, $0.40 per 1M executions).
/// </summary>
public sealed class CostStepTests
{
    private const string Workload = "cost-step";
    private static readonly TimeSpan Liveness = TimeSpan.FromSeconds(120);
    private static readonly DateTimeOffset T0 = new(2026, 11, 29, 8, 0, 10, TimeSpan.Zero);

    [Fact]
    public async Task Run_MeteredLandsOnTheSecondRead_MeteredHeadlineBesideModeled()
    {
        // First read: nothing ingested yet. Second: 10 executions and 2,048,000 MB-ms (2 GB-s) → 0.000052 + 0.000004.
        var source = new ScriptedMeteredSource([0, 10]);

        var (summary, _) = await RunAsync(source, azureTarget: true);

        Assert.Equal(2, source.Reads.Count);
        Assert.Equal("metered", summary.Source);
        Assert.Equal(0.000056, summary.Metered!.TotalUsd, 12);
        Assert.Equal(0.0000056, summary.PerRequestUsd!.Value, 12);
        Assert.NotNull(summary.Modeled);
        Assert.Equal(0.000056, summary.Modeled.TotalUsd, 12); // the same worked example, modeled from busy intervals

        // The window is the measured one widened to whole minutes.
        var (from, to) = source.Reads.First();
        Assert.Equal(new DateTimeOffset(2026, 11, 29, 8, 0, 0, TimeSpan.Zero), from);
        Assert.Equal(new DateTimeOffset(2026, 11, 29, 8, 1, 0, TimeSpan.Zero), to);
    }

    [Fact]
    public async Task Run_MeteredNeverLands_ModeledHeadlineAndMeteredUnavailableNote()
    {
        var source = new ScriptedMeteredSource([0, 0, 0]);

        var (summary, _) = await RunAsync(source, azureTarget: true);

        Assert.Equal(3, source.Reads.Count);
        Assert.Equal("modeled", summary.Source);
        Assert.Null(summary.Metered);
        Assert.Contains(summary.Notes, n => n.StartsWith("metered unavailable: Azure Monitor shows 0 of the 10 measured executions (3 read(s)", StringComparison.Ordinal));
        Assert.NotNull(summary.PerRequestCiLowUsd);
    }

    [Fact]
    public async Task Run_NoAzureTarget_ModeledOnlyNoMeteredRead()
    {
        var source = new ScriptedMeteredSource([10]);

        var (summary, _) = await RunAsync(source, azureTarget: false);

        Assert.Empty(source.Reads);
        Assert.Equal("modeled", summary.Source);
        Assert.Contains(summary.Notes, n => n.Contains("no target.azure", StringComparison.Ordinal));
    }

    private static async Task<(CostSummary Summary, InMemoryArtifactStore Artifacts)> RunAsync(ScriptedMeteredSource source, bool azureTarget)
    {
        var artifacts = new InMemoryArtifactStore();
        var options = new YardstickHostOptions
        {
            TargetPolicy = TargetPolicy.LoopbackOnly,
            AzureAccess = true,
            MeteredCostDelay = TimeSpan.FromMilliseconds(200),
            PricingCatalogPath = Path.Combine(TestRuns.RepositoryRoot, PricingCatalog.DefaultPath),
        };
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddYardstickOrchestration(options);
        services.AddSingleton<IArtifactStore>(artifacts);
        services.AddSingleton<IMeteredCostSource>(source);
        await using var provider = services.BuildServiceProvider();

        var runId = "run-" + Guid.NewGuid().ToString("N")[..8];
        var azure = azureTarget ? $"  azure:\n    resourceId: {TestRuns.ResourceId}\n" : "";
        var stored = await TestRuns.StoreAsync(artifacts, runId, $"""
            name: {Workload}
            target:
              url: http://127.0.0.1:5999/api/hello
            {azure}load:
              rate: 10/s
              duration: 1s
            cost:
              plan: flexConsumption
              region: eastus
            """, options);
        const string resultRef = "shards/measured/r00/s000.json";
        await artifacts.PutAsync(Workload, runId, resultRef, YardstickJson.ToUtf8(Shard(runId)), "application/json", CancellationToken.None);
        var shards = new List<ShardSummary> { new() { Key = "k", Phase = RunPhase.Measured, Requests = 10, Successes = 10, ResultRef = resultRef } };

        await using var durable = await DurableTaskTestHost.StartAsync(registry =>
        {
            registry.AddOrchestratorFunc<CostStepInput, CostSummary?>("CostStepHarness", (context, input) => CostStep.RunAsync(context, input.Plan, input.Shards));
            ProbeColdStartsOrchestratorTests.Add<SampleCostActivity, CostSampleRequest, CostSample>(registry, provider);
            ProbeColdStartsOrchestratorTests.Add<ReadMeteredCostActivity, MeteredCostRequest, MeteredCostResult>(registry, provider);
        });
        var id = await durable.Client.ScheduleNewOrchestrationInstanceAsync("CostStepHarness", new CostStepInput(stored.Plan, shards));
        using var cts = new CancellationTokenSource(Liveness);
        var done = await durable.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, cts.Token);
        Assert.True(done.RuntimeStatus == OrchestrationRuntimeStatus.Completed, done.FailureDetails?.ToString());
        return (done.ReadOutputAs<CostSummary>()!, artifacts);
    }

    /// <summary>10 requests of 40 ms in [T0, T0 + 2 s); instance i1 busy 400 ms → one billed second at 2 GB.</summary>
    private static ShardResult Shard(string runId)
    {
        var latency = LatencyHistograms.Create();
        latency.RecordValueWithCount(40_000, 10);
        var encoded = HistogramCodec.Encode(latency);
        var second = T0.ToUnixTimeSeconds();
        var start = T0.ToUnixTimeMilliseconds() * 1000;
        return new ShardResult
        {
            RunId = runId,
            Phase = RunPhase.Measured,
            StartedAt = T0,
            EndedAt = T0.AddSeconds(2),
            Duration = TimeSpan.FromSeconds(2),
            ScheduledArrivals = 10,
            Requests = 10,
            Successes = 10,
            Latency = encoded,
            ServiceTime = encoded,
            SchedulingLag = HistogramCodec.Encode(LatencyHistograms.Create()),
            Timeline =
            [
                new TimelineWindow { UnixSecond = second, Requests = 7, LatencyP50Ms = 40 },
                new TimelineWindow { UnixSecond = second + 1, Requests = 3, LatencyP50Ms = 40 },
            ],
            Instances = [new InstanceUsage { InstanceId = "i1", Requests = 10, MaxConcurrency = 1, Busy = [new BusyInterval(start + 800_000, start + 1_200_000)] }],
        };
    }

    private sealed record CostStepInput(RunPlan Plan, IReadOnlyList<ShardSummary> Shards);

    /// <summary>Answers each read with the next scripted execution count (2 GB-s of units once executions appear).</summary>
    private sealed class ScriptedMeteredSource(IReadOnlyList<double> executions) : IMeteredCostSource
    {
        public ConcurrentQueue<(DateTimeOffset From, DateTimeOffset To)> Reads { get; } = new();

        public Task<MeteredUsage> GetMeteredUsageAsync(string resourceId, HostingPlan plan, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
        {
            Reads.Enqueue((from, to));
            var count = executions[Math.Min(Reads.Count, executions.Count) - 1];
            return Task.FromResult(new MeteredUsage
            {
                ResourceId = resourceId,
                From = from,
                To = to,
                MetricTotals = new Dictionary<string, double>
                {
                    [FunctionMetrics.OnDemandExecutionCount] = count,
                    [FunctionMetrics.OnDemandExecutionUnits] = count > 0 ? 2_048_000 : 0,
                },
            });
        }
    }
}
