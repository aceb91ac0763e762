using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Yardstick.Core.Runs;
using Yardstick.Functions.Hosting;
using Yardstick.Functions.Nightly;
using Yardstick.Functions.Tests.TestSupport;
using Yardstick.Orchestration;
using Yardstick.Orchestration.Contracts;
using Yardstick.Testing;

namespace Yardstick.Functions.Tests.Nightly;

/// <summary>The nightly timer's work against a real (in-memory) Durable client.</summary>
public sealed class NightlySchedulerTests : IAsyncLifetime, IDisposable
{
    private static readonly DateTimeOffset TwoAm = new(2026, 11, 29, 2, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(TwoAm);
    private readonly ListLogger<NightlyScheduler> _log = new();
    private readonly WorkloadFolder _workloads = new(new Dictionary<string, string>
    {
        ["a.yaml"] = TestWorkloads.Valid("nightly-a", schedule: "nightly"),
        ["b.yaml"] = TestWorkloads.Valid("nightly-b", schedule: "nightly"),
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
    public async Task Run_NightlyWorkloads_StartsEachTaggedNightlyAndReportsTheRest()
    {
        var result = await Scheduler().RunAsync(Client, CancellationToken.None);

        Assert.Equal(["nightly-a", "nightly-b"], result.Started.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("nightly-elsewhere", Assert.Single(result.Refused).Key);
        Assert.Contains("target.url", result.Refused["nightly-elsewhere"], StringComparison.Ordinal);
        Assert.Equal("broken.yaml", Path.GetFileName(Assert.Single(result.Skipped).Path));
        Assert.Contains(_log.Lines, l => l.Level == LogLevel.Warning && l.Message.Contains("broken.yaml", StringComparison.Ordinal) && l.Message.Contains("load.rate", StringComparison.Ordinal));

        foreach (var (workload, runId) in result.Started)
        {
            Assert.True(RunIds.IsValid(runId), runId);
            Assert.StartsWith("20261129-", runId, StringComparison.Ordinal);
            var request = (await Client.GetInstanceAsync(runId, getInputsAndOutputs: true))!.ReadInputAs<RunRequest>()!;
            Assert.Equal("nightly", request.Tags["trigger"]);
            Assert.StartsWith("workloads/", request.WorkloadSource, StringComparison.Ordinal);
            Assert.Contains("name: " + workload, request.WorkloadText, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Run_FiredTwiceTheSameNight_StartsNothingTheSecondTime()
    {
        var first = await Scheduler().RunAsync(Client, CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(40));

        var second = await Scheduler().RunAsync(Client, CancellationToken.None);

        Assert.Empty(second.Started);
        Assert.Equal(first.Started, second.AlreadyStarted);
    }

    [Fact]
    public async Task Run_NextNight_StartsNewRuns()
    {
        var first = await Scheduler().RunAsync(Client, CancellationToken.None);
        _time.Advance(TimeSpan.FromDays(1));

        var next = await Scheduler().RunAsync(Client, CancellationToken.None);

        Assert.Equal(first.Started.Keys.Order(), next.Started.Keys.Order());
        Assert.All(next.Started, kv => Assert.NotEqual(first.Started[kv.Key], kv.Value));
        Assert.All(next.Started.Values, id => Assert.StartsWith("20261130-", id, StringComparison.Ordinal));
    }

    [Fact]
    public void RunId_SameWorkloadAndNight_IsStableValidAndDistinctPerWorkloadAndNight()
    {
        var night = new DateOnly(2026, 11, 29);

        var a = NightlyScheduler.RunId("nightly-a", night, new HashSet<string>());
        var again = NightlyScheduler.RunId("nightly-a", night, new HashSet<string>());
        var b = NightlyScheduler.RunId("nightly-b", night, new HashSet<string>());
        var nextNight = NightlyScheduler.RunId("nightly-a", night.AddDays(1), new HashSet<string>());

        Assert.Equal(a, again);
        Assert.True(RunIds.IsValid(a), a);
        Assert.Equal(new DateTimeOffset(2026, 11, 29, 0, 0, 0, TimeSpan.Zero), RunIds.CreatedAt(a));
        Assert.NotEqual(a, b);
        Assert.NotEqual(a[16..], nextNight[16..]);
    }

    [Fact]
    public void RunId_TakenAlready_RehashesToAnotherValidId()
    {
        var night = new DateOnly(2026, 11, 29);
        var used = new HashSet<string>();
        var first = NightlyScheduler.RunId("nightly-a", night, used);

        var second = NightlyScheduler.RunId("nightly-a", night, used);

        Assert.NotEqual(first, second);
        Assert.True(RunIds.IsValid(second), second);
    }

    private NightlyScheduler Scheduler()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [AppSettings.AllowedHosts] = "127.0.0.1" }).Build();
        var options = FunctionsServices.CreateHostOptions(configuration);
        var workloads = new DeployedWorkloads(new FunctionsHostSettings { WorkloadDirectory = _workloads.Path }, options);
        return new NightlyScheduler(workloads, new RunStarter(workloads, options, _time), _time, _log);
    }
}
