using System.Collections.Concurrent;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Yardstick.Core.Load;
using Yardstick.Core.Measurements;
using Yardstick.Core.Runs;
using Yardstick.Orchestration.Activities;
using Yardstick.Orchestration.Contracts;
using Yardstick.Orchestration.Tests.TestSupport;
using Yardstick.Testing;

namespace Yardstick.Orchestration.Tests;

/// <summary>
/// The sweep loop of <see cref="BenchmarkRunOrchestrator"/> on the real Durable engine (in memory): the activities are
/// replaced by recorders, so the order in which the orchestrator schedules them is what is checked.
/// </summary>
public sealed class BenchmarkRunOrchestratorSweepTests
{
    private static readonly TimeSpan Liveness = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Run_ThreeValuesTwoRounds_AppliesEachValueBeforeItsShards_InterleavedABCABC()
    {
        var run = await RunAsync(Plan(["A", "B", "C"], repeat: 2, shards: 2));

        Assert.Equal(
            ["apply r0 A", "measured r0 A", "apply r0 B", "measured r0 B", "apply r0 C", "measured r0 C",
             "apply r1 A", "measured r1 A", "apply r1 B", "measured r1 B", "apply r1 C", "measured r1 C", "restore completed"],
            run.Turns);
        Assert.Equal(12, run.Persisted!.AllShards().Count(s => s.Phase == RunPhase.Measured && s.Succeeded));
        Assert.Equal(RunStatus.Completed, run.Outcome.Status);

        // Six applies of 0.25 s settle each (measured inside the activity), and the orchestration's own "apply" time.
        Assert.Equal(1.5, run.Outcome.PhaseSeconds["settle"], 9);
        Assert.True(run.Outcome.PhaseSeconds.ContainsKey("apply"));
    }

    [Fact]
    public async Task Run_SweepWithWarmup_WarmsUpEachAppliedValue_AndNotBeforeTheFirstApply()
    {
        var run = await RunAsync(Plan(["A", "B"], repeat: 1, shards: 1, warmup: TimeSpan.FromSeconds(1)));

        Assert.Equal(["apply r0 A", "warmup r0 A", "measured r0 A", "apply r0 B", "warmup r0 B", "measured r0 B", "restore completed"], run.Turns);
    }

    [Fact]
    public async Task Run_SingleValueSweep_AppliesOnce_ConsecutiveEqualValuesAreNotReapplied()
    {
        var run = await RunAsync(Plan(["512"], repeat: 3, shards: 1));

        Assert.Equal(["apply r0 512", "measured r0 512", "measured r1 512", "measured r2 512", "restore completed"], run.Turns);
    }

    [Fact]
    public async Task Run_WithoutSweep_NeverAppliesSettings()
    {
        var run = await RunAsync(Plan([""], repeat: 2, shards: 1, warmup: TimeSpan.FromSeconds(1)));

        Assert.Equal(["warmup r0 ", "measured r0 ", "measured r1 "], run.Turns);
    }

    [Fact]
    public async Task Run_ValueThatCannotBeApplied_SkipsItsTurnAsFailedShards_AndReappliesNextRound()
    {
        // B fails in round 0 on every attempt (the retry policy tries three times); its shards must not run under
        // whatever settings the target was left with.
        var run = await RunAsync(Plan(["A", "B"], repeat: 2, shards: 2), failApply: t => t.Round == 0 && t.Variant == "B");

        Assert.Equal(["apply r0 A", "measured r0 A", "apply r1 A", "measured r1 A", "apply r1 B", "measured r1 B", "restore completed"], run.Turns.Where(t => !t.StartsWith("failed", StringComparison.Ordinal)));
        Assert.Equal(3, run.Turns.Count(t => t == "failed apply r0 B"));
        var skipped = run.Persisted!.AllShards().Where(s => !s.Succeeded).ToList();
        Assert.Equal(2, skipped.Count);
        Assert.All(skipped, s => Assert.Equal((0, "B", RunPhase.Measured), (s.Round, s.Variant, s.Phase)));
        Assert.All(skipped, s => Assert.Contains("sweep value B could not be applied", s.FailureReason, StringComparison.Ordinal));
        Assert.Equal(8, run.Persisted.AllShards().Count);
    }

    [Fact]
    public async Task Run_GridWithPlannedShuffledTurns_FollowsThePlan_ApplyingEachCellBeforeItsShards()
    {
        // A 2 × 2 grid planned as the RoundPlan shuffles it: the orchestrator walks the planned turns, whatever order.
        var cells = new[] { "A=1,B=1", "A=1,B=2", "A=2,B=1", "A=2,B=2" };
        var turns = RoundPlan.Turns(cells.Length, 2, RoundOrder.Shuffled, seed: 99);
        var run = await RunAsync(Plan(cells, repeat: 2, shards: 1) with { Turns = turns });

        var expected = turns.SelectMany(t => new[] { $"apply r{t.Round} {cells[t.Variant]}", $"measured r{t.Round} {cells[t.Variant]}" }).Append("restore completed").ToList();
        Assert.Equal(expected, run.Turns);
        Assert.NotEqual(cells, run.Turns.Where(t => t.StartsWith("measured r0", StringComparison.Ordinal)).Select(t => t[12..]));
    }

    [Fact]
    public async Task Run_SweepCompletes_RestoresSettingsOnceAfterTheLastTurn_AndReportsIt()
    {
        var run = await RunAsync(Plan(["A", "B"], repeat: 2, shards: 1));

        Assert.Equal(["apply r0 A", "measured r0 A", "apply r0 B", "measured r0 B", "apply r1 A", "measured r1 A", "apply r1 B", "measured r1 B", "restore completed"], run.Turns);
        Assert.Equal("completed", run.Outcome.SettingsRestored!.Reason);
        Assert.Equal("instanceMemoryMB", Assert.Single(run.Outcome.SettingsRestored.Settings).Parameter);
        Assert.True(run.Outcome.PhaseSeconds.ContainsKey("restore"));
    }

    [Fact]
    public async Task Run_WithoutSweep_RestoresNothing()
    {
        var run = await RunAsync(Plan([""], repeat: 1, shards: 1));

        Assert.DoesNotContain(run.Turns, t => t.StartsWith("restore", StringComparison.Ordinal));
        Assert.Null(run.Outcome.SettingsRestored);
    }

    [Fact]
    public async Task Run_RoundThrows_RestoresSettingsBeforeTheRunFails()
    {
        // Wide rounds go through RunShardGroupOrchestrator; a group that fails outright fails the run. The settings that
        // the sweep changed must still be put back, with the reason "failed".
        var run = await RunAsync(
            Plan(["A", "B"], repeat: 1, shards: ShardFanOut.GroupSize + 1),
            failGroup: group => group.Variant == "B",
            expectFailure: true);

        Assert.Equal(["apply r0 A", "measured r0 A", "apply r0 B", "restore failed"], run.Turns.Where(t => !t.StartsWith("measured r0 B", StringComparison.Ordinal)));
        Assert.Equal(OrchestrationRuntimeStatus.Failed, run.Status);
        Assert.Equal("restore failed", run.Turns[^1]);
    }

    [Fact]
    public async Task Run_RestoreKeepsFailing_RunStillCompletes_AndTheOutcomeSaysSettingsWereNotRestored()
    {
        var run = await RunAsync(Plan(["A"], repeat: 1, shards: 1), failRestore: true);

        Assert.Equal(RunStatus.Completed, run.Outcome.Status);
        Assert.False(run.Outcome.SettingsRestored!.Complete);
        Assert.Contains("ARM said no", run.Outcome.SettingsRestored.Failure, StringComparison.Ordinal);
    }

    private static RunPlan Plan(IReadOnlyList<string> variants, int repeat, int shards, TimeSpan warmup = default) => new()
    {
        RunId = "20260101-000000-abcdef",
        Workload = "sweep-test",
        Shards = shards,
        Repeat = repeat,
        Warmup = warmup,
        Duration = TimeSpan.FromSeconds(1),
        Variants = variants,
    };

    private static async Task<RecordedRun> RunAsync(
        RunPlan plan,
        Func<ApplySettingsTask, bool>? failApply = null,
        Func<ShardGroupTask, bool>? failGroup = null,
        bool failRestore = false,
        bool expectFailure = false)
    {
        var events = new ConcurrentQueue<string>();
        PersistRequest? persisted = null;
        await using var host = await DurableTestHost.StartAsync(registry =>
        {
            registry.AddOrchestrator<BenchmarkRunOrchestrator>();
            registry.AddActivityFunc<RunRequest, RunPlan>(nameof(PlanRunActivity), (_, _) => plan);
            registry.AddActivityFunc<ApplySettingsTask, ApplySettingsResult>(nameof(ApplySettingsActivity), (_, task) =>
            {
                if (failApply?.Invoke(task) == true)
                {
                    events.Enqueue($"failed apply r{task.Round} {task.Variant}");
                    throw new InvalidOperationException("the target did not serve again");
                }

                events.Enqueue($"apply r{task.Round} {task.Variant}");
                return new ApplySettingsResult { Variant = task.Variant, Round = task.Round, Parameter = "p", Target = "process", ApplySeconds = 0.5, SettleSeconds = 0.25 };
            });
            registry.AddActivityFunc<RestoreSettingsTask, SettingsRestore>(nameof(RestoreSettingsActivity), (_, task) =>
            {
                events.Enqueue($"restore {task.Reason}");
                if (failRestore)
                {
                    throw new InvalidOperationException("ARM said no");
                }

                return new SettingsRestore { Reason = task.Reason, Settings = [new RestoredSetting { Parameter = "instanceMemoryMB", Value = "2048" }] };
            });
            registry.AddOrchestratorFunc<ShardGroupTask, List<ShardSummary>>(nameof(RunShardGroupOrchestrator), async (context, group) =>
            {
                if (failGroup?.Invoke(group) == true)
                {
                    throw new InvalidOperationException("the group's orchestration failed");
                }

                return (await Task.WhenAll(ShardFanOut.Start(context, group))).ToList();
            });
            registry.AddActivityFunc<ShardTask, ShardSummary>(nameof(RunLoadShardActivity), (_, task) =>
            {
                events.Enqueue($"{task.Phase.ToString().ToLowerInvariant()} r{task.Round} {task.Variant}");
                return TestRuns.TenGoodRequests(task);
            });
            registry.AddActivityFunc<PersistRequest, RunOutcome>(nameof(PersistRunActivity), (_, request) =>
            {
                persisted = request;
                var measured = request.AllShards().Where(s => s.Phase == RunPhase.Measured).ToList();
                var (status, failure) = PersistRunActivity.Decide(request.Plan, measured.Count, measured.Count(s => s.Succeeded), null, null);
                return new RunOutcome { RunId = request.Plan.RunId, Workload = request.Plan.Workload, Status = status, FailureReason = failure };
            });

            // The analysis step follows persist; these tests are about the measured loop, so it passes the outcome through.
            registry.AddActivityFunc<AnalyzeRequest, RunOutcome>(nameof(AnalyzeRunActivity), (_, request) => request.Outcome);
        });

        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync(
            nameof(BenchmarkRunOrchestrator),
            new RunRequest { RunId = plan.RunId, WorkloadText = "name: sweep-test", ShardStartDelay = TimeSpan.Zero });
        using var cts = new CancellationTokenSource(Liveness);
        var done = await host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, cts.Token);

        Assert.True(
            done.RuntimeStatus == (expectFailure ? OrchestrationRuntimeStatus.Failed : OrchestrationRuntimeStatus.Completed),
            done.RuntimeStatus + " " + done.FailureDetails);

        // Shards of one turn run concurrently; one entry per turn keeps the order the orchestrator imposes.
        var turns = new List<string>();
        foreach (var e in events)
        {
            if (turns.Count == 0 || turns[^1] != e || e.StartsWith("failed", StringComparison.Ordinal))
            {
                turns.Add(e);
            }
        }

        return new RecordedRun(turns, persisted, expectFailure ? null! : done.ReadOutputAs<RunOutcome>()!, done.RuntimeStatus);
    }

    private sealed record RecordedRun(IReadOnlyList<string> Turns, PersistRequest? Persisted, RunOutcome Outcome, OrchestrationRuntimeStatus Status);
}
