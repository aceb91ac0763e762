using Yardstick.Core.ServerMetrics;
using Yardstick.Testing;
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
using Yardstick.Core.Summaries;
using Yardstick.Core.Verdicts;
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
    public async Task Run_MeteredLands_ServerMetricsReadOnceWithIt_AndStored()
    {
        var servers = new ScriptedServerMetrics();

        var (summary, artifacts) = await RunAsync(new ScriptedMeteredSource([0, 10]), azureTarget: true, serverMetrics: servers);

        Assert.Equal("metered", summary.Source);
        // Read once, with the read whose metered figures landed (the same ingestion wait), over the measured window.
        var (resourceId, from, to) = Assert.Single(servers.Reads);
        Assert.Equal(TestRuns.ResourceId, resourceId);
        Assert.True(from <= T0.AddSeconds(1) && to > from, $"window {from:O} … {to:O}");
        var stored = await ReadServerMetricsAsync(artifacts);
        Assert.NotNull(stored);
        Assert.Equal("azure-monitor", stored.Source);
        // The measured window (2 s) widens to one whole minute: the source's second minute falls outside and is dropped.
        Assert.Equal([2], stored.Find(ServerMetricSeries.InstanceCount)!.Points.Select(p => p.Value));
        // The fake reads 5 min after the measured end; the delay counts from the widened window's end (8:01).
        Assert.Equal(Math.Round((to.AddMinutes(5) - stored.To).TotalSeconds, 1), stored.IngestionDelaySeconds);
    }

    [Fact]
    public async Task Run_ServerMetricsReadFails_MeteredCostStillStands_NoServerMetricsStored()
    {
        var (summary, artifacts) = await RunAsync(new ScriptedMeteredSource([10]), azureTarget: true, serverMetrics: new ScriptedServerMetrics(fail: true));

        Assert.Equal("metered", summary.Source);
        Assert.Null(await ReadServerMetricsAsync(artifacts));
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

    [Fact]
    public async Task Run_WorkspaceSet_ServerDurationsAndServerModeledBesideModeledAndMetered()
    {
        var source = new ScriptedMeteredSource([10]);
        var telemetry = new ScriptedServerTelemetry(ServerRequests());

        var (summary, _) = await RunAsync(source, azureTarget: true, telemetry);

        // The measured window, not widened: App Insights has per-request timestamps.
        var (app, from, to) = Assert.Single(telemetry.Queries);
        Assert.Equal("app1", app);
        Assert.Equal(T0, from);
        Assert.Equal(T0.AddSeconds(2), to);

        var server = summary.Server!;
        Assert.Equal(10, server.Requests);
        Assert.Equal(50, server.DurationP50Ms); // nearest rank 5 of 10..100 ms
        Assert.Equal(100, server.DurationP95Ms); // nearest rank 10
        Assert.Equal(2, server.Instances);
        Assert.Equal("requests", server.Detail);

        // Server busy windows: s1 100–880 ms and s2 1,500–1,700 ms, each billed 1,000 ms at 2 GB → 4 GB-s × 0.000026
        // + 10 executions × 0.0000004 = 0.000108 (client-side modeled: one window, 0.000056; metered: 0.000056).
        Assert.Equal(0.000108, summary.ServerModeled!.TotalUsd, 12);
        Assert.Equal(0.0000108, summary.ServerModeled.PerRequestUsd, 12);
        Assert.Equal(0.000056, summary.Modeled!.TotalUsd, 12);
        Assert.Equal("metered", summary.Source);
        Assert.Contains(summary.Notes, n => n.StartsWith("server: App Insights AppRequests of role 'app1'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_LogAnalyticsFails_RunCompletesWithServerUnavailableNote()
    {
        var telemetry = new ScriptedServerTelemetry(ServerRequests(), failWith: "Log Analytics query returned HTTP 403 (InsufficientAccessError)");

        var (summary, _) = await RunAsync(new ScriptedMeteredSource([10]), azureTarget: true, telemetry);

        Assert.Null(summary.Server);
        Assert.Null(summary.ServerModeled);
        Assert.NotNull(summary.Metered);
        Assert.NotNull(summary.Modeled);
        Assert.Contains(summary.Notes, n => n.StartsWith("server durations unavailable: ", StringComparison.Ordinal) && n.Contains("HTTP 403", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_WorkspaceSetButNoRequestsLanded_NoteAndNoServerFigures()
    {
        var telemetry = new ScriptedServerTelemetry([]);

        var (summary, _) = await RunAsync(new ScriptedMeteredSource([10]), azureTarget: true, telemetry);

        Assert.Single(telemetry.Queries);
        Assert.Null(summary.Server);
        Assert.Contains(summary.Notes, n => n.StartsWith("server durations unavailable: App Insights shows no requests of role 'app1'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_Paired_PricesTheCandidatesRequestsOnly_AndSaysSo()
    {
        // The reference's 30 requests went to another app: priced in, they would make the candidate's 10 look cheaper
        // and its 10 metered executions look like a third of the expected 40, which never lands.
        var source = new ScriptedMeteredSource([10]);

        var (summary, _) = await RunAsync(source, azureTarget: true, paired: true);

        Assert.Single(source.Reads);
        Assert.Equal("metered", summary.Source);
        Assert.NotNull(summary.Modeled);
        Assert.Equal(0.000056, summary.Modeled.TotalUsd, 12); // the candidate's shard alone (the unpaired worked example)
        Assert.Equal(0.0000056, summary.Modeled.PerRequestUsd, 12);
        Assert.Equal(0.0000056, summary.PerRequestUsd!.Value, 12);
        Assert.Equal(
            "paired run: cost prices the candidate's 10 requests only; the reference's 30 requests (http://127.0.0.1:6001) are billed to the reference's app and left out",
            Assert.Single(summary.Notes, n => n.StartsWith(PairedCostScope.NotePrefix, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Run_Unpaired_HasNoPairedNote()
    {
        var (summary, _) = await RunAsync(new ScriptedMeteredSource([10]), azureTarget: false);

        Assert.DoesNotContain(summary.Notes, n => n.StartsWith(PairedCostScope.NotePrefix, StringComparison.Ordinal));
    }

    /// <summary>s1 serves 10..80 ms at T0 + 100·k ms (k = 1..8); s2 serves 90 ms at T0 + 1.5 s and 100 ms at T0 + 1.6 s.</summary>
    private static List<ServerRequest> ServerRequests() =>
    [
        .. Enumerable.Range(1, 8).Select(k => new ServerRequest { Timestamp = T0.AddMilliseconds(100 * k), DurationMs = 10 * k, RoleInstance = "s1", Success = true }),
        new ServerRequest { Timestamp = T0.AddMilliseconds(1500), DurationMs = 90, RoleInstance = "s2", Success = true },
        new ServerRequest { Timestamp = T0.AddMilliseconds(1600), DurationMs = 100, RoleInstance = "s2", Success = true },
    ];

    private static async Task<ServerMetricSet?> ReadServerMetricsAsync(InMemoryArtifactStore artifacts)
    {
        var key = artifacts.Names.SingleOrDefault(n => n.StartsWith(Workload + "/", StringComparison.Ordinal) && n.EndsWith("/" + PersistRunActivity.ServerMetricsBlobName, StringComparison.Ordinal));
        if (key is null)
        {
            return null;
        }

        var runId = key.Split('/')[1];
        return YardstickJson.Deserialize<ServerMetricSet>((await artifacts.GetAsync(Workload, runId, PersistRunActivity.ServerMetricsBlobName, CancellationToken.None))!);
    }

    private static async Task<(CostSummary Summary, InMemoryArtifactStore Artifacts)> RunAsync(ScriptedMeteredSource source, bool azureTarget, ScriptedServerTelemetry? telemetry = null, bool paired = false, IServerMetricsSource? serverMetrics = null)
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
        if (telemetry is not null)
        {
            services.AddSingleton<IServerTelemetrySource>(telemetry);
        }

        if (serverMetrics is not null)
        {
            services.AddSingleton(serverMetrics);
        }

        await using var provider = services.BuildServiceProvider();

        var runId = "run-" + Guid.NewGuid().ToString("N")[..8];
        var workspace = telemetry is null ? "" : "    logAnalyticsWorkspaceId: 00000000-0000-0000-0000-000000000001\n";
        var azure = azureTarget ? $"  azure:\n    resourceId: {TestRuns.ResourceId}\n{workspace}" : "";
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
            {(paired ? "compare: { repeat: 2, against: { url: \"http://127.0.0.1:6001\" } }" : "")}
            """, options);
        const string resultRef = "shards/measured/r00/s000.json";
        await artifacts.PutAsync(Workload, runId, resultRef, YardstickJson.ToUtf8(Shard(runId)), "application/json", CancellationToken.None);
        var shards = new List<ShardSummary> { new() { Key = "k", Phase = RunPhase.Measured, Requests = 10, Successes = 10, ResultRef = resultRef } };
        if (paired)
        {
            // The reference's round: three times the requests, on its own (busier) instance.
            var referenceRef = ShardResultNames.For(RunPhase.Measured, 0, PairedSchedule.ReferenceVariant, 0);
            var reference = Shard(runId) with
            {
                Variant = PairedSchedule.ReferenceVariant,
                Requests = 30,
                Successes = 30,
                Instances = [new InstanceUsage { InstanceId = "ref1", Requests = 30, MaxConcurrency = 4, Busy = [new BusyInterval(T0.ToUnixTimeMilliseconds() * 1000, (T0.ToUnixTimeMilliseconds() * 1000) + 1_900_000)] }],
            };
            await artifacts.PutAsync(Workload, runId, referenceRef, YardstickJson.ToUtf8(reference), "application/json", CancellationToken.None);
            shards.Add(new() { Key = "k-ref", Phase = RunPhase.Measured, Variant = PairedSchedule.ReferenceVariant, Requests = 30, Successes = 30, ResultRef = referenceRef });
        }

        await using var durable = await DurableTestHost.StartAsync(registry =>
        {
            registry.AddOrchestratorFunc<CostStepInput, CostSummary?>("CostStepHarness", (context, input) => CostStep.RunAsync(context, input.Plan, input.Shards));
            ProbeColdStartsOrchestratorTests.Add<SampleCostActivity, CostSampleRequest, CostSample>(registry, provider);
            ProbeColdStartsOrchestratorTests.Add<ReadMeteredCostActivity, MeteredCostRequest, MeteredCostResult>(registry, provider);
            ProbeColdStartsOrchestratorTests.Add<ReadServerTelemetryActivity, ServerTelemetryRequest, ServerTelemetryResult>(registry, provider);
        });
        var plan = paired ? stored.Plan with { Variants = ["", PairedSchedule.ReferenceVariant] } : stored.Plan;
        var id = await durable.Client.ScheduleNewOrchestrationInstanceAsync("CostStepHarness", new CostStepInput(plan, shards));
        using var cts = new CancellationTokenSource(Liveness);
        var done = await durable.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, cts.Token);
        Assert.True(done.RuntimeStatus == OrchestrationRuntimeStatus.Completed, done.FailureDetails?.ToString());
        return (done.ReadOutputAs<CostSummary>()!, artifacts);
    }

    /// <summary>10 requests of 40 ms in [T0, T0 + 2 s); instance i1 busy 400 ms → one billed second at 2 GB.</summary>
    private static ShardResult Shard(string runId) => TestShards.TenRequestsOf40Ms(runId, T0);

    private sealed record CostStepInput(RunPlan Plan, IReadOnlyList<ShardSummary> Shards);

    /// <summary>Two minutes of instance counts (2, then 3), or a failure like an unreachable Azure Monitor.</summary>
    private sealed class ScriptedServerMetrics(bool fail = false) : IServerMetricsSource
    {
        public ConcurrentQueue<(string ResourceId, DateTimeOffset From, DateTimeOffset To)> Reads { get; } = new();

        public Task<ServerMetricSet> ReadAsync(string resourceId, HostingPlan plan, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
        {
            Reads.Enqueue((resourceId, from, to));
            if (fail)
            {
                throw new HttpRequestException("Azure Monitor did not answer");
            }

            var minute = new DateTimeOffset(from.UtcTicks / TimeSpan.TicksPerMinute * TimeSpan.TicksPerMinute, TimeSpan.Zero);
            return Task.FromResult(ServerMetricSets.FromIntervals(
                ServerMetricSet.AzureMonitorSource,
                TimeSpan.FromMinutes(1),
                [new ServerMetricSeries { Name = ServerMetricSeries.InstanceCount, Unit = "count", Points = [new(minute, 2), new(minute.AddMinutes(1), 3)] }],
                from,
                to,
                to.AddMinutes(5)));
        }
    }

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

    /// <summary>Answers the per-request query with fixed rows (or fails as the Log Analytics client would); records each query.</summary>
    private sealed class ScriptedServerTelemetry(IReadOnlyList<ServerRequest> requests, string? failWith = null) : IServerTelemetrySource
    {
        public ConcurrentQueue<(string App, DateTimeOffset From, DateTimeOffset To)> Queries { get; } = new();

        public Task<IReadOnlyList<ServerRequest>> GetRequestsAsync(string workspaceId, string appName, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
        {
            if (failWith is not null)
            {
                throw new InvalidOperationException(failWith);
            }

            Queries.Enqueue((appName, from, to));
            return Task.FromResult(requests);
        }

        public Task<IReadOnlyList<InstanceFirstSeen>> GetInstanceFirstSeenAsync(string workspaceId, string appName, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("small runs are read row by row");

        public Task<IReadOnlyList<DurationBucket>> GetDurationBucketsAsync(string workspaceId, string appName, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("small runs are read row by row");
    }
}
