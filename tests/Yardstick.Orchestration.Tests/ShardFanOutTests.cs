using System.Collections.Concurrent;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging.Abstractions;
using Yardstick.Core.Load;
using Yardstick.Core.Measurements;
using Yardstick.Core.Runs;
using Yardstick.Orchestration.Activities;
using Yardstick.Orchestration.Contracts;
using Yardstick.Orchestration.Tests.TestSupport;
using Yardstick.Testing;

namespace Yardstick.Orchestration.Tests;

/// <summary>
/// Wide rounds on the real Durable engine (in memory), shard activities replaced by recorders: beyond
/// <see cref="ShardFanOut.GroupSize"/> shards a round is fanned out through <see cref="RunShardGroupOrchestrator"/>
/// groups, every shard runs exactly once, failures come back as failed shards, and persist gets a compact roster. With
/// <see cref="RunRequest.ShardGroupsInProcess"/> (the CLI's own runs) each group is one <see cref="RunLoadShardGroupActivity"/>
/// that retries its shards itself; without it (the Functions host, runs left to workers) every shard is its own activity.
/// </summary>
public sealed class ShardFanOutTests
{
    private static readonly TimeSpan Liveness = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Run_40ShardsTwoRounds_FansOutInGroupsOf16_EachShardOnce_FailedShardReported()
    {
        var run = await RunAsync(shards: 40, repeat: 2, fail: t => t.Round == 1 && t.ShardIndex == 37);

        // Every shard of both rounds ran exactly once (the failing one three times: the shard retry policy).
        var attempts = run.Shards.GroupBy(s => (s.Task.Round, s.Task.ShardIndex)).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(80, attempts.Count);
        Assert.All(attempts, a => Assert.Equal(a.Key == (1, 37) ? 3 : 1, a.Value));

        // ... scheduled by the group orchestration that owns it: shards 0–15, 16–31 and 32–39 of each round.
        Assert.All(run.Shards, s => Assert.Equal(
            ShardFanOut.InstanceId(new ShardGroupTask(RunId, "w", RunPhase.Measured, s.Task.Round, "", s.Task.ShardIndex / 16 * 16, 0, default)),
            s.ScheduledBy));

        // The Functions host and runs left to workers (ShardGroupsInProcess off): one shard activity per shard, no group activity.
        Assert.Empty(run.Groups);

        // Persist got a roster, not 80 summaries, that names the one failure; the run is degraded (79 of 80).
        Assert.Empty(run.Persisted.Shards);
        var all = run.Persisted.AllShards();
        Assert.Equal(80, all.Count);
        var failed = Assert.Single(all, s => !s.Succeeded);
        Assert.Equal((1, 37), (failed.Round, failed.ShardIndex));
        Assert.Contains("no response", failed.FailureReason, StringComparison.Ordinal);
        Assert.Equal(RunStatus.Degraded, run.Outcome.Status);
    }

    [Fact]
    public async Task Run_40ShardsTwoRounds_ShardGroupsInProcess_OneGroupActivityPerGroup_EachShardOnce_FailingShardRetriedInItsGroup()
    {
        // Shard 5 of round 0 fails its first attempt only; shard 37 of round 1 fails every attempt.
        var flaky = 0;
        var run = await RunAsync(shards: 40, repeat: 2, fail: t =>
            (t.Round == 1 && t.ShardIndex == 37) || (t.Round == 0 && t.ShardIndex == 5 && Interlocked.Increment(ref flaky) == 1), groupsInProcess: true);

        // One group activity per 16 shards (0–15, 16–31, 32–39 of each round), called by the run itself: no sub-orchestration.
        Assert.Equal(
            [(0, 0, 16), (0, 16, 16), (0, 32, 8), (1, 0, 16), (1, 16, 16), (1, 32, 8)],
            run.Groups.Select(g => (g.Task.Round, g.Task.FirstShard, g.Task.Count)).Order());
        Assert.All(run.Groups, g => Assert.Equal(RunId, g.ScheduledBy));

        // Each shard ran once inside its group; the failing ones as often as RunPolicies.Shard retries a shard activity.
        var attempts = run.Shards.GroupBy(s => (s.Task.Round, s.Task.ShardIndex)).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(80, attempts.Count);
        Assert.All(attempts, a => Assert.Equal(a.Key switch { (1, 37) => 3, (0, 5) => 2, _ => 1 }, a.Value));
        Assert.Equal(3, RunPolicies.Shard.Retry!.Policy!.MaxNumberOfAttempts);
        Assert.All(run.Shards, s => Assert.Equal("group", s.ScheduledBy));

        // The roster is the per-shard path's: the retried shard succeeded, the other failed with its last attempt's reason.
        var all = run.Persisted.AllShards();
        Assert.Equal(80, all.Count);
        var failed = Assert.Single(all, s => !s.Succeeded);
        Assert.Equal((1, 37), (failed.Round, failed.ShardIndex));
        Assert.Equal($"shard {ShardKey.Of(RunId, RunPhase.Measured, 1, "", 37)} got no response", failed.FailureReason);
        Assert.Equal(ShardResultNames.For(RunPhase.Measured, 1, "", 37), failed.ResultRef);
        Assert.Equal(RunStatus.Degraded, run.Outcome.Status);
    }

    [Fact]
    public async Task Run_40Shards_ShardGroupsInProcess_GroupAttemptFails_RetriedAndOnlyItsUnstoredShardsRun()
    {
        // The second group's first attempt stops after its first 4 shards (as when the host shuts down in it); they are
        // stored, so the retried attempt runs only the other 12.
        var stopped = 0;
        var run = await RunAsync(shards: 40, repeat: 1, fail: _ => false, groupsInProcess: true,
            stopGroupAfter: g => g.FirstShard == 16 && Interlocked.Increment(ref stopped) == 1 ? 4 : null);

        Assert.Equal([0, 16, 16, 32], run.Groups.Select(g => g.Task.FirstShard).Order());
        Assert.Equal(Enumerable.Range(0, 40), run.Shards.Select(s => s.Task.ShardIndex).Order());
        Assert.Equal(40, run.Persisted.AllShards().Count(s => s.Succeeded));
        Assert.Equal(RunStatus.Completed, run.Outcome.Status);
    }

    [Fact]
    public async Task Run_16Shards_ShardGroupsInProcess_StillOneShardActivityPerShard()
    {
        var run = await RunAsync(shards: 16, repeat: 1, fail: _ => false, groupsInProcess: true);

        Assert.Empty(run.Groups);
        Assert.Equal(16, run.Shards.Select(s => s.Task.ShardIndex).Distinct().Count());
        Assert.All(run.Shards, s => Assert.Equal(RunId, s.ScheduledBy));
    }

    [Fact]
    public async Task Run_16Shards_FannedOutByTheRunItself()
    {
        var run = await RunAsync(shards: 16, repeat: 1, fail: _ => false);

        Assert.Equal(16, run.Shards.Select(s => s.Task.ShardIndex).Distinct().Count());
        Assert.All(run.Shards, s => Assert.Equal(RunId, s.ScheduledBy));
        Assert.Equal(RunStatus.Completed, run.Outcome.Status);
    }

    private const string RunId = "20260101-000000-fanout";

    /// <summary>
    /// Runs the real run orchestrator with recorders for the shards: a shard activity (recorded as scheduled by the
    /// instance that called it) and the group activity's own retrying fan-out over the same recorder (recorded as
    /// scheduled by "group").
    /// </summary>
    private static async Task<RecordedRun> RunAsync(
        int shards, int repeat, Func<ShardTask, bool> fail, bool groupsInProcess = false, Func<ShardGroupTask, int?>? stopGroupAfter = null)
    {
        var plan = new RunPlan { RunId = RunId, Workload = "w", Shards = shards, Repeat = repeat, Duration = TimeSpan.FromSeconds(1) };
        var ran = new ConcurrentQueue<(ShardTask Task, string ScheduledBy)>();
        var groups = new ConcurrentQueue<(ShardGroupTask Task, string ScheduledBy)>();
        var stored = new ConcurrentDictionary<string, ShardSummary>();
        PersistRequest? persisted = null;
        ShardSummary Shard(ShardTask task, string scheduledBy)
        {
            ran.Enqueue((task, scheduledBy));
            if (fail(task))
            {
                throw new ShardFailedException($"shard {task.Key} got no response");
            }

            return TestRuns.TenGoodRequests(task);
        }

        await using var host = await DurableTestHost.StartAsync(registry =>
        {
            registry.AddOrchestrator<BenchmarkRunOrchestrator>();
            registry.AddOrchestrator<RunShardGroupOrchestrator>();
            registry.AddActivityFunc<RunRequest, RunPlan>(nameof(PlanRunActivity), (_, _) => plan);
            registry.AddActivityFunc<ShardTask, ShardSummary>(nameof(RunLoadShardActivity), (context, task) => Shard(task, context.InstanceId));
            registry.AddActivityFunc<ShardGroupTask, List<ShardSummary>>(nameof(RunLoadShardGroupActivity), (context, group) =>
            {
                groups.Enqueue((group, context.InstanceId));

                // A shard stored by an earlier attempt of its group is not run again (the real activity's listing decides that).
                if (stopGroupAfter?.Invoke(group) is { } stopAfter)
                {
                    foreach (var task in ShardFanOut.Tasks(group).Take(stopAfter))
                    {
                        stored[task.Key] = Shard(task, "group");
                    }

                    throw new OperationCanceledException("the host is shutting down");
                }

                return RunLoadShardGroupActivity.RunGroupAsync(
                    group,
                    task => Task.FromResult(stored.TryGetValue(task.Key, out var done) ? done : Shard(task, "group")),
                    RunPolicies.Shard.Retry!.Policy!,
                    TimeProvider.System,
                    NullLogger.Instance,
                    CancellationToken.None);
            });
            registry.AddActivityFunc<PersistRequest, RunOutcome>(nameof(PersistRunActivity), (_, request) =>
            {
                persisted = request;
                var measured = request.AllShards();
                var (status, failure) = PersistRunActivity.Decide(request.Plan, measured.Count, measured.Count(s => s.Succeeded), null, null);
                return new RunOutcome { RunId = request.Plan.RunId, Workload = request.Plan.Workload, Status = status, FailureReason = failure };
            });
            registry.AddActivityFunc<AnalyzeRequest, RunOutcome>(nameof(AnalyzeRunActivity), (_, request) => request.Outcome);
        });

        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync(
            nameof(BenchmarkRunOrchestrator),
            new RunRequest { RunId = RunId, WorkloadText = "name: w", ShardStartDelay = TimeSpan.Zero, ShardGroupsInProcess = groupsInProcess },
            new StartOrchestrationOptions(RunId));
        using var cts = new CancellationTokenSource(Liveness);
        var done = await host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, cts.Token);

        Assert.True(done.RuntimeStatus == OrchestrationRuntimeStatus.Completed, done.FailureDetails?.ToString());
        return new RecordedRun([.. ran], [.. groups], persisted!, done.ReadOutputAs<RunOutcome>()!);
    }

    private sealed record RecordedRun(
        IReadOnlyList<(ShardTask Task, string ScheduledBy)> Shards,
        IReadOnlyList<(ShardGroupTask Task, string ScheduledBy)> Groups,
        PersistRequest Persisted,
        RunOutcome Outcome);
}
