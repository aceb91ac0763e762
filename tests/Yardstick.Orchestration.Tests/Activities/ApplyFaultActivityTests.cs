using Microsoft.DurableTask;
using Microsoft.Extensions.Logging.Abstractions;
using Yardstick.Core;
using Yardstick.Core.Faults;
using Yardstick.Core.Ports;
using Yardstick.Orchestration.Activities;
using Yardstick.Orchestration.Contracts;
using Yardstick.Orchestration.Hosting;
using Yardstick.Orchestration.Tests.TestSupport;
using Yardstick.SampleTarget;
using Yardstick.Testing;

namespace Yardstick.Orchestration.Tests.Activities;

/// <summary>
/// <see cref="ApplyFaultActivity"/> against real sample targets on loopback (and, for ARM, the fake control over one):
/// a fault is set off, timed by its probe, recorded once, and refused or reported when the target cannot take it.
/// Durations get lower bounds only.
/// </summary>
public sealed class ApplyFaultActivityTests
{
    private const string RunId = "20260101-000000-fa17ed";

    private static string Workload(string url, string faults, string target = "") => $$"""
        name: faulty
        target:
          url: {{url}}{{target}}
        load: { rate: 10/s, duration: 60s }
        faults: {{faults}}
        """;

    [Fact]
    public async Task Stall_OnATargetWithAdmin_IsSetOff_AndTheProbeWaitsOutTheStall()
    {
        await using var host = await SampleTargetHost.StartAsync(new SampleTargetOptions { Urls = "http://127.0.0.1:0", Admin = true });
        var (activity, artifacts) = await ActivityAsync(Workload(host.BaseUrl + "/api/hello", "[{ at: 5s, kind: stall, ms: 300, for: 20s }]"));

        var applied = await activity.RunAsync(new Context(), new FaultTask(RunId, "faulty", 0));

        Assert.True(applied.Applied, applied.Failure);
        Assert.Equal(("stall", "stall 300 ms for 20s"), (applied.Kind, applied.Description));
        Assert.True(host.App.AdminStallActive);
        Assert.True(applied.TimeToFirstSuccessMs >= 270, $"first success after {applied.TimeToFirstSuccessMs} ms, during a 300 ms stall");
        Assert.NotNull(await artifacts.GetAsync("faulty", RunId, "faults/f00.json", CancellationToken.None));
    }

    [Fact]
    public async Task Fail_SecondDeliveryOfTheSameTask_ReturnsTheRecordWithoutActingAgain()
    {
        await using var host = await SampleTargetHost.StartAsync(new SampleTargetOptions { Urls = "http://127.0.0.1:0", Admin = true });
        var (activity, _) = await ActivityAsync(Workload(host.BaseUrl + "/api/hello", "[{ at: 5s, kind: fail, rate: 0.5, for: 20s }]"));

        var first = await activity.RunAsync(new Context(), new FaultTask(RunId, "faulty", 0));
        var received = host.App.RequestsReceived;
        var second = await activity.RunAsync(new Context(), new FaultTask(RunId, "faulty", 0));

        Assert.True(first.Applied, first.Failure);
        Assert.True(host.App.AdminFailActive);
        Assert.Equal(first, second);
        Assert.Equal(received, host.App.RequestsReceived);
    }

    [Fact]
    public async Task Stall_TargetWithoutAdmin_IsNotApplied_AndSaysHowToTurnItOn()
    {
        await using var host = await SampleTargetHost.StartAsync(new SampleTargetOptions { Urls = "http://127.0.0.1:0" });
        var (activity, _) = await ActivityAsync(Workload(host.BaseUrl + "/api/hello", "[{ at: 5s, kind: stall, ms: 300, for: 5s }]"));

        var applied = await activity.RunAsync(new Context(), new FaultTask(RunId, "faulty", 0));

        Assert.False(applied.Applied);
        Assert.Null(applied.AppliedAt);
        Assert.Contains("HTTP 404", applied.Failure, StringComparison.Ordinal);
        Assert.Contains("--admin", applied.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restart_AzureTarget_RestartsThroughArm_AndTheProbeReachesTheFreshInstance()
    {
        await using var target = await RestartableTarget.StartAsync();
        var options = new YardstickHostOptions { AzureAccess = true };
        var (activity, _) = await ActivityAsync(
            Workload(target.Url, "[{ at: 5s, kind: restart }]", $"\n  azure: {{ resourceId: {TestRuns.ResourceId} }}"), options, target);

        var applied = await activity.RunAsync(new Context(), new FaultTask(RunId, "faulty", 0));

        Assert.True(applied.Applied, applied.Failure);
        Assert.Contains("restart " + TestRuns.ResourceId, target.Calls);
        Assert.Equal(2, target.InstanceIds.Count);
        Assert.NotNull(applied.TimeToFirstSuccessMs);
    }

    [Fact]
    public async Task AppSetting_RecordsTheValueFirst_WritesTheFaultsValue_AndTheRestorePutsItBack()
    {
        await using var host = await SampleTargetHost.StartAsync(new SampleTargetOptions { Urls = "http://127.0.0.1:0" });
        var board = new SettingsBoard { ["appSetting:FEATURE_CACHE"] = "on" };
        var options = new YardstickHostOptions { AzureAccess = true };
        var (activity, artifacts) = await ActivityAsync(
            Workload(host.BaseUrl + "/api/hello", "[{ at: 5s, kind: appSetting, name: FEATURE_CACHE, value: off, for: 10s }, { at: 20s, kind: appSetting, name: FEATURE_NEW, value: 1, for: 5s }]", $"\n  azure: {{ resourceId: {TestRuns.ResourceId} }}"),
            options,
            board);

        var applied = await activity.RunAsync(new Context(), new FaultTask(RunId, "faulty", 0));

        Assert.True(applied.Applied, applied.Failure);
        Assert.Equal("off", board["appSetting:FEATURE_CACHE"]);
        var originals = YardstickJson.Deserialize<OriginalSettings>((await artifacts.GetAsync("faulty", RunId, OriginalSettings.BlobName, CancellationToken.None))!);
        Assert.Equal([("appSetting:FEATURE_CACHE", "on"), ("appSetting:FEATURE_NEW", null)], originals.Settings.Select(s => (s.Parameter, s.Value)));

        var restore = new RestoreSettingsActivity(artifacts, TimeProvider.System, NullLogger<RestoreSettingsActivity>.Instance, board);
        await restore.RunAsync(new Context(), new RestoreSettingsTask(RunId, "faulty", "faults[0] ended", "faults/f00-restored.json"));

        Assert.Equal(new Dictionary<string, string?> { ["appSetting:FEATURE_CACHE"] = "on" }, board.Values);

        // The fault's own restore leaves the run's end record unwritten, so a terminated run is still picked up and put back.
        Assert.NotNull(await artifacts.GetAsync("faulty", RunId, "faults/f00-restored.json", CancellationToken.None));
        Assert.Null(await artifacts.GetAsync("faulty", RunId, SettingsRestore.BlobName, CancellationToken.None));
    }

    [Fact]
    public async Task AppSetting_HostWithoutArm_IsNotAppliedNamingTheFault()
    {
        await using var host = await SampleTargetHost.StartAsync(new SampleTargetOptions { Urls = "http://127.0.0.1:0" });
        var (activity, _) = await ActivityAsync(
            Workload(host.BaseUrl + "/api/hello", "[{ at: 5s, kind: appSetting, name: FEATURE_CACHE, value: off, for: 10s }]", $"\n  azure: {{ resourceId: {TestRuns.ResourceId} }}"));

        var applied = await activity.RunAsync(new Context(), new FaultTask(RunId, "faulty", 0));

        Assert.False(applied.Applied);
        Assert.Contains("faults[0].kind", applied.Failure, StringComparison.Ordinal);
    }

    private static async Task<(ApplyFaultActivity Activity, InMemoryArtifactStore Artifacts)> ActivityAsync(string yaml, YardstickHostOptions? options = null, ITargetControl? control = null)
    {
        var artifacts = new InMemoryArtifactStore();
        options ??= new YardstickHostOptions();
        await TestRuns.StoreAsync(artifacts, RunId, yaml, options);
        return (new ApplyFaultActivity(artifacts, new PlanReader(artifacts), options, TimeProvider.System, NullLogger<ApplyFaultActivity>.Instance, targetControl: control), artifacts);
    }

    private sealed class Context : TaskActivityContext
    {
        public override TaskName Name => new("test");

        public override string InstanceId => RunId;
    }

    /// <summary>A target whose app settings are a dictionary keyed <c>appSetting:NAME</c>; serving always.</summary>
    private sealed class SettingsBoard : ITargetControl
    {
        public Dictionary<string, string?> Values { get; } = [];

        public string? this[string parameter]
        {
            get => Values.GetValueOrDefault(parameter);
            set => Values[parameter] = value;
        }

        public Task ApplySettingAsync(string resourceId, string parameter, string value, CancellationToken cancellationToken)
        {
            Values[parameter] = value;
            return Task.CompletedTask;
        }

        public Task<string?> ReadSettingAsync(string resourceId, string parameter, CancellationToken cancellationToken) => Task.FromResult(this[parameter]);

        public Task RestoreSettingAsync(string resourceId, string parameter, string? value, CancellationToken cancellationToken)
        {
            if (value is null)
            {
                Values.Remove(parameter);
            }
            else
            {
                Values[parameter] = value;
            }

            return Task.CompletedTask;
        }

        public Task RestartAsync(string resourceId, CancellationToken cancellationToken) => throw new NotSupportedException("not used by appSetting faults");

        public Task<long> BumpColdStartSettingAsync(string resourceId, CancellationToken cancellationToken) => throw new NotSupportedException("not used by faults");

        public Task<IReadOnlyList<string>> GetHostNamesAsync(string resourceId, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string>>(["127.0.0.1"]);

        public Task<Core.Environments.AppSettingsFingerprint> GetAppSettingsFingerprintAsync(string resourceId, CancellationToken cancellationToken) => throw new NotSupportedException();


        public Task<FlexScaleSettings?> GetScaleSettingsAsync(string resourceId, CancellationToken cancellationToken) => Task.FromResult<FlexScaleSettings?>(null);

        public Task<bool> WaitUntilServingAsync(string resourceId, Uri? probeUrl, TimeSpan timeout, CancellationToken cancellationToken) => Task.FromResult(true);
    }
}
