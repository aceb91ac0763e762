using Microsoft.Extensions.Logging;
using Yardstick.Core;
using Yardstick.Core.Cost;
using Yardstick.Core.Load;
using Yardstick.Core.Measurements;
using Yardstick.Core.Summaries;
using Yardstick.Core.Workloads;
using Yardstick.Orchestration.Contracts;
using Yardstick.Orchestration.Hosting;

namespace Yardstick.Orchestration.Activities;

/// <summary>
/// The per-variant section of a sweep's summary, for <see cref="PersistRunActivity"/>: pooled figures per variant, its
/// modeled cost (the variant's own cost section and shards), the Pareto front and the recommendation.
/// </summary>
internal static class SweepVariantResults
{
    /// <summary>Empty for a run without a sweep.</summary>
    public static IReadOnlyList<VariantSummary> Build(StoredPlan stored, IReadOnlyList<ShardResult> results, YardstickHostOptions options, ILogger logger)
    {
        var workload = stored.Workload;
        if (workload.Sweep is not { } sweep)
        {
            return [];
        }

        Func<string, IReadOnlyList<ShardResult>, CostEstimate?>? cost = null;
        if (workload.Cost is { } spec)
        {
            var catalog = LoadCatalog(spec, stored.WorkloadDirectory, options, stored.Plan.RunId, logger);
            if (catalog is not null)
            {
                cost = (variant, shards) => Estimate(VariantCostModel.SpecFor(spec, sweep, variant), shards, catalog, stored.Plan.RunId, logger);
            }
        }

        var rows = VariantSummaryBuilder.Build(stored.Plan.Variants, results, cost, workload.Compare.Margin, sweep.Recommend);

        // A grid cell carries its settings, so reports can lay the cells out by parameter (heat map).
        var cells = sweep.Cells().ToDictionary(c => c.Key, c => c.Settings);
        return rows.Select(r => cells.TryGetValue(r.Variant, out var settings) && sweep.Grid.Count > 0
            ? r with { Settings = settings.ToDictionary(s => s.Parameter, s => s.Value) }
            : r).ToList();
    }

    private static CostEstimate? Estimate(CostSpec spec, IReadOnlyList<ShardResult> shards, PricingCatalog catalog, string runId, ILogger logger)
    {
        try
        {
            // The same cost model as the run's own cost step, on this variant's shards and cost settings.
            return CostSampler.Estimate(spec, shards, catalog, (int)Seeds.FromText(runId));
        }
        catch (InputException e)
        {
            Log.VariantCostUnavailable(logger, runId, e.Describe());
            return null;
        }
    }

    /// <summary>The run's pricing catalog (see <see cref="PricingCatalogs"/>); null (and a warning) when there is none: cost is then left out, never guessed.</summary>
    private static PricingCatalog? LoadCatalog(CostSpec spec, string? workloadDirectory, YardstickHostOptions options, string runId, ILogger logger)
    {
        try
        {
            return PricingCatalogs.Load(spec, workloadDirectory, options);
        }
        catch (InputException e)
        {
            Log.VariantCostUnavailable(logger, runId, e.Describe());
            return null;
        }
    }
}
