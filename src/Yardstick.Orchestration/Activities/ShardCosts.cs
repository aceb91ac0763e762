using Microsoft.Extensions.Logging;
using Yardstick.Core;
using Yardstick.Core.Cost;
using Yardstick.Core.Load;
using Yardstick.Core.Measurements;
using Yardstick.Core.Workloads;
using Yardstick.Orchestration.Contracts;
using Yardstick.Orchestration.Hosting;

namespace Yardstick.Orchestration.Activities;

/// <summary>
/// Modeled cost of part of a run — a sweep variant's shards, a capacity step's shards — by the same model as the run's
/// own cost step (<see cref="CostSampler"/>), with the run's pricing catalog. A part that cannot be priced gets no cost
/// and a warning: cost is left out, never guessed.
/// </summary>
internal static class ShardCosts
{
    /// <summary>Prices a cost section over some shards; null when the workload has no cost section or no pricing catalog is found.</summary>
    public static Func<CostSpec, IReadOnlyList<ShardResult>, CostEstimate?>? For(StoredPlan stored, YardstickHostOptions options, ILogger logger)
    {
        if (stored.Workload.Cost is not { } spec)
        {
            return null;
        }

        var runId = stored.Plan.RunId;
        PricingCatalog catalog;
        try
        {
            catalog = PricingCatalogs.Load(spec, stored.WorkloadDirectory, options);
        }
        catch (InputException e)
        {
            Log.PartCostUnavailable(logger, runId, e.Describe());
            return null;
        }

        return (partSpec, shards) =>
        {
            try
            {
                return CostSampler.Estimate(partSpec, shards, catalog, (int)Seeds.FromText(runId));
            }
            catch (InputException e)
            {
                Log.PartCostUnavailable(logger, runId, e.Describe());
                return null;
            }
        };
    }
}
