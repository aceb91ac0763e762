using Microsoft.DurableTask;
using Yardstick.Core.Cost;
using Yardstick.Core.Measurements;
using Yardstick.Core.Summaries;
using Yardstick.Orchestration.Activities;
using Yardstick.Orchestration.Contracts;

namespace Yardstick.Orchestration;

/// <summary>
/// The run's cost step, after the measured rounds: the modeled cost (an activity over the stored shard results) and,
/// for Azure targets, the metered cost — a durable timer waits out Azure Monitor's ingestion delay, then an activity
/// reads the billing metrics; when they have not landed yet it waits again, a bounded number of times, then reports
/// "metered unavailable"; with an App Insights workspace, an activity then reads the server-side durations and
/// instances and models the cost from them too. Deterministic: the summary is built from activity results with pure code.
/// </summary>
public static class CostStep
{
    /// <summary>Null when the plan has no cost section.</summary>
    public static async Task<CostSummary?> RunAsync(TaskOrchestrationContext context, RunPlan plan, IReadOnlyList<ShardSummary> shards)
    {
        if (plan.CostPlan is not { } costPlan)
        {
            return null;
        }

        context.SetCustomStatus(new RunProgress { Phase = "cost", Rounds = plan.Repeat, ShardsDone = shards.Count, ShardsTotal = shards.Count });
        CostSample sample;
        try
        {
            sample = await context.CallActivityAsync<CostSample>(
                nameof(SampleCostActivity),
                new CostSampleRequest { RunId = plan.RunId, Workload = plan.Workload, Roster = ShardRoster.From(plan, shards) },
                RunPolicies.Short);
        }
        catch (TaskFailedException e)
        {
            return CostSummaries.Build(costPlan.Spec, null, null, null, [.. costPlan.Notes, "modeled cost failed: " + e.FailureDetails.ErrorMessage]);
        }

        var notes = new List<string>(costPlan.Notes);
        CostEstimate? metered = null;
        if (costPlan.Metered && sample is { From: { } from, To: { } to, Modeled.Requests: > 0 })
        {
            string? reason = null;
            var attempts = Math.Max(1, costPlan.MeteredAttempts);
            var waited = TimeSpan.Zero;
            for (var attempt = 1; attempt <= attempts && metered is null; attempt++)
            {
                // Timers cost nothing while they wait; the first waits out the ingestion delay, later ones half of it.
                var wait = attempt == 1 ? costPlan.MeteredDelay : costPlan.MeteredDelay / 2;
                await context.CreateTimer(wait, CancellationToken.None);
                waited += wait;
                try
                {
                    var result = await context.CallActivityAsync<MeteredCostResult>(
                        nameof(ReadMeteredCostActivity),
                        new MeteredCostRequest
                        {
                            RunId = plan.RunId,
                            Workload = plan.Workload,
                            From = from,
                            To = to,
                            ExpectedExecutions = sample.Modeled!.Requests,
                            Last = attempt == attempts,
                        },
                        RunPolicies.Short);
                    metered = result.Metered;
                    reason = result.Note;
                }
                catch (TaskFailedException e)
                {
                    reason = e.FailureDetails.ErrorMessage;
                }
            }

            if (metered is null)
            {
                notes.Add($"metered unavailable: {reason ?? "no data"} ({attempts} read(s) over {waited.TotalMinutes:0.#} min after the run)");
            }
        }

        var (server, serverModeled) = await ReadServerTelemetryAsync(context, plan, costPlan, sample, timerDone: costPlan.Metered, notes);
        return CostSummaries.Build(costPlan.Spec, sample.Modeled, metered, sample.BenchmarkCostUsd, [.. notes, .. sample.Notes], serverModeled, server);
    }

    /// <summary>
    /// App Insights' view of the measured window (server durations, instances) and the cost modeled from it. Its
    /// ingestion takes 20 s to 3 min (AZURE-FACTS §3): after the metered timers it has landed; without them one timer
    /// of the metered delay waits first. Any failure becomes a "server durations unavailable" note, never a failed run.
    /// </summary>
    private static async Task<(ServerTelemetrySummary? Server, CostEstimate? Modeled)> ReadServerTelemetryAsync(
        TaskOrchestrationContext context, RunPlan plan, CostPlan costPlan, CostSample sample, bool timerDone, List<string> notes)
    {
        if (!costPlan.ServerTelemetry || sample is not { From: { } from, To: { } to, Modeled.Requests: > 0 })
        {
            return (null, null);
        }

        if (!timerDone)
        {
            await context.CreateTimer(costPlan.MeteredDelay, CancellationToken.None);
        }

        try
        {
            var result = await context.CallActivityAsync<ServerTelemetryResult>(
                nameof(ReadServerTelemetryActivity),
                new ServerTelemetryRequest { RunId = plan.RunId, Workload = plan.Workload, From = from, To = to, ExpectedExecutions = sample.Modeled!.Requests },
                RunPolicies.Short);
            notes.AddRange(result.Notes);
            if (result.Server is null)
            {
                notes.Add($"server durations unavailable: {result.Note ?? "no data"}");
            }

            return (result.Server, result.Server is null ? null : result.ServerModeled);
        }
        catch (TaskFailedException e)
        {
            notes.Add($"server durations unavailable: {e.FailureDetails.ErrorMessage}");
            return (null, null);
        }
    }
}
