using Yardstick.Core.Cost;
using Yardstick.Core.Workloads;

namespace Yardstick.Core.Ports;

/// <summary>
/// The platform's own billing meters for a resource and time window (Azure Monitor's FunctionExecution*,
/// OnDemand* and AlwaysReady* metrics), so the run can show metered cost beside the modeled one
/// (<see cref="MeteredCost.Estimate"/> prices it). Implemented in Yardstick.Azure.
/// </summary>
public interface IMeteredCostSource
{
    /// <summary>
    /// Metric totals for the plan's billing metrics (<see cref="FunctionMetrics.For"/>). Read only after the
    /// ingestion delay (about 5 minutes after <paramref name="to"/>): the metrics land late.
    /// </summary>
    /// <exception cref="NotSupportedException">The plan has no billing metrics (Premium).</exception>
    Task<MeteredUsage> GetMeteredUsageAsync(string resourceId, HostingPlan plan, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);
}
