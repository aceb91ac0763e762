using Microsoft.Extensions.Logging;
using Yardstick.Core;
using Yardstick.Core.Cost;
using Yardstick.Core.Measurements;
using Yardstick.Core.Reports;
using Yardstick.Core.Workloads;
using Yardstick.Orchestration.Contracts;

namespace Yardstick.Orchestration.Activities;

/// <summary>
/// The per-variant section of a sweep's summary, for <see cref="PersistRunActivity"/>: pooled figures per variant, its
/// modeled cost (the variant's own cost section and shards), the Pareto front and the recommendation.
/// </summary>
internal static class SweepVariantResults
{
    /// <summary>Empty for a run without a sweep.</summary>
    public static IReadOnlyList<VariantSummary> Build(StoredPlan stored, IReadOnlyList<ShardResult> results, ILogger logger)
    {
        var workload = stored.Workload;
        if (workload.Sweep is not { } sweep)
        {
            return [];
        }

        Func<string, IReadOnlyList<ShardResult>, CostEstimate?>? cost = null;
        if (workload.Cost is { } spec)
        {
            var catalog = LoadCatalog(spec, stored.WorkloadDirectory, stored.Plan.RunId, logger);
            if (catalog is not null)
            {
                cost = (variant, shards) => Estimate(VariantCostModel.SpecFor(spec, sweep, variant), shards, catalog, stored.Plan.RunId, logger);
            }
        }

        return VariantSummaryBuilder.Build(stored.Plan.Variants, results, cost, workload.Compare.Margin);
    }

    private static CostEstimate? Estimate(CostSpec spec, IReadOnlyList<ShardResult> shards, PricingCatalog catalog, string runId, ILogger logger)
    {
        try
        {
            return VariantCostModel.Estimate(spec, shards, catalog);
        }
        catch (InputException e)
        {
            Log.VariantCostUnavailable(logger, runId, e.Describe());
            return null;
        }
    }

    /// <summary>
    /// The catalog named by <c>cost.pricingFile</c> (relative to the workload's folder), else the repository's
    /// <c>workloads/pricing/azure-functions.json</c> found above the workload's folder, the host's folder or the
    /// current folder. Null (and a warning) when there is none: cost is then left out, never guessed.
    /// </summary>
    private static PricingCatalog? LoadCatalog(CostSpec spec, string? workloadDirectory, string runId, ILogger logger)
    {
        try
        {
            if (spec.PricingFile is not null)
            {
                return PricingCatalog.LoadFor(spec, workloadDirectory ?? Directory.GetCurrentDirectory());
            }

            foreach (var start in new[] { workloadDirectory, AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
            {
                for (var dir = start is null ? null : new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                {
                    var candidate = Path.Combine(dir.FullName, PricingCatalog.DefaultPath);
                    if (File.Exists(candidate))
                    {
                        return PricingCatalog.Load(candidate);
                    }
                }
            }

            Log.VariantCostUnavailable(logger, runId, $"no pricing catalog ({PricingCatalog.DefaultPath}) was found; set cost.pricingFile");
            return null;
        }
        catch (InputException e)
        {
            Log.VariantCostUnavailable(logger, runId, e.Describe());
            return null;
        }
    }
}
