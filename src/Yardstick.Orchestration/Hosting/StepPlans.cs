using Yardstick.Core.Cost;
using Yardstick.Core.Workloads;
using Yardstick.Orchestration.Contracts;

namespace Yardstick.Orchestration.Hosting;

/// <summary>The cold-start, fault and cost parts of a run plan, decided once at planning from the workload and the host.</summary>
public static class StepPlans
{
    /// <summary>Null when the workload asks for no probes.</summary>
    public static ColdStartPlan? ColdStart(Workload workload, YardstickHostOptions options)
    {
        var spec = workload.ColdStart;
        if (spec.Strategy == ColdStartStrategy.None || spec.Probes <= 0)
        {
            return null;
        }

        // An eviction curve probes each of its idle times `probes` times.
        IReadOnlyList<TimeSpan> idleTimes = spec.Strategy == ColdStartStrategy.Idle ? spec.EffectiveIdleTimes : [];
        return new ColdStartPlan
        {
            Strategy = spec.Strategy,
            Probes = spec.Probes * Math.Max(1, idleTimes.Count),
            IdleTime = spec.IdleTime,
            IdleTimes = idleTimes,
            Settle = spec.Settle,
            UseTelemetry = options.AzureAccess && workload.Target.Azure?.LogAnalyticsWorkspaceId is not null,
            TelemetryDelay = options.MeteredCostDelay,
        };
    }

    /// <summary>The workload's faults in order (empty for a run without <c>faults:</c>).</summary>
    public static IReadOnlyList<FaultPlan> Faults(Workload workload) =>
        workload.Faults.Select((f, i) => new FaultPlan { Index = i, Kind = f.Kind, At = f.At, For = f.For }).ToList();

    /// <summary>Null when the workload has no <c>cost</c> section.</summary>
    public static CostPlan? Cost(Workload workload, YardstickHostOptions options)
    {
        if (workload.Cost is not { } spec)
        {
            return null;
        }

        var notes = new List<string>();
        var metered = false;
        if (workload.Target.Azure is null)
        {
            notes.Add("metered cost: not read (no target.azure resource to read Azure Monitor metrics for)");
        }
        else if (!MeteredCost.IsSupported(spec.Plan))
        {
            notes.Add($"metered cost: not available for the {CostSummaries.MapPlan(spec.Plan)} plan (Azure Monitor has no per-meter billing metrics for it)");
        }
        else if (!options.AzureAccess)
        {
            notes.Add("metered cost: not read (this host has no Azure access; run the CLI with --azure to read Azure Monitor metrics)");
        }
        else
        {
            metered = true;
        }

        return new CostPlan
        {
            Spec = spec,
            Metered = metered,
            ServerTelemetry = options.AzureAccess && workload.Target.Azure?.LogAnalyticsWorkspaceId is not null,
            MeteredDelay = options.MeteredCostDelay,
            Notes = notes,
        };
    }
}
