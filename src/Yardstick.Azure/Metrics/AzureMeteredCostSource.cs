using Yardstick.Core.Cost;
using Yardstick.Core.Ports;
using Yardstick.Core.Workloads;

namespace Yardstick.Azure.Metrics;

/// <summary>
/// <see cref="IMeteredCostSource"/> over Azure Monitor: reads the plan's billing metrics
/// (<see cref="FunctionMetrics.For"/>) and keeps per-metric errors as notes.
/// </summary>
public sealed class AzureMeteredCostSource(IMetricsSource metrics) : IMeteredCostSource
{
    public async Task<MeteredUsage> GetMeteredUsageAsync(string resourceId, HostingPlan plan, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var names = FunctionMetrics.For(plan);
        if (names.Count == 0)
        {
            throw new NotSupportedException($"metered cost is not available for the {plan} plan: Azure Monitor has no per-meter billing metrics for it");
        }

        var totals = await metrics.GetTotalsAsync(resourceId, names, from, to, cancellationToken);
        var notes = totals.Errors
            .Select(e => $"metered: Azure Monitor reported an error for {e.Key} ({e.Value}); counted as 0")
            .ToList();
        if (plan == HostingPlan.Consumption && totals.Totals.Count == 0)
        {
            notes.Add("metered: no FunctionExecution* data; these metrics are not available for Linux Consumption apps (use App Insights there)");
        }

        return new MeteredUsage { ResourceId = resourceId, From = from, To = to, MetricTotals = totals.Totals, Notes = notes };
    }
}
