using System.Net;
using System.Net.Sockets;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.DependencyInjection;
using Yardstick.Core;
using Yardstick.Core.Environments;
using Yardstick.Core.Load;
using Yardstick.Core.Load.Safety;
using Yardstick.Core.Measurements;
using Yardstick.Core.Ports;
using Yardstick.Core.Summaries;
using Yardstick.Core.Runs;
using Yardstick.Orchestration.Activities;
using Yardstick.Orchestration.Contracts;
using Yardstick.Orchestration.Hosting;
using Yardstick.Orchestration.Tests.TestSupport;
using Yardstick.SampleTarget;
using Yardstick.Storage;
using Yardstick.Testing;

namespace Yardstick.Orchestration.Tests.Activities;

/// <summary>
/// The run status that <see cref="PersistRunActivity"/> decides from <c>load.minShardSuccess</c>, end to end: the real
/// orchestrator and activities on the in-memory Durable engine, real load against a sample target on loopback, results
/// in Azurite. One of four shards is made to fail for real: its shard plan is pointed at a loopback port that refuses
/// connections, so <see cref="RunLoadShardActivity"/> gets no response, Durable retries it per
/// <see cref="RunPolicies.Shard"/>, and the orchestrator records it as a failed shard.
/// </summary>
[Collection(AzuriteFixture.Collection)]
public sealed class PersistRunActivityTests(AzuriteFixture azurite)
{
    private const int Shards = 4;
    private static readonly TimeSpan Liveness = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Run_ThreeOfFourShardsAtMinShardSuccess075_DegradedInOutcomeRowAndSummary()
    {
        var run = await RunAsync(minShardSuccess: "0.75", failShard: 3);

        Assert.Equal(RunStatus.Degraded, run.Outcome.Status);
        Assert.Equal(RunStatus.Degraded, run.Row.Status);
        Assert.Equal("degraded", run.Summary.Status);
        AssertShardCounts(run, succeeded: 3);
        AssertFailureExplained(run, "minShardSuccess 0.75");
        AssertMeasurementsKept(run, succeededShards: [0, 1, 2]);

        // Every shard recorded where it ran; the summary groups the succeeded ones by environment (one worker here).
        var environment = run.Summary.Environment!;
        var generator = Assert.Single(environment.Generators);
        Assert.Equal(3, generator.Shards.Count);
        Assert.All(new[] { 0, 1, 2 }, i => Assert.Equal(generator.Environment, run.ShardResults[i]!.Environment));
        Assert.Equal((System.Environment.ProcessorCount, "local"), (generator.Environment.LogicalCores, generator.Environment.HostKind));
        Assert.Equal("url", environment.Target!.Kind);
        Assert.Equal((environment.Digest(), environment.Fingerprint()), (run.Row.Environment, run.Row.EnvironmentHash));
        Assert.Matches("^[0-9a-f]{16}$", run.Row.EnvironmentHash);
    }

    [Fact]
    public async Task Run_ThreeOfFourShardsAtMinShardSuccess09_Failed()
    {
        var run = await RunAsync(minShardSuccess: "0.9", failShard: 3);

        Assert.Equal(RunStatus.Failed, run.Outcome.Status);
        Assert.Equal(RunStatus.Failed, run.Row.Status);
        Assert.Equal("failed", run.Summary.Status);
        AssertShardCounts(run, succeeded: 3);
        AssertFailureExplained(run, "minShardSuccess 0.9");

        // Failed, but what the three good shards measured is still stored (a failed run is evidence, not nothing).
        AssertMeasurementsKept(run, succeededShards: [0, 1, 2]);
    }

    [Fact]
    public async Task Run_AllFourShardsSucceed_CompletedWithoutFailureReasonAndWithSloAttainment()
    {
        var run = await RunAsync(minShardSuccess: "0.75", failShard: null, extra: "slo: { window: 7d, availability: 99%, latency: [{ threshold: 10s, target: 99.9% }] }");

        Assert.Equal(RunStatus.Completed, run.Outcome.Status);
        Assert.Equal(RunStatus.Completed, run.Row.Status);
        Assert.Equal("completed", run.Summary.Status);
        AssertShardCounts(run, succeeded: 4);
        Assert.Null(run.Outcome.FailureReason);
        Assert.Null(run.Row.FailureReason);
        Assert.Null(run.Summary.FailureReason);
        AssertMeasurementsKept(run, succeededShards: [0, 1, 2, 3]);

        // The row says which workload text ran: the registered version the request named and the text's content hash.
        Assert.Equal((3, run.WorkloadHash), (run.Row.WorkloadVersion, run.Row.WorkloadHash));

        // Every request succeeded within 10 s: both objectives fully attained, no budget burnt.
        var slo = run.Summary.Slo!;
        Assert.Equal(7, slo.WindowDays);
        Assert.Equal(["availability", "latency <= 10000ms"], slo.Objectives.Select(o => o.Objective));
        Assert.All(slo.Objectives, o => Assert.Equal((run.Summary.Requests, run.Summary.Requests, 0.0, true), (o.Good, o.Total, o.BurnRate!.Value, o.Met)));
    }

    [Fact]
    public void Decide_AllShardsSucceededButARoundBeganApart_IsDegradedWithTheSpread()
    {
        var plan = new RunPlan { RunId = "r", Workload = "w", MinShardSuccess = 0.75 };
        const string Misaligned = "shards did not start together: in round 0 shard 3 began 19.8 s after the first (tolerance 1.0 s)";

        Assert.Equal((RunStatus.Degraded, Misaligned), PersistRunActivity.Decide(plan, 4, 4, null, null, Misaligned));
        Assert.Equal((RunStatus.Completed, (string?)null), PersistRunActivity.Decide(plan, 4, 4, null, null, misaligned: null));

        var (status, reason) = PersistRunActivity.Decide(plan, 4, 3, "shard 3: refused", null, Misaligned);
        Assert.Equal(RunStatus.Degraded, status);
        Assert.EndsWith("; " + Misaligned, reason, StringComparison.Ordinal);

        // A run that failed outright says why it failed, not how its shards lined up.
        Assert.Equal((RunStatus.Failed, "plan failed"), PersistRunActivity.Decide(plan, 4, 0, null, "plan failed", Misaligned));
    }

    [Fact]
    public async Task Run_TargetScaleChangedByOthersDuringTheRun_DegradedWithTheChangeInSummaryAndRow()
    {
        // ARM answers maximumInstanceCount 100 when the run is planned and 40 when it is persisted: someone changed the
        // app while it was measured.
        var arm = new ScaleBoard(new FlexScaleSettings { InstanceMemoryMB = 2048, MaximumInstanceCount = 100 }, new FlexScaleSettings { InstanceMemoryMB = 2048, MaximumInstanceCount = 40 });

        var run = await RunAsync(minShardSuccess: "0.75", failShard: null, control: arm);

        Assert.Equal(2, arm.Reads);
        Assert.Equal(RunStatus.Degraded, run.Outcome.Status);
        Assert.Equal(RunStatus.Degraded, run.Row.Status);
        Assert.Equal("the target changed during the run: target.maximumInstances 100 → 40", run.Summary.FailureReason);
        Assert.Equal(run.Summary.FailureReason, run.Row.FailureReason);
        Assert.Equal(["target.maximumInstances 100 → 40"], run.Summary.Environment!.TargetChanges);
        Assert.Equal(100, run.Summary.Environment.Target!.MaximumInstances); // the summary keeps what the run measured
    }

    [Fact]
    public async Task Run_TargetUnchangedOrEndReadFailed_CompletedWithoutChanges()
    {
        var same = new FlexScaleSettings { InstanceMemoryMB = 2048, MaximumInstanceCount = 100 };
        var unchanged = await RunAsync(minShardSuccess: "0.75", failShard: null, control: new ScaleBoard(same, same));
        var unreadable = await RunAsync(minShardSuccess: "0.75", failShard: null, control: new ScaleBoard(same, null));

        Assert.Equal(RunStatus.Completed, unchanged.Outcome.Status);
        Assert.Empty(unchanged.Summary.Environment!.TargetChanges);
        Assert.Equal(RunStatus.Completed, unreadable.Outcome.Status); // a failed read at the end is no change
        Assert.Empty(unreadable.Summary.Environment!.TargetChanges);
    }

    [Fact]
    public async Task Run_TargetAppSettingChangedDuringTheRun_DegradedNamingTheChange_ValuesNeverStored()
    {
        var scale = new FlexScaleSettings { InstanceMemoryMB = 2048, MaximumInstanceCount = 100 };
        var atPlan = new Dictionary<string, string?> { ["FEATURE_CACHE"] = "on", ["DB_PASSWORD"] = "s3cr3t-at-plan", [AppSettingsFingerprint.ColdStartCounter] = "4" };
        // Someone turned the cache off mid-run; the cold-start strategy's own counter moved too, which is no change.
        var later = new Dictionary<string, string?>(atPlan) { ["FEATURE_CACHE"] = "off", [AppSettingsFingerprint.ColdStartCounter] = "5" };
        var added = new Dictionary<string, string?>(atPlan) { ["NEW_FLAG"] = "1" };

        var changed = await RunAsync(minShardSuccess: "0.75", failShard: null, control: new ScaleBoard(scale, scale, atPlan, later));
        var grown = await RunAsync(minShardSuccess: "0.75", failShard: null, control: new ScaleBoard(scale, scale, atPlan, added));
        var counterOnly = await RunAsync(minShardSuccess: "0.75", failShard: null,
            control: new ScaleBoard(scale, scale, atPlan, new Dictionary<string, string?>(atPlan) { [AppSettingsFingerprint.ColdStartCounter] = "9" }));

        Assert.Equal(RunStatus.Degraded, changed.Outcome.Status);
        var change = Assert.Single(changed.Summary.Environment!.TargetChanges);
        Assert.Matches("^target.appSettings [0-9a-f]{16} → [0-9a-f]{16} \\(values changed\\)$", change);
        Assert.EndsWith("(added NEW_FLAG)", Assert.Single(grown.Summary.Environment!.TargetChanges), StringComparison.Ordinal);
        Assert.Equal(RunStatus.Completed, counterOnly.Outcome.Status);

        // The summary keeps the names and the hash at the start, never a value.
        var target = changed.Summary.Environment.Target!;
        Assert.Equal(["DB_PASSWORD", "FEATURE_CACHE"], target.AppSettings!.Names);
        Assert.Equal(AppSettingsFingerprint.Of(atPlan).Sha256, target.AppSettings.Sha256);
        var json = System.Text.Encoding.UTF8.GetString(YardstickJson.ToUtf8(changed.Summary));
        Assert.DoesNotContain("s3cr3t", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"on\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void AppSettingsFingerprint_HashesNamesAndValuesUnambiguously_IgnoresTheColdStartCounter()
    {
        var a = AppSettingsFingerprint.Of(new Dictionary<string, string?> { ["a"] = "bc" });
        var b = AppSettingsFingerprint.Of(new Dictionary<string, string?> { ["ab"] = "c" });
        var withCounter = AppSettingsFingerprint.Of(new Dictionary<string, string?> { ["a"] = "bc", [AppSettingsFingerprint.ColdStartCounter] = "7" });

        Assert.NotEqual(a.Sha256, b.Sha256);
        Assert.Equal(a.Sha256, withCounter.Sha256);
        Assert.Equal(["a"], withCounter.Names);
        Assert.Equal(16, a.Sha256.Length);
    }

    [Fact]
    public void DegradeForTargetChanges_CompletedBecomesDegraded_OthersKeepTheirStatusAndSayIt()
    {
        string[] changes = ["target.maximumInstances 100 → 40"];

        Assert.Equal((RunStatus.Completed, (string?)null), PersistRunActivity.DegradeForTargetChanges(RunStatus.Completed, null, []));
        Assert.Equal((RunStatus.Degraded, "the target changed during the run: target.maximumInstances 100 → 40"), PersistRunActivity.DegradeForTargetChanges(RunStatus.Completed, null, changes));
        Assert.Equal((RunStatus.Failed, "3 of 4 shards; the target changed during the run: target.maximumInstances 100 → 40"), PersistRunActivity.DegradeForTargetChanges(RunStatus.Failed, "3 of 4 shards", changes));
    }

    private static void AssertShardCounts(FinishedRun run, int succeeded)
    {
        Assert.Equal((succeeded, Shards), (run.Outcome.ShardsSucceeded, run.Outcome.ShardsTotal));
        Assert.Equal((succeeded, Shards), (run.Row.ShardsSucceeded, run.Row.ShardsTotal));
        Assert.Equal((succeeded, Shards), (run.Summary.ShardsSucceeded, run.Summary.ShardsTotal));
    }

    private static void AssertFailureExplained(FinishedRun run, string threshold)
    {
        // The reason says how many shards made it, against which threshold, and why the first failed one failed.
        var reason = run.Summary.FailureReason;
        Assert.NotNull(reason);
        Assert.StartsWith($"3 of 4 shards succeeded ({threshold})", reason, StringComparison.Ordinal);
        Assert.Contains("first failure: shard ", reason, StringComparison.Ordinal);
        Assert.Contains("got no response", reason, StringComparison.Ordinal);
        Assert.Equal(reason, run.Row.FailureReason);
        Assert.Equal(reason, run.Outcome.FailureReason);

        // The failed shard's own result is stored too, with its reason: connect failures and not one response.
        var failed = run.ShardResults[3];
        Assert.NotNull(failed);
        Assert.NotNull(failed.FailureReason);
        Assert.Equal(0, failed.Successes);
        Assert.True(failed.Errors.Connect > 0, $"shard 3: {failed.FailureReason}");
    }

    private static void AssertMeasurementsKept(FinishedRun run, IReadOnlyList<int> succeededShards)
    {
        // The merged counts are exactly the successful shards' counts (a failed shard's attempts are not measurements).
        var counted = succeededShards.Select(i => run.ShardResults[i]!).ToList();
        Assert.All(counted, r => Assert.Null(r.FailureReason));
        Assert.All(counted, r => Assert.True(r.Successes > 0));
        var requests = counted.Sum(r => r.Requests);
        Assert.Equal(requests, run.Summary.Requests);
        Assert.Equal(requests, run.Row.Requests);
        Assert.Equal(requests, run.Outcome.Requests);
        Assert.Equal(counted.Sum(r => r.Successes), run.Summary.Successes);
        Assert.NotNull(run.Row.P50Ms);
    }

    private async Task<FinishedRun> RunAsync(string minShardSuccess, int? failShard, string extra = "", ITargetControl? control = null)
    {
        await using var target = await SampleTargetHost.StartAsync(new SampleTargetOptions { Urls = "http://127.0.0.1:0" });

        // Bound but never listening: connections to it are refused at once, and no other process can take the port meanwhile.
        using var refusing = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        refusing.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var refusedUrl = $"http://127.0.0.1:{((IPEndPoint)refusing.LocalEndPoint!).Port}/api/hello";

        var storage = azurite.CreateIsolatedStorage();
        await storage.EnsureCreatedAsync(CancellationToken.None);
        await using var provider = RunPipelineServices.Build(storage, configure: control is null ? null : services => services.AddSingleton(control));

        var workload = AzuriteFixture.UniqueName("persist");
        var runId = AzuriteFixture.NewRunId();
        await using var durable = await DurableTestHost.StartAsync(registry =>
        {
            registry.AddOrchestrator<BenchmarkRunOrchestrator>();
            registry.AddActivityFunc<RunRequest, RunPlan>(nameof(PlanRunActivity), async (context, input) =>
            {
                var plan = await provider.GetRequiredService<PlanRunActivity>().RunAsync(context, input);
                if (failShard is { } index)
                {
                    await PointShardAtAsync(storage, plan, index, refusedUrl);
                }

                return plan;
            });
            ProbeColdStartsOrchestratorTests.Add<RunLoadShardActivity, ShardTask, ShardSummary>(registry, provider);
            ProbeColdStartsOrchestratorTests.Add<PersistRunActivity, PersistRequest, RunOutcome>(registry, provider);
            ProbeColdStartsOrchestratorTests.Add<AnalyzeRunActivity, AnalyzeRequest, RunOutcome>(registry, provider);
        });

        // 40 req/s split over 4 shards for 1 s against /api/hello: enough responses per shard, little load.
        var text = $"""
                name: {workload}
                target:
                  url: {target.BaseUrl}/api/hello
                {(control is null ? "" : "  azure: { resourceId: " + TestRuns.ResourceId + " }\n")}load:
                  rate: 40/s
                  duration: 1s
                  shards: {Shards}
                  timeout: 2s
                  minShardSuccess: {minShardSuccess}
                {extra}
                """;
        var id = await durable.Client.ScheduleNewOrchestrationInstanceAsync(nameof(BenchmarkRunOrchestrator), new RunRequest
        {
            RunId = runId,
            WorkloadText = text,
            ShardStartDelay = TimeSpan.FromMilliseconds(200),
            WorkloadVersion = 3,
        });
        OrchestrationMetadata done;
        using (var cts = new CancellationTokenSource(Liveness))
        {
            done = await durable.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, cts.Token);
        }

        Assert.True(done.RuntimeStatus == OrchestrationRuntimeStatus.Completed, done.FailureDetails?.ToString());
        var outcome = done.ReadOutputAs<RunOutcome>()!;
        var row = await storage.Runs.GetAsync(runId, CancellationToken.None);
        Assert.NotNull(row);
        var summaryBytes = await storage.Artifacts.GetAsync(workload, runId, PersistRunActivity.SummaryBlobName, CancellationToken.None);
        Assert.NotNull(summaryBytes);
        var shardResults = new ShardResult?[Shards];
        for (var i = 0; i < Shards; i++)
        {
            var bytes = await storage.Artifacts.GetAsync(workload, runId, ShardResultNames.For(RunPhase.Measured, 0, "", i), CancellationToken.None);
            shardResults[i] = bytes is null ? null : YardstickJson.Deserialize<ShardResult>(bytes);
        }

        return new FinishedRun(outcome, row, YardstickJson.Deserialize<RunSummary>(summaryBytes), shardResults, Core.Workloads.Registry.WorkloadContentHash.Of(text));
    }

    /// <summary>Rewrites the stored plan so one shard's requests go to <paramref name="url"/> (as if its worker could not reach the target).</summary>
    private static async Task PointShardAtAsync(YardstickStorage storage, RunPlan plan, int index, string url)
    {
        var bytes = await storage.Artifacts.GetAsync(plan.Workload, plan.RunId, PlanReader.PlanBlobName, CancellationToken.None);
        var stored = YardstickJson.Deserialize<StoredPlan>(bytes!);
        var shards = stored.MeasuredShards.ToList();
        shards[index] = shards[index] with { Request = shards[index].Request with { Url = url } };
        await storage.Artifacts.PutAsync(plan.Workload, plan.RunId, PlanReader.PlanBlobName, YardstickJson.ToUtf8(stored with { MeasuredShards = shards }), "application/json", CancellationToken.None);
    }

    /// <summary>ARM as the run sees it: the site answers on loopback; its scale settings are <paramref name="atPlan"/>, then <paramref name="later"/> (null: the read fails).</summary>
    private sealed class ScaleBoard(FlexScaleSettings atPlan, FlexScaleSettings? later, IReadOnlyDictionary<string, string?>? settingsAtPlan = null, IReadOnlyDictionary<string, string?>? settingsLater = null) : ITargetControl
    {
        private int _reads;
        private int _settingsReads;

        public int Reads => _reads;

        /// <summary>App settings as ARM lists them: <c>settingsAtPlan</c> first, then <c>settingsLater</c> (none given: the list is refused, as for an identity without the right).</summary>
        public Task<AppSettingsFingerprint> GetAppSettingsFingerprintAsync(string resourceId, CancellationToken cancellationToken) =>
            (Interlocked.Increment(ref _settingsReads) == 1 ? settingsAtPlan : settingsLater ?? settingsAtPlan) is { } settings
                ? Task.FromResult(AppSettingsFingerprint.Of(settings))
                : throw new HttpRequestException("403 AuthorizationFailed");

        public Task<FlexScaleSettings?> GetScaleSettingsAsync(string resourceId, CancellationToken cancellationToken) =>
            Interlocked.Increment(ref _reads) == 1 ? Task.FromResult<FlexScaleSettings?>(atPlan)
            : later is null ? throw new HttpRequestException("ARM unavailable") : Task.FromResult<FlexScaleSettings?>(later);

        public Task<IReadOnlyList<string>> GetHostNamesAsync(string resourceId, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string>>(["127.0.0.1"]);

        public Task RestartAsync(string resourceId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<long> BumpColdStartSettingAsync(string resourceId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task ApplySettingAsync(string resourceId, string parameter, string value, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<string?> ReadSettingAsync(string resourceId, string parameter, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task RestoreSettingAsync(string resourceId, string parameter, string? value, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<bool> WaitUntilServingAsync(string resourceId, Uri? probeUrl, TimeSpan timeout, CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    private sealed record FinishedRun(RunOutcome Outcome, RunRecord Row, RunSummary Summary, IReadOnlyList<ShardResult?> ShardResults, string WorkloadHash);
}
