using Microsoft.DurableTask;
using Microsoft.Extensions.Logging.Abstractions;
using Yardstick.Core;
using Yardstick.Core.Ports;
using Yardstick.Orchestration.Activities;
using Yardstick.Orchestration.Contracts;
using Yardstick.Orchestration.Hosting;
using Yardstick.Orchestration.Tests.TestSupport;
using Yardstick.Testing;

namespace Yardstick.Orchestration.Tests.Activities;

/// <summary>
/// <see cref="ApplySettingsActivity"/> records what it found before the run's first change, once; <see cref="RestoreSettingsActivity"/>
/// puts exactly that back and records which settings, the old value and when.
/// </summary>
public sealed class SettingsRestoreTests
{
    private const string RunId = "20260101-000000-abcdef";

    private const string Workload = $$"""
        name: restore
        target:
          url: http://127.0.0.1:5098/api/hello
          azure: { resourceId: {{TestRuns.ResourceId}} }
        load: { rate: 1/s, duration: 1s }
        cost: { plan: flexConsumption, region: eastus }
        sweep:
          grid:
            instanceMemoryMB: [512, 4096]
            'appSetting:FEATURE_X': [on, off]
        """;

    [Fact]
    public async Task ApplyThenRestore_PutsBackTheValuesFoundBeforeTheFirstChange_AndRecordsThem()
    {
        var artifacts = new InMemoryArtifactStore();
        var board = new SettingsBoard { ["instanceMemoryMB"] = "2048" }; // FEATURE_X does not exist before the run
        var time = new StepClock(new DateTimeOffset(2026, 1, 1, 3, 0, 0, TimeSpan.Zero));
        var options = new YardstickHostOptions { AzureAccess = true };
        await TestRuns.StoreAsync(artifacts, RunId, Workload, options);
        var apply = new ApplySettingsActivity(artifacts, new PlanReader(artifacts), options, time, NullLogger<ApplySettingsActivity>.Instance, targetControl: board);

        await apply.RunAsync(new Context(), new ApplySettingsTask(RunId, "restore", 0, 0, "instanceMemoryMB=512,FEATURE_X=on"));
        time.Advance(TimeSpan.FromMinutes(1));
        await apply.RunAsync(new Context(), new ApplySettingsTask(RunId, "restore", 0, 3, "instanceMemoryMB=4096,FEATURE_X=off"));
        Assert.Equal("4096", board["instanceMemoryMB"]);

        time.Advance(TimeSpan.FromMinutes(1));
        var restore = new RestoreSettingsActivity(artifacts, time, NullLogger<RestoreSettingsActivity>.Instance, board);
        var record = await restore.RunAsync(new Context(), new RestoreSettingsTask(RunId, "restore", "failed"));

        // Back as before: the memory size, and no FEATURE_X at all.
        Assert.Equal(new Dictionary<string, string?> { ["instanceMemoryMB"] = "2048" }, board.Values);
        Assert.True(record.Complete);
        Assert.Equal("failed", record.Reason);
        Assert.Equal(
            [("instanceMemoryMB", "2048"), ("appSetting:FEATURE_X", null)],
            record.Settings.Select(s => (s.Parameter, s.Value)));
        Assert.All(record.Settings, s => Assert.Equal(time.GetUtcNow(), s.RestoredAt));
        var stored = YardstickJson.Deserialize<SettingsRestore>((await artifacts.GetAsync("restore", RunId, SettingsRestore.BlobName, CancellationToken.None))!);
        Assert.Equal(record.Settings, stored.Settings);
        var originals = YardstickJson.Deserialize<OriginalSettings>((await artifacts.GetAsync("restore", RunId, OriginalSettings.BlobName, CancellationToken.None))!);
        Assert.All(originals.Settings, o => Assert.Equal(new DateTimeOffset(2026, 1, 1, 3, 0, 0, TimeSpan.Zero), o.ReadAt)); // read once, before the first change
    }

    [Fact]
    public async Task Restore_RunChangedNothing_NoRecordNoCalls()
    {
        var artifacts = new InMemoryArtifactStore();
        var board = new SettingsBoard();
        var restore = new RestoreSettingsActivity(artifacts, TimeProvider.System, NullLogger<RestoreSettingsActivity>.Instance, board);

        var record = await restore.RunAsync(new Context(), new RestoreSettingsTask(RunId, "restore", "completed"));

        Assert.Empty(record.Settings);
        Assert.Empty(board.Calls);
        Assert.Empty(artifacts.Names);
    }

    [Fact]
    public async Task Restore_ArmRefusesOneSetting_RestoresTheOthers_RecordsTheError_AndThrowsForARetry()
    {
        var artifacts = new InMemoryArtifactStore();
        var original = new OriginalSettings
        {
            ResourceId = TestRuns.ResourceId,
            Settings = [new OriginalSetting { Parameter = "instanceMemoryMB", Value = "2048" }, new OriginalSetting { Parameter = "appSetting:FEATURE_X", Value = "on" }],
        };
        await artifacts.PutAsync("restore", RunId, OriginalSettings.BlobName, YardstickJson.ToUtf8(original), "application/json", CancellationToken.None);
        var board = new SettingsBoard { ["instanceMemoryMB"] = "512", ["appSetting:FEATURE_X"] = "off" };
        board.Refuse.Add("instanceMemoryMB");
        var restore = new RestoreSettingsActivity(artifacts, TimeProvider.System, NullLogger<RestoreSettingsActivity>.Instance, board);

        var e = await Assert.ThrowsAsync<SettingsNotRestoredException>(() => restore.RunAsync(new Context(), new RestoreSettingsTask(RunId, "restore", "completed")));

        Assert.Contains("instanceMemoryMB", e.Message, StringComparison.Ordinal);
        Assert.Equal("on", board["appSetting:FEATURE_X"]);
        var stored = YardstickJson.Deserialize<SettingsRestore>((await artifacts.GetAsync("restore", RunId, SettingsRestore.BlobName, CancellationToken.None))!);
        Assert.False(stored.Complete);
        Assert.NotNull(stored.Settings.Single(s => s.Parameter == "instanceMemoryMB").Error);
    }

    /// <summary>Wall-clock time that moves only when the test says (stamps are the subject, not elapsed time).</summary>
    private sealed class StepClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }

    private sealed class Context : TaskActivityContext
    {
        public override TaskName Name => new("test");

        public override string InstanceId => RunId;
    }

    /// <summary>A target whose settings are a dictionary keyed by sweep parameter (app settings as <c>appSetting:NAME</c>).</summary>
    private sealed class SettingsBoard : ITargetControl
    {
        public Dictionary<string, string?> Values { get; } = [];

        public List<string> Calls { get; } = [];

        public HashSet<string> Refuse { get; } = [];

        public string? this[string parameter]
        {
            get => Values.GetValueOrDefault(parameter);
            set => Values[parameter] = value;
        }

        public Task ApplySettingAsync(string resourceId, string parameter, string value, CancellationToken cancellationToken)
        {
            Calls.Add($"apply {parameter}={value}");
            Values[parameter] = value;
            return Task.CompletedTask;
        }

        public Task<string?> ReadSettingAsync(string resourceId, string parameter, CancellationToken cancellationToken)
        {
            Calls.Add($"read {parameter}");
            return Task.FromResult(Values.GetValueOrDefault(parameter));
        }

        public Task RestoreSettingAsync(string resourceId, string parameter, string? value, CancellationToken cancellationToken)
        {
            Calls.Add($"restore {parameter}={value}");
            if (Refuse.Contains(parameter))
            {
                throw new InvalidOperationException("AuthorizationFailed");
            }

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

        public Task<bool> WaitUntilServingAsync(string resourceId, Uri? probeUrl, TimeSpan timeout, CancellationToken cancellationToken) => Task.FromResult(true);

        public Task<IReadOnlyList<string>> GetHostNamesAsync(string resourceId, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string>>(["127.0.0.1"]);

        public Task RestartAsync(string resourceId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<long> BumpColdStartSettingAsync(string resourceId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<Core.Environments.AppSettingsFingerprint> GetAppSettingsFingerprintAsync(string resourceId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<FlexScaleSettings?> GetScaleSettingsAsync(string resourceId, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
