using Microsoft.DurableTask;
using Yardstick.Core.Summaries;
using Yardstick.Core.Workloads;
using Yardstick.Orchestration.Contracts;

namespace Yardstick.Orchestration;

/// <summary>The run's cold-start step: the probes sub-orchestration, whose failure is reported but does not fail the run.</summary>
public static class ColdStartStep
{
    /// <summary>Null when the plan asks for no probes.</summary>
    public static async Task<ColdStartSummary?> RunAsync(TaskOrchestrationContext context, RunPlan plan)
    {
        if (plan.ColdStartPlan is not { } coldStart)
        {
            return null;
        }

        context.SetCustomStatus(new RunProgress { Phase = "cold-start", Rounds = plan.Repeat });
        try
        {
            // A fixed child id: a replayed or resumed run finds the same sub-orchestration.
            return await context.CallSubOrchestratorAsync<ColdStartSummary>(
                nameof(ProbeColdStartsOrchestrator),
                new ProbeColdStartsRequest(plan.RunId, plan.Workload, coldStart),
                new SubOrchestrationOptions(new TaskOptions(retry: null), plan.RunId + "-coldstart"));
        }
        catch (TaskFailedException e)
        {
            return new ColdStartSummary
            {
                Strategy = StrategyName(coldStart.Strategy),
                Notes = ["cold-start probes failed: " + e.FailureDetails.ErrorMessage],
            };
        }
    }

    /// <summary>The strategy as written in workload files (<c>appSetting</c>…).</summary>
    public static string StrategyName(ColdStartStrategy strategy) =>
        char.ToLowerInvariant(strategy.ToString()[0]) + strategy.ToString()[1..];
}
