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
        if (workload.Cost is { } spec && ShardCosts.For(stored, options, logger) is { } price)
        {
            cost = (variant, shards) => price(VariantCostModel.SpecFor(spec, sweep, variant), shards);
        }

        var rows = VariantSummaryBuilder.Build(stored.Plan.Variants, results, cost, workload.Compare.Margin, sweep.Recommend);

        // A grid cell carries its settings, so reports can lay the cells out by parameter (heat map).
        var cells = sweep.Cells().ToDictionary(c => c.Key, c => c.Settings);
        return rows.Select(r => cells.TryGetValue(r.Variant, out var settings) && sweep.Grid.Count > 0
            ? r with { Settings = settings.ToDictionary(s => s.Parameter, s => s.Value) }
            : r).ToList();
    }
}
