using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Yardstick.Core;
using Yardstick.Core.Ports;
using Yardstick.Core.Runs;
using Yardstick.Functions.Hosting;
using Yardstick.Functions.Schedules;
using Yardstick.Functions.Tests.TestSupport;
using Yardstick.Orchestration;
using Yardstick.Orchestration.Contracts;
using Yardstick.Testing;

namespace Yardstick.Functions.Tests.Schedules;

/// <summary>The schedule timer's work against a real (in-memory) Durable client, on a fake clock.</summary>
public sealed class ScheduledRunsTests : IAsyncLifetime, IDisposable
{
    // Sunday 29 November 2026; the next day is a Monday (weekly fires Mondays 02:00 UTC).
    private static readonly DateTimeOffset Sunday = new(2026, 11, 29, 0, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Sunday.AddHours(1).AddMinutes(59));
    private readonly ListLogger<ScheduledRuns> _log = new();
    private readonly InMemoryArtifactStore _artifacts = new();
    private readonly InMemoryWorkloadRegistry _registry = new();
    private readonly WorkloadFolder _workloads = new(new Dictionary<string, string>
    {
        ["a.yaml"] = TestWorkloads.Valid("nightly-a", schedule: "nightly"),
        ["b.yaml"] = TestWorkloads.Valid("nightly-b", schedule: "nightly"),
        ["hourly.yaml"] = TestWorkloads.Valid("every-hour", schedule: "hourly"),
        ["weekly.yaml"] = TestWorkloads.Valid("every-week", schedule: "weekly"),
        ["cron.yaml"] = TestWorkloads.Valid("six-hourly", schedule: "\"0 30 */6 * * *\""),
        ["on-demand.yaml"] = TestWorkloads.Valid("on-demand"),
        ["elsewhere.yaml"] = TestWorkloads.Valid("nightly-elsewhere", schedule: "nightly", url: "http://203.0.113.10/api/hello"),
        ["broken.yaml"] = TestWorkloads.Valid("nightly-broken", schedule: "nightly").Replace("rate: 10/s", "rate: fast", StringComparison.Ordinal),
    });

    private DurableTaskTestHost? _durable;

    private DurableTaskClient Client => _durable!.Client;

    public async Task InitializeAsync() =>
        // Registered but never needed to finish: these tests are about what gets scheduled.
        _durable = await DurableTestHost.StartAsync(registry =>
            registry.AddOrchestratorFunc<RunRequest, RunOutcome>(nameof(BenchmarkRunOrchestrator), async (context, _) => await context.WaitForExternalEvent<RunOutcome>("never")));

    public async Task DisposeAsync()
    {
        if (_durable is not null)
        {
            await _durable.DisposeAsync();
        }
    }

    public void Dispose() => _workloads.Dispose();

    [Fact]
    public async Task Tick_AtTwo_StartsTheNightlyAndHourlyRunsTaggedByScheduleAndReportsTheRest()
    {
        await TickAtAsync(1, 59);

        var result = await TickAtAsync(2, 0);

        Assert.Equal(["every-hour", "nightly-a", "nightly-b"], result.Started.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["every-week", "six-hourly"], result.NotDue.Order(StringComparer.Ordinal));
        Assert.Contains("target.url", result.Refused["nightly-elsewhere"], StringComparison.Ordinal);
        Assert.Equal("broken.yaml", Path.GetFileName(Assert.Single(result.Skipped).Path));
        Assert.Contains(_log.Lines, l => l.Level == LogLevel.Warning && l.Message.Contains("broken.yaml", StringComparison.Ordinal) && l.Message.Contains("load.rate", StringComparison.Ordinal));
        foreach (var (workload, runId) in result.Started)
        {
            Assert.True(RunIds.IsValid(runId), runId);
            Assert.StartsWith("20261129-020000-", runId, StringComparison.Ordinal);
            var request = (await Client.GetInstanceAsync(runId, getInputsAndOutputs: true))!.ReadInputAs<RunRequest>()!;
            Assert.Equal(workload == "every-hour" ? "hourly" : "nightly", request.Tags["trigger"]);
            Assert.Contains("name: " + workload, request.WorkloadText, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Tick_TwiceInTheSameMinute_StartsNothingTheSecondTime()
    {
        await TickAtAsync(1, 59);
        var first = await TickAtAsync(2, 0);

        var second = await TickAtAsync(2, 0, second: 40);

        Assert.NotEmpty(first.Started);
        Assert.Empty(second.Started);
        Assert.Empty(second.Refused);
    }

    [Fact]
    public async Task Tick_AfterAMissedTick_StartsTheMissedDueTimeOnce()
    {
        await TickAtAsync(1, 59);

        // The 02:00 tick never happened (host down); the next one comes at 02:07.
        var late = await TickAtAsync(2, 7);
        var next = await TickAtAsync(2, 8);

        Assert.Equal(["every-hour", "nightly-a", "nightly-b"], late.Started.Keys.Order(StringComparer.Ordinal));
        Assert.All(late.Started.Values, id => Assert.StartsWith("20261129-020000-", id, StringComparison.Ordinal));
        Assert.Empty(next.Started);
    }

    [Fact]
    public async Task Tick_AfterARestartThatLostTheTicksState_FindsTheRunsAndStartsNothingTwice()
    {
        await TickAtAsync(1, 59);
        var before = await TickAtAsync(2, 0);

        // A restart between starting the runs and saving the state: a new scheduler, no state, the same minute again.
        var restarted = new InMemoryArtifactStore();
        var after = await TickAtAsync(2, 0, second: 30, artifacts: restarted, lastChecked: Sunday.AddHours(1).AddMinutes(59));

        Assert.Empty(after.Started);
        Assert.Equal(before.Started, after.AlreadyStarted.Where(kv => before.Started.ContainsKey(kv.Key)).ToDictionary());
        Assert.Contains(_log.Lines, l => l.Message.Contains("already exists", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Tick_AfterARestartThatKeptTheState_StartsOnlyWhatFellDueSince()
    {
        await TickAtAsync(1, 59);
        await TickAtAsync(2, 0);

        // A new scheduler (fresh host) on the same storage: state says 02:00 was handled.
        var restartedTick = await TickAtAsync(2, 1);
        var nextHour = await TickAtAsync(3, 0);

        Assert.Empty(restartedTick.Started);
        Assert.Equal(["every-hour"], nextHour.Started.Keys);
        Assert.StartsWith("20261129-030000-", nextHour.Started["every-hour"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tick_DownLongerThanTheCatchUpWindow_StartsOnlyTheLatestOccurrenceStillWithinIt()
    {
        await TickAtAsync(1, 59);

        // Down from 01:59 to 09:10: nightly's 02:00 is more than 6 h old; the hourly missed seven hours and starts once.
        var result = await TickAtAsync(9, 10);

        Assert.Equal(["every-hour", "six-hourly"], result.Started.Keys.Order(StringComparer.Ordinal));
        Assert.StartsWith("20261129-090000-", result.Started["every-hour"], StringComparison.Ordinal);
        Assert.StartsWith("20261129-063000-", result.Started["six-hourly"], StringComparison.Ordinal);
        Assert.Contains("nightly-a", result.NotDue);
    }

    [Fact]
    public async Task Tick_AWorkloadSeenForTheFirstTime_DoesNotStartAStaleOccurrence()
    {
        // Deployed at 05:00: last night's 02:00 is not started, the 05:00 hourly is.
        var result = await TickAtAsync(5, 0);

        Assert.Equal(["every-hour"], result.Started.Keys);
    }

    [Fact]
    public async Task Tick_MondayAtTwo_StartsTheWeeklyRun()
    {
        await TickAtAsync(1, 59, day: 1);

        var result = await TickAtAsync(2, 0, day: 1);

        Assert.StartsWith("20261130-020000-", result.Started["every-week"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tick_NightlySettingMovesNightly_StartsAtTheConfiguredTime()
    {
        var settings = FunctionsServices.CreateScheduleSettings(Configuration(("YARDSTICK_NIGHTLY_SCHEDULE", "0 30 3 * * *")));
        await TickAtAsync(1, 59, settings: settings);

        var atTwo = await TickAtAsync(2, 0, settings: settings);
        var atHalfPastThree = await TickAtAsync(3, 30, settings: settings);

        Assert.DoesNotContain("nightly-a", atTwo.Started.Keys);
        Assert.StartsWith("20261129-033000-", atHalfPastThree.Started["nightly-a"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tick_RefusedWorkload_IsRefusedOncePerDueTime()
    {
        await TickAtAsync(1, 59);
        var first = await TickAtAsync(2, 0);

        var second = await TickAtAsync(2, 1);

        Assert.Contains("nightly-elsewhere", first.Refused.Keys);
        Assert.Empty(second.Refused);
    }

    [Fact]
    public void CreateScheduleSettings_InvalidNightlySetting_NamesTheSetting()
    {
        var ex = Assert.Throws<InputException>(() => FunctionsServices.CreateScheduleSettings(Configuration(("YARDSTICK_NIGHTLY_SCHEDULE", "0 0 25 * * *"))));

        Assert.Equal("YARDSTICK_NIGHTLY_SCHEDULE", ex.Field);
        Assert.Contains("hour", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RunId_SameWorkloadAndDueTime_IsStableValidAndDistinctPerWorkloadAndDueTime()
    {
        var due = Sunday.AddHours(2);

        var a = ScheduledRuns.RunId("nightly-a", due, new HashSet<string>());
        var again = ScheduledRuns.RunId("nightly-a", due, new HashSet<string>());
        var b = ScheduledRuns.RunId("nightly-b", due, new HashSet<string>());
        var nextNight = ScheduledRuns.RunId("nightly-a", due.AddDays(1), new HashSet<string>());

        Assert.Equal(a, again);
        Assert.True(RunIds.IsValid(a), a);
        Assert.Equal(due, RunIds.CreatedAt(a));
        Assert.NotEqual(a, b);
        Assert.NotEqual(a[16..], nextNight[16..]);
    }

    [Fact]
    public void RunId_TakenAlready_RehashesToAnotherValidId()
    {
        var used = new HashSet<string>();
        var first = ScheduledRuns.RunId("nightly-a", Sunday, used);

        var second = ScheduledRuns.RunId("nightly-a", Sunday, used);

        Assert.NotEqual(first, second);
        Assert.True(RunIds.IsValid(second), second);
    }

    [Fact]
    public async Task Tick_RegisteredVersions_RunTheNewestActiveVersionInPlaceOfThePackagedFile()
    {
        // nightly-a is packaged nightly; its registered version drops the schedule, so it no longer runs at night.
        await _registry.PushAsync("nightly-a", TestWorkloads.Valid("nightly-a"), null, "test", CancellationToken.None);
        // nightly-b's registered version changes the rate and keeps the schedule: that text runs, with its version.
        var b2 = TestWorkloads.Valid("nightly-b", schedule: "nightly").Replace("rate: 10/s", "rate: 20/s", StringComparison.Ordinal);
        await _registry.PushAsync("nightly-b", b2, "nightly", "test", CancellationToken.None);
        // registered-only exists in the registry alone.
        var only = TestWorkloads.Valid("registered-only", schedule: "nightly");
        await _registry.PushAsync("registered-only", only, "nightly", "test", CancellationToken.None);
        // A retired version never runs: retired-one has no packaged file to fall back to.
        await _registry.PushAsync("retired-one", TestWorkloads.Valid("retired-one", schedule: "nightly"), "nightly", "test", CancellationToken.None);
        await _registry.RetireAsync("retired-one", 1, "test", CancellationToken.None);
        await TickAtAsync(1, 59);

        var result = await TickAtAsync(2, 0);

        Assert.Equal(["every-hour", "nightly-b", "registered-only"], result.Started.Keys.Order(StringComparer.Ordinal));
        var b = (await Client.GetInstanceAsync(result.Started["nightly-b"], getInputsAndOutputs: true))!.ReadInputAs<RunRequest>()!;
        Assert.Equal(b2, b.WorkloadText);
        Assert.Equal("registry:nightly-b@v1", b.WorkloadSource);
        Assert.Equal(1, b.WorkloadVersion);
        var registeredOnly = (await Client.GetInstanceAsync(result.Started["registered-only"], getInputsAndOutputs: true))!.ReadInputAs<RunRequest>()!;
        Assert.Equal(only, registeredOnly.WorkloadText);
        Assert.Equal(Core.Workloads.Registry.WorkloadContentHash.Of(only), registeredOnly.WorkloadHash);
    }

    [Fact]
    public async Task Tick_RegisteredVersionThatNoLongerLoads_IsSkippedAndReportedNotRun()
    {
        // Pushed while API_KEY was set; the app's settings no longer have it.
        var text = TestWorkloads.Valid("needs-secret", schedule: "nightly").Replace("method: GET", "method: GET\n  headers:\n    x-api-key: \"${env:API_KEY}\"", StringComparison.Ordinal);
        await _registry.PushAsync("needs-secret", text, "nightly", "test", CancellationToken.None);
        await TickAtAsync(1, 59);

        var result = await TickAtAsync(2, 0);

        Assert.DoesNotContain("needs-secret", result.Started.Keys);
        Assert.Contains(result.Skipped, f => f.Path == "registry:needs-secret@v1" && f.Errors.Any(e => e.Message.Contains("API_KEY", StringComparison.Ordinal)));
    }

    private async Task<ScheduleTickResult> TickAtAsync(
        int hour,
        int minute,
        int second = 0,
        int day = 0,
        ScheduleSettings? settings = null,
        IArtifactStore? artifacts = null,
        DateTimeOffset? lastChecked = null)
    {
        var store = artifacts ?? _artifacts;
        if (lastChecked is { } checkedAt)
        {
            foreach (var name in new[] { "nightly-a", "nightly-b", "every-hour", "every-week", "six-hourly", "nightly-elsewhere" })
            {
                await store.PutAsync(name, ArtifactFolders.Schedule, ScheduledRuns.StateBlobName, YardstickJson.ToUtf8(new ScheduleState { LastChecked = checkedAt }), "application/json", CancellationToken.None);
            }
        }

        _time.SetUtcNow(Sunday.AddDays(day).AddHours(hour).AddMinutes(minute).AddSeconds(second));
        var options = FunctionsServices.CreateHostOptions(Configuration(("YARDSTICK_ALLOWED_HOSTS", "127.0.0.1")));
        var workloads = new DeployedWorkloads(new FunctionsHostSettings { WorkloadDirectory = _workloads.Path }, options, _registry);
        var scheduler = new ScheduledRuns(workloads, new RunStarter(workloads, options, _time), store, settings ?? ScheduleSettings.Default, _time, _log);
        return await scheduler.TickAsync(Client, CancellationToken.None);
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();
}
