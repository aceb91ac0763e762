using Yardstick.Core.Cost;
using Yardstick.Core.Load;
using Yardstick.Core.Measurements;
using Yardstick.Core.Workloads;

namespace Yardstick.Core.Summaries;

/// <summary>
/// The <c>variants</c> section of <c>summary.json</c> for a sweep: each variant pooled over its measured rounds
/// (counts summed, latency percentiles from the merged histogram of its shards, throughput over its measured time),
/// its modeled cost, and the Pareto front and recommendation of <see cref="SweepRecommendation"/>.
/// </summary>
public static class VariantSummaryBuilder
{
    /// <param name="variants">Sweep values in workload order.</param>
    /// <param name="shards">The run's shard results (warm-up shards are ignored).</param>
    /// <param name="cost">Modeled cost of one variant's measured shards, or null (no cost section, or no catalog).</param>
    /// <param name="margin">The workload's equivalence margin (<c>compare.margin</c>) for the recommendation.</param>
    /// <param name="strategy">How the recommendation is chosen (<c>sweep.recommend</c>); null = the margin rule.</param>
    public static IReadOnlyList<VariantSummary> Build(
        IReadOnlyList<string> variants,
        IReadOnlyList<ShardResult> shards,
        Func<string, IReadOnlyList<ShardResult>, CostEstimate?>? cost,
        double margin,
        RecommendSpec? strategy = null)
    {
        ArgumentNullException.ThrowIfNull(variants);
        ArgumentNullException.ThrowIfNull(shards);
        var rows = new List<VariantSummary>(variants.Count);
        foreach (var variant in variants)
        {
            var own = shards.Where(s => s.Phase == RunPhase.Measured && string.Equals(s.Variant, variant, StringComparison.Ordinal)).ToList();
            if (own.Count == 0)
            {
                rows.Add(new VariantSummary { Variant = variant, LatencyMs = new LatencySummary() });
                continue;
            }

            var merged = ShardMerger.Merge(own);
            var estimate = merged.Requests > 0 ? cost?.Invoke(variant, own) : null;
            rows.Add(new VariantSummary
            {
                Variant = variant,
                Requests = merged.Requests,
                Errors = merged.Errors.Total,
                ErrorRate = merged.ErrorRate,
                ThroughputRps = merged.ThroughputRps,
                LatencyMs = HistogramSummaries.Latency(merged.Latency),
                CostPerRequestUsd = estimate?.CostPerRequestUsd,
                Per1MRequestsUsd = estimate?.Per1MRequestsUsd,
                Rounds = own.Select(s => s.Round).Distinct().Count(),
            });
        }

        return SweepRecommendation.Annotate(rows, margin, strategy);
    }
}
