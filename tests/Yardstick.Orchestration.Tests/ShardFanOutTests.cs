using System.Collections.Concurrent;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Yardstick.Core.Load;
using Yardstick.Core.Measurements;
using Yardstick.Core.Runs;
using Yardstick.Orchestration.Activities;
using Yardstick.Orchestration.Contracts;
using Yardstick.Testing;

namespace Yardstick.Orchestration.Tests;

/// <summary>
/// Wide rounds on the real Durable engine (in memory), shard activities replaced by recorders: beyond
/// <see cref="ShardFanOut.GroupSize"/> shards a round is fanned out through <see cref="RunShardGroupOrchestrator"/>
/// groups, every shard runs exactly once, failures come back as failed shards, and persist gets a compact roster.
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
    public async Task Run_16Shards_FannedOutByTheRunItself()
    {
        var run = await RunAsync(shards: 16, repeat: 1, fail: _ => false);

        Assert.Equal(16, run.Shards.Select(s => s.Task.ShardIndex).Distinct().Count());
        Assert.All(run.Shards, s => Assert.Equal(RunId, s.ScheduledBy));
        Assert.Equal(RunStatus.Completed, run.Outcome.Status);
    }

    private const string RunId = "20260101-000000-fanout";

    private static async Task<RecordedRun> RunAsync(int shards, int repeat, Func<ShardTask, bool> fail)
    {
        var plan = new RunPlan { RunId = RunId, Workload = "w", Shards = shards, Repeat = repeat, Duration = TimeSpan.FromSeconds(1) };
        var ran = new ConcurrentQueue<(ShardTask Task, string ScheduledBy)>();
        PersistRequest? persisted = null;
        await using var host = await DurableTestHost.StartAsync(registry =>
        {
            registry.AddOrchestrator<BenchmarkRunOrchestrator>();
            registry.AddOrchestrator<RunShardGroupOrchestrator>();
            registry.AddActivityFunc<RunRequest, RunPlan>(nameof(PlanRunActivity), (_, _) => plan);
            registry.AddActivityFunc<ShardTask, ShardSummary>(nameof(RunLoadShardActivity), (context, task) =>
            {
                ran.Enqueue((task, context.InstanceId));
                if (fail(task))
                {
                    throw new ShardFailedException($"shard {task.Key} got no response");
                }

                return new ShardSummary
                {
                    Key = task.Key,
                    Phase = task.Phase,
                    Round = task.Round,
                    Variant = task.Variant,
                    ShardIndex = task.ShardIndex,
                    Requests = 10,
                    Successes = 10,
                    ResultRef = ShardResultNames.For(task),
                };
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
            nameof(BenchmarkRunOrchestrator), new RunRequest { RunId = RunId, WorkloadText = "name: w", ShardStartDelay = TimeSpan.Zero }, new StartOrchestrationOptions(RunId));
        using var cts = new CancellationTokenSource(Liveness);
        var done = await host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, cts.Token);

        Assert.True(done.RuntimeStatus == OrchestrationRuntimeStatus.Completed, done.FailureDetails?.ToString());
        return new RecordedRun([.. ran], persisted!, done.ReadOutputAs<RunOutcome>()!);
    }

    private sealed record RecordedRun(IReadOnlyList<(ShardTask Task, string ScheduledBy)> Shards, PersistRequest Persisted, RunOutcome Outcome);
}
