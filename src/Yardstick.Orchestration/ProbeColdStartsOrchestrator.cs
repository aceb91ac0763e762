using Microsoft.DurableTask;
using Yardstick.Core.ColdStart;
using Yardstick.Core.Summaries;
using Yardstick.Core.Workloads;
using Yardstick.Orchestration.Activities;
using Yardstick.Orchestration.Contracts;

namespace Yardstick.Orchestration;

/// <summary>
/// Cold-start probes of a run (a sub-orchestration, before any load warms the target): for each probe in sequence,
/// force a cold start by the workload's strategy, then time the first request and a few warm ones. <c>process</c>: one
/// activity starts the target fresh, probes it and kills it. <c>restart</c> / <c>appSetting</c>: an activity forces
/// through ARM, a durable timer waits <c>settle</c>, a probe activity measures. <c>idle</c>: one priming request
/// first (so the first wait starts from a warm target, whose instance is then known), then per probe a durable timer
/// waits its idle time (timers cost nothing; an eviction curve cycles through <c>idleTimes</c>) and the probe follows;
/// each probe's own requests start the next wait. Finally an activity classifies the probes, stores <c>probes.json</c>
/// and returns the summary. Deterministic: time from the context, no I/O here.
/// </summary>
public sealed class ProbeColdStartsOrchestrator : TaskOrchestrator<ProbeColdStartsRequest, ColdStartSummary>
{
    public override async Task<ColdStartSummary> RunAsync(TaskOrchestrationContext context, ProbeColdStartsRequest input)
    {
        var plan = input.Plan;
        var notes = new List<string>();
        string? primedInstance = null;
        if (plan.Strategy == ColdStartStrategy.Idle)
        {
            (primedInstance, var note) = await PrimeAsync(context, input);
            if (note is not null)
            {
                notes.Add(note);
            }
        }

        var probes = new List<ColdStartProbe>(plan.Probes);
        for (var index = 0; index < plan.Probes; index++)
        {
            probes.Add(await ProbeOnceAsync(context, input, index));
        }

        // Probes without an instance header are resolved from App Insights, whose records land minutes late.
        var useTelemetry = plan.UseTelemetry && probes.Any(p => p.First is { InstanceId: null });
        if (useTelemetry && plan.TelemetryDelay > TimeSpan.Zero)
        {
            await context.CreateTimer(plan.TelemetryDelay, CancellationToken.None);
        }

        return await context.CallActivityAsync<ColdStartSummary>(
            nameof(SummarizeColdStartsActivity),
            new SummarizeColdStartsRequest
            {
                RunId = input.RunId,
                Workload = input.Workload,
                Strategy = plan.Strategy,
                Probes = probes,
                UseTelemetry = useTelemetry,
                PrimedInstance = primedInstance,
                Notes = notes,
            },
            RunPolicies.Short);
    }

    /// <summary>
    /// The idle strategy's priming request: makes the target serve (a local process is started) and learns the warm
    /// instance. Its failure is a note, not the end: the first probe then just finds whatever the target has.
    /// </summary>
    private static async Task<(string? Instance, string? Note)> PrimeAsync(TaskOrchestrationContext context, ProbeColdStartsRequest input)
    {
        try
        {
            var primed = await context.CallActivityAsync<ColdStartProbe>(
                nameof(ProbeColdStartActivity), new ColdStartProbeTask(input.RunId, input.Workload, Index: -1, Prime: true), RunPolicies.Short);
            return primed.Failure is { } failure ? (null, "priming request before the first idle wait failed: " + failure) : (primed.InstanceId, null);
        }
        catch (TaskFailedException e)
        {
            return (null, "priming request before the first idle wait failed: " + e.FailureDetails.ErrorMessage);
        }
    }

    /// <summary>One probe; a probe whose activities fail after their retries is recorded as failed, and the next one runs.</summary>
    private static async Task<ColdStartProbe> ProbeOnceAsync(TaskOrchestrationContext context, ProbeColdStartsRequest input, int index)
    {
        var task = new ColdStartProbeTask(input.RunId, input.Workload, index);
        try
        {
            switch (input.Plan.Strategy)
            {
                case ColdStartStrategy.Process:
                    return await context.CallActivityAsync<ColdStartProbe>(nameof(ProbeProcessColdStartActivity), task, RunPolicies.Short);

                case ColdStartStrategy.Restart or ColdStartStrategy.AppSetting:
                    var forced = await context.CallActivityAsync<ForcedColdStart>(nameof(ForceColdStartActivity), task, RunPolicies.Short);
                    if (input.Plan.Settle > TimeSpan.Zero)
                    {
                        await context.CreateTimer(input.Plan.Settle, CancellationToken.None);
                    }

                    var probe = await context.CallActivityAsync<ColdStartProbe>(
                        nameof(ProbeColdStartActivity), task with { ForcedAt = forced.ForcedAt, Counter = forced.Counter }, RunPolicies.Short);
                    // A probe that failed after an app that never reported Running says so.
                    return forced.Note is not null && probe.Failure is { } failure ? probe with { Failure = $"{failure} ({forced.Note})" } : probe;

                case ColdStartStrategy.Idle:
                    var idle = input.Plan.IdleTimeOf(index);
                    await context.CreateTimer(idle, CancellationToken.None);
                    var idleEnd = new DateTimeOffset(context.CurrentUtcDateTime, TimeSpan.Zero);
                    var idleProbe = await context.CallActivityAsync<ColdStartProbe>(nameof(ProbeColdStartActivity), task with { ForcedAt = idleEnd }, RunPolicies.Short);
                    return idleProbe with { IdleSeconds = idle.TotalSeconds };

                default:
                    return new ColdStartProbe { Index = index, Failure = $"strategy {input.Plan.Strategy} forces no cold start" };
            }
        }
        catch (TaskFailedException e)
        {
            return new ColdStartProbe
            {
                Index = index,
                ForcedAt = new DateTimeOffset(context.CurrentUtcDateTime, TimeSpan.Zero),
                Failure = "probe failed: " + e.FailureDetails.ErrorMessage,
                IdleSeconds = input.Plan.Strategy == ColdStartStrategy.Idle ? input.Plan.IdleTimeOf(index).TotalSeconds : null,
            };
        }
    }
}
