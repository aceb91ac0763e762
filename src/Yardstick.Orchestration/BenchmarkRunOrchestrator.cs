using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Yardstick.Core;
using Yardstick.Core.Capacity;
using Yardstick.Core.Load;
using Yardstick.Core.Measurements;
using Yardstick.Core.Runs;
using Yardstick.Orchestration.Activities;
using Yardstick.Orchestration.Contracts;

namespace Yardstick.Orchestration;

/// <summary>
/// One benchmark run: plan → warm-up shards → measured shards fanned out (with a fault run's faults set off beside them at
/// their offsets, see <see cref="FaultStep"/>), <c>repeat</c> rounds (sweep variants
/// interleaved A B C A B C, grids shuffled per round: the plan's turns; a sweep's settings put back after them, also
/// when they fail) → persist → analyze. Deterministic (Durable replay): time comes from the context,
/// timing is measured inside activities, and nothing here does I/O.
/// </summary>
/// <remarks>
/// Seams for later steps are marked "Step:" — cold-start probes run before warm-up, cost sampling after the
/// measured rounds, analysis after persist. Phase timings: "apply" is the orchestration time of sweep settings changes,
/// "settle" the part of it the target took to serve again (measured inside the activity).
/// </remarks>
public sealed class BenchmarkRunOrchestrator : TaskOrchestrator<RunRequest, RunOutcome>
{
    public override async Task<RunOutcome> RunAsync(TaskOrchestrationContext context, RunRequest input)
    {
        var logger = context.CreateReplaySafeLogger<BenchmarkRunOrchestrator>();
        var clock = new PhaseClock(context);
        var startedAt = clock.Now;

        context.SetCustomStatus(new RunProgress { Phase = "plan" });
        RunPlan plan;
        try
        {
            plan = await context.CallActivityAsync<RunPlan>(nameof(PlanRunActivity), input, RunPolicies.Short);
        }
        catch (TaskFailedException e)
        {
            Log.PlanFailed(logger, input.RunId, e.FailureDetails.ErrorMessage);
            return new RunOutcome
            {
                RunId = input.RunId,
                Workload = "unknown",
                Status = RunStatus.Failed,
                FailureReason = "planning failed: " + e.FailureDetails.ErrorMessage,
                InvalidInput = e.FailureDetails.IsCausedBy<InputException>(),
            };
        }

        clock.Mark("plan");
        Log.Planned(logger, plan.RunId, plan.Workload, plan.Shards, plan.Repeat, plan.Variants.Count);
        try
        {
            return await RunPlannedAsync(context, input, plan, clock, startedAt, logger);
        }
        catch (TaskFailedException e)
        {
            // Whatever failed after planning (a step's activity or sub-orchestration, after its retries), the run's row
            // must not stay "running" once this orchestration has ended: record the failure, then fail as before.
            // The orchestration fails with that same sentence (not the engine's exception text), so the CLI's one line,
            // the task hub and the Runs row all say the same thing.
            var reason = $"{e.TaskName} failed: {e.FailureDetails.ErrorMessage}";
            Log.RunFailed(context.CreateReplaySafeLogger(RunFailureLog.Category), plan.RunId, reason);
            await RecordFailureAsync(context, plan, reason, logger);
            var failed = new RunOutcome { RunId = plan.RunId, Workload = plan.Workload, Status = RunStatus.Failed, FailureReason = reason, PhaseSeconds = clock.Seconds };
            await SendAlertsAsync(context, plan, failed, logger);
            await RecordTelemetryAsync(context, input, failed, logger);
            throw new RunStepFailedException(reason, e);
        }
    }

    /// <summary>Everything after planning: cold start, warm-up, the measured turns, cost, persist, analysis.</summary>
    private static async Task<RunOutcome> RunPlannedAsync(TaskOrchestrationContext context, RunRequest input, RunPlan plan, PhaseClock clock, DateTimeOffset startedAt, ILogger logger)
    {

        // Step: cold-start probes (sub-orchestration), before any load warms the target (or starts its process).
        var coldStart = await ColdStartStep.RunAsync(context, plan);
        if (coldStart is not null)
        {
            clock.Mark("coldStart");
        }

        var shards = new List<ShardSummary>();
        var totalMeasured = plan.Shards * plan.Repeat * plan.Variants.Count;

        // In a sweep every settings change recycles the target, so each applied variant gets its own warm-up (below).
        var sweep = plan.Variants[0].Length > 0;

        // Every setting the sweep changes is put back when the rounds end, whether they completed or threw (a failed
        // sub-orchestration, an activity out of retries): the finally below. A run terminated through Durable runs no more
        // orchestrator code: the Functions host's RestoreTerminatedRuns timer starts a RestoreSettingsOrchestrator for it.
        var ended = "failed";
        SettingsRestore? restored = null;

        // Step: faults (a fault run), set off beside the measured shards; an appSetting fault changes the app like a sweep.
        var faults = new List<Core.Faults.AppliedFault>();
        var changesSettings = sweep || plan.Faults.Any(f => f.Kind == Core.Workloads.FaultKind.AppSetting);
        CapacityResult? capacity = null;
        List<VariantCapacity>? capacities = null;
        try
        {
            if (plan.Capacity is { } studyPlan && sweep)
            {
                // A capacity study: one whole search per sweep variant, each under its settings (applied first, the
                // target recycled by it, each step with its own warm-up), in the plan's seeded first-round order.
                capacities = [];
                var mostSteps = 0;
                foreach (var index in plan.TurnsInOrder().Where(t => t.Round == 0).Select(t => t.Variant))
                {
                    var variant = plan.Variants[index];
                    context.SetCustomStatus(new RunProgress { Phase = "apply", Variant = variant, ShardsDone = shards.Count, ShardsTotal = totalMeasured });
                    var failure = await ApplyVariantAsync(context, plan, round: 0, index, variant, clock, logger);
                    clock.Mark("apply");
                    if (failure is not null)
                    {
                        capacities.Add(new VariantCapacity { Variant = variant, Failure = failure });
                        continue;
                    }

                    var result = await RunCapacityStepsAsync(context, input, plan, studyPlan, shards, clock, logger, variant);
                    capacities.Add(new VariantCapacity { Variant = variant, Result = result });
                    mostSteps = Math.Max(mostSteps, result.Steps.Count);
                }

                plan = plan with { Repeat = Math.Max(1, mostSteps) };
            }
            else if (plan.Capacity is { } capacityPlan)
            {
                // A capacity search: its steps are the measured rounds (validation refuses it with repeat).
                capacity = await RunCapacityStepsAsync(context, input, plan, capacityPlan, shards, clock, logger);
                plan = plan with { Repeat = capacity.Steps.Count };
            }
            else if (plan.Warmup > TimeSpan.Zero && !sweep && !plan.Recycle)
            {
                // A paired gate warms both sides alike (its variants are the candidate and the reference).
                foreach (var side in plan.Variants)
                {
                    await RunShardsAsync(context, input, plan, RunPhase.Warmup, round: 0, side, shardsDoneBefore: 0, totalMeasured);
                }

                clock.Mark("warmup");
            }

            string? applied = null;
            foreach (var (round, index) in plan.Capacity is null ? plan.TurnsInOrder() : [])
            {
                // Sweeps interleave A B C A B C (grids in a seeded order per round): each turn applies its value first
                // (not when the previous turn left it in force).
                var variant = plan.Variants[index];
                if (sweep && variant != applied)
                {
                    clock.Mark("measured");
                    context.SetCustomStatus(new RunProgress { Phase = "apply", Round = round, Rounds = plan.Repeat, Variant = variant, ShardsDone = shards.Count, ShardsTotal = totalMeasured });
                    var failure = await ApplyVariantAsync(context, plan, round, index, variant, clock, logger);
                    clock.Mark("apply");
                    applied = failure is null ? variant : null;
                    if (failure is not null)
                    {
                        shards.AddRange(SkippedShards(plan, round, variant, failure));
                        continue;
                    }

                    if (plan.Warmup > TimeSpan.Zero)
                    {
                        await RunShardsAsync(context, input, plan, RunPhase.Warmup, round, variant, shards.Count, totalMeasured);
                        clock.Mark("warmup");
                    }
                }

                if (plan.Recycle)
                {
                    // compare.recycle: a new target process and its own warm-up per round, so rounds are independent runs.
                    clock.Mark("measured");
                    context.SetCustomStatus(new RunProgress { Phase = "recycle", Round = round, Rounds = plan.Repeat, ShardsDone = shards.Count, ShardsTotal = totalMeasured });
                    var recycled = await context.CallActivityAsync<RecycleTargetResult>(
                        nameof(RecycleTargetActivity), new RecycleTargetTask(plan.RunId, plan.Workload, round), RunPolicies.Short);
                    clock.Mark("recycle");
                    clock.Add("settle", recycled.SettleSeconds);
                    if (plan.Warmup > TimeSpan.Zero)
                    {
                        await RunShardsAsync(context, input, plan, RunPhase.Warmup, round, variant, shards.Count, totalMeasured);
                        clock.Mark("warmup");
                    }
                }

                shards.AddRange(await RunShardsAsync(context, input, plan, RunPhase.Measured, round, variant, shards.Count, totalMeasured, faults: faults));
            }

            clock.Mark("measured");
            ended = "completed";
        }
        finally
        {
            if (changesSettings)
            {
                restored = await RestoreSettingsAsync(context, plan, ended, logger);
                clock.Mark("restore");
            }
        }

        // Step: cost sampling (modeled, and metered after a durable timer for Azure targets).
        var cost = await CostStep.RunAsync(context, plan, shards);
        if (cost is not null)
        {
            clock.Mark("cost");
        }

        context.SetCustomStatus(new RunProgress { Phase = "persist", ShardsDone = shards.Count, ShardsTotal = totalMeasured, Rounds = plan.Repeat });
        var outcome = await context.CallActivityAsync<RunOutcome>(
            nameof(PersistRunActivity),
            new PersistRequest
            {
                Plan = plan,
                Roster = ShardRoster.From(plan, shards),
                PhaseSeconds = clock.Seconds,
                StartedAt = startedAt,
                CompletedAt = clock.Now,
                ColdStart = coldStart,
                Cost = cost,
                Capacity = capacity,
                Capacities = capacities,
                Faults = faults,
                ShardStartTolerance = input.ShardStartTolerance,
            },
            RunPolicies.Short);
        clock.Mark("persist");

        // Analysis: baseline verdicts, thresholds, reports. A failure here fails the run: a gate must never pass
        // without the verdict it asked for.
        context.SetCustomStatus(new RunProgress { Phase = "analyze", ShardsDone = shards.Count, ShardsTotal = totalMeasured, Rounds = plan.Repeat });
        try
        {
            outcome = await context.CallActivityAsync<RunOutcome>(
                nameof(AnalyzeRunActivity),
                new AnalyzeRequest { Plan = plan, Outcome = outcome, Baseline = input.Baseline, AllowDatasetChange = input.AllowDatasetChange },
                RunPolicies.Short);
        }
        catch (TaskFailedException e)
        {
            Log.AnalysisFailed(logger, plan.RunId, e.FailureDetails.ErrorMessage);
            throw;
        }

        clock.Mark("analyze");

        // Step: alerts (regression, failed, threshold, drift), after the verdict; they never fail the run.
        var alerts = await SendAlertsAsync(context, plan, outcome, logger);
        if (plan.HasAlerts)
        {
            clock.Mark("alerts");
        }

        context.SetCustomStatus(new RunProgress { Phase = "done", ShardsDone = shards.Count, ShardsTotal = totalMeasured, Rounds = plan.Repeat });
        Log.Finished(logger, outcome.RunId, outcome.Status.ToString(), outcome.Requests);
        var finished = outcome with { PhaseSeconds = clock.Seconds, SettingsRestored = restored, Alerts = alerts };
        await RecordTelemetryAsync(context, input, finished, logger);
        return finished;
    }

    /// <summary>
    /// The capacity search's steps: each a warm-up and a measured round at the rate <see cref="CapacitySearch"/> asks
    /// for (round = step index, so every step's shard results stay apart), measured by
    /// <see cref="MeasureCapacityStepActivity"/> and judged by the search, until it ends (converged, autostop, generator
    /// limit, max rate or step budget). Deterministic on replay: the search only sees the activities' results. In a
    /// capacity study <c>variant</c> is the sweep variant in force (its steps' shards are named by it); empty otherwise.
    /// </summary>
    private static async Task<CapacityResult> RunCapacityStepsAsync(
        TaskOrchestrationContext context, RunRequest input, RunPlan plan, CapacityPlan capacityPlan, List<ShardSummary> shards, PhaseClock clock, ILogger logger, string variant = "")
    {
        var search = capacityPlan.NewSearch();
        var step = 0;

        // Progress shows "round <step>/<maxSteps>": the search decides how many steps it needs as it goes.
        plan = plan with { Repeat = capacityPlan.MaxSteps };
        while (search.NextRate is { } rate)
        {
            var total = capacityPlan.MaxSteps * plan.Shards * plan.Variants.Count;
            if (plan.Warmup > TimeSpan.Zero)
            {
                await RunShardsAsync(context, input, plan, RunPhase.Warmup, step, variant, shards.Count, total, rate);
                clock.Mark("warmup");
            }

            shards.AddRange(await RunShardsAsync(context, input, plan, RunPhase.Measured, step, variant, shards.Count, total, rate));
            clock.Mark("measured");
            var measurement = await context.CallActivityAsync<CapacityStepMeasurement>(
                nameof(MeasureCapacityStepActivity), new CapacityStepTask(plan.RunId, plan.Workload, step, plan.Shards, rate) { Variant = variant }, RunPolicies.Short);
            var judged = search.Record(measurement);
            Log.CapacityStep(logger, plan.RunId, step, rate, judged.Outcome.ToString());
            step++;
        }

        return search.Result();
    }

    /// <summary>
    /// Sends the run's alerts (<see cref="SendAlertsActivity"/>) when its plan has any. Delivery problems are recorded by the
    /// activity; should the activity itself fail (storage gone), that is logged and the run goes on as it would have.
    /// </summary>
    private static async Task<IReadOnlyList<AlertResult>> SendAlertsAsync(TaskOrchestrationContext context, RunPlan plan, RunOutcome outcome, ILogger logger)
    {
        if (!plan.HasAlerts)
        {
            return [];
        }

        context.SetCustomStatus(new RunProgress { Phase = "alerts", Rounds = plan.Repeat });
        try
        {
            return await context.CallActivityAsync<IReadOnlyList<AlertResult>>(
                nameof(SendAlertsActivity), new AlertRequest { RunId = plan.RunId, Workload = plan.Workload, Outcome = outcome }, RunPolicies.Short);
        }
        catch (TaskFailedException e)
        {
            Log.AlertsNotSent(logger, plan.RunId, e.FailureDetails.ErrorMessage);
            return [];
        }
    }

    /// <summary>
    /// The run's telemetry (<see cref="RecordRunTelemetryActivity"/>), when the host asked for it: its workers export it,
    /// since no process waits for the run. Best effort, like alerts: a failure is logged and the run ends as it would have.
    /// </summary>
    private static async Task RecordTelemetryAsync(TaskOrchestrationContext context, RunRequest input, RunOutcome outcome, ILogger logger)
    {
        if (!input.RecordTelemetry)
        {
            return;
        }

        try
        {
            await context.CallActivityAsync<bool>(
                nameof(RecordRunTelemetryActivity), new RunTelemetryRequest { RunId = outcome.RunId, Workload = outcome.Workload, Outcome = outcome }, RunPolicies.Short);
        }
        catch (TaskFailedException e)
        {
            Log.TelemetryNotRecorded(logger, outcome.RunId, e.FailureDetails.ErrorMessage);
        }
    }

    /// <summary>Best effort: if even this fails (storage gone), the CLI's history shows the run as interrupted or failed from the task hub.</summary>
    private static async Task RecordFailureAsync(TaskOrchestrationContext context, RunPlan plan, string reason, ILogger logger)
    {
        try
        {
            await context.CallActivityAsync<bool>(
                nameof(RecordRunFailureActivity),
                new RunFailure { RunId = plan.RunId, Workload = plan.Workload, Reason = reason },
                RunPolicies.Short);
        }
        catch (TaskFailedException e)
        {
            Log.FailureNotRecorded(logger, plan.RunId, e.FailureDetails.ErrorMessage);
        }
    }

    /// <summary>
    /// Applies a sweep value (<see cref="ApplySettingsActivity"/>), adding its settle time to the phase timings. Returns
    /// null, or why the value could not be applied after the retries: the variant's turn is then skipped (its shards are
    /// reported failed, never measured under unknown settings) and the run's status follows <c>minShardSuccess</c>.
    /// </summary>
    private static async Task<string?> ApplyVariantAsync(TaskOrchestrationContext context, RunPlan plan, int round, int index, string variant, PhaseClock clock, ILogger logger)
    {
        try
        {
            var result = await context.CallActivityAsync<ApplySettingsResult>(
                nameof(ApplySettingsActivity), new ApplySettingsTask(plan.RunId, plan.Workload, round, index, variant), RunPolicies.Short);
            clock.Add("settle", result.SettleSeconds);
            return null;
        }
        catch (TaskFailedException e)
        {
            Log.SettingsFailed(logger, plan.RunId, variant, round, e.FailureDetails.ErrorMessage);
            return $"sweep value {variant} could not be applied: {e.FailureDetails.ErrorMessage}";
        }
    }

    /// <summary>
    /// Puts back what the sweep changed (<see cref="RestoreSettingsActivity"/>). A restore that still fails after the
    /// retries is logged and reported in the outcome, never thrown: it must not hide why the run itself ended.
    /// </summary>
    private static async Task<SettingsRestore> RestoreSettingsAsync(TaskOrchestrationContext context, RunPlan plan, string reason, ILogger logger)
    {
        context.SetCustomStatus(new RunProgress { Phase = "restore", Rounds = plan.Repeat });
        try
        {
            return await context.CallActivityAsync<SettingsRestore>(
                nameof(RestoreSettingsActivity), new RestoreSettingsTask(plan.RunId, plan.Workload, reason), RunPolicies.Short);
        }
        catch (TaskFailedException e)
        {
            Log.SettingsNotRestored(logger, plan.RunId, e.FailureDetails.ErrorMessage);
            return new SettingsRestore { Reason = reason, Failure = e.FailureDetails.ErrorMessage };
        }
    }

    private static IEnumerable<ShardSummary> SkippedShards(RunPlan plan, int round, string variant, string reason) =>
        Enumerable.Range(0, plan.Shards).Select(shard => new ShardSummary
        {
            Key = ShardKey.Of(plan.RunId, RunPhase.Measured, round, variant, shard),
            Phase = RunPhase.Measured,
            Round = round,
            Variant = variant,
            ShardIndex = shard,
            ResultRef = ShardResultNames.For(RunPhase.Measured, round, variant, shard),
            FailureReason = reason,
        });

    /// <summary>
    /// Fans out one round's shards with a common start time and collects them as they finish: directly up to
    /// <see cref="ShardFanOut.GroupSize"/> shards, in <see cref="RunShardGroupOrchestrator"/> groups beyond (so the cost
    /// of a wide round grows linearly with its shards; progress then moves a group at a time), or in
    /// <see cref="RunLoadShardGroupActivity"/> groups on a single-process host (<see cref="RunRequest.ShardGroupsInProcess"/>).
    /// </summary>
    private static async Task<List<ShardSummary>> RunShardsAsync(
        TaskOrchestrationContext context,
        RunRequest input,
        RunPlan plan,
        RunPhase phase,
        int round,
        string variant,
        int shardsDoneBefore,
        int totalMeasured,
        double? ratePerSecond = null,
        List<Core.Faults.AppliedFault>? faults = null)
    {
        var startAt = new DateTimeOffset(context.CurrentUtcDateTime, TimeSpan.Zero) + input.ShardStartDelay;

        // A fault run's faults count their offsets from the shards' common start (validation allows one measured round).
        var faultTasks = faults is not null && phase == RunPhase.Measured ? FaultStep.Start(context, plan, startAt) : [];
        var groups = ShardFanOut.Groups(plan.RunId, plan.Workload, phase, round, variant, plan.Shards, startAt, ratePerSecond).ToList();
        var pending = groups.Count == 1
            ? ShardFanOut.Start(context, groups[0]).Select(async shard => new List<ShardSummary> { await shard }).ToList()
            : input.ShardGroupsInProcess
                // A single-process host: one activity per group, its shards retried inside it. A group attempt fails only
                // when the host stops in it (or its listing fails): retried like a shard, the next attempt (on resume)
                // runs only the shards without a stored success; a group out of attempts fails the run, as a failed
                // group sub-orchestration does.
                ? groups.Select(group => context.CallActivityAsync<List<ShardSummary>>(nameof(RunLoadShardGroupActivity), group, RunPolicies.Shard)).ToList()
                : groups.Select(group => context.CallSubOrchestratorAsync<List<ShardSummary>>(
                    nameof(RunShardGroupOrchestrator), group, new SubOrchestrationOptions(new TaskOptions(retry: null), ShardFanOut.InstanceId(group)))).ToList();

        var done = new List<ShardSummary>(plan.Shards);
        var phaseName = phase == RunPhase.Warmup ? "warmup" : "measured";
        context.SetCustomStatus(Progress(phaseName, round, plan, variant, shardsDoneBefore, totalMeasured));
        while (pending.Count > 0)
        {
            var finished = await Task.WhenAny(pending);
            pending.Remove(finished);
            done.AddRange(await finished);
            if (phase == RunPhase.Measured)
            {
                context.SetCustomStatus(Progress(phaseName, round, plan, variant, shardsDoneBefore + done.Count, totalMeasured));
            }
        }

        if (faultTasks.Count > 0)
        {
            faults!.AddRange(await Task.WhenAll(faultTasks));
        }

        return done.OrderBy(s => s.ShardIndex).ToList();
    }

    private static RunProgress Progress(string phase, int round, RunPlan plan, string variant, int done, int total) => new()
    {
        Phase = phase,
        Round = round,
        Rounds = plan.Repeat,
        Variant = variant,
        ShardsDone = done,
        ShardsTotal = total,
    };

    /// <summary>Replay-safe phase timing from the orchestration clock.</summary>
    private sealed class PhaseClock(TaskOrchestrationContext context)
    {
        private readonly Dictionary<string, double> _seconds = [];
        private DateTime _last = context.CurrentUtcDateTime;

        public DateTimeOffset Now => new(context.CurrentUtcDateTime, TimeSpan.Zero);

        public IReadOnlyDictionary<string, double> Seconds => new Dictionary<string, double>(_seconds);

        public void Mark(string phase)
        {
            var now = context.CurrentUtcDateTime;
            _seconds[phase] = _seconds.GetValueOrDefault(phase) + (now - _last).TotalSeconds;
            _last = now;
        }

        /// <summary>Adds a duration measured inside an activity (for example the settle part of "apply").</summary>
        public void Add(string phase, double seconds) => _seconds[phase] = _seconds.GetValueOrDefault(phase) + seconds;
    }
}
