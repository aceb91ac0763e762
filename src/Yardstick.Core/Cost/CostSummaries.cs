using Yardstick.Core.Summaries;
using Yardstick.Core.Workloads;

namespace Yardstick.Core.Cost;

/// <summary>
/// The <c>cost</c> section of <c>summary.json</c> from the modeled and (when read) metered estimates. The headline is
/// the metered figure when Azure's meters were read, else the modeled one; the interval is the modeled bootstrap
/// interval (metered totals are one number per run and carry none). The estimate recomputed from App Insights' server
/// durations, when there is one, sits beside both and never becomes the headline (it is still a model).
/// </summary>
public static class CostSummaries
{
    public static CostSummary Build(
        CostSpec spec,
        CostEstimate? modeled,
        CostEstimate? metered,
        double? benchmarkCostUsd,
        IEnumerable<string>? notes = null,
        CostEstimate? serverModeled = null,
        ServerTelemetrySummary? server = null)
    {
        var headline = metered?.CostPerRequestUsd is not null ? metered : modeled;
        var allNotes = new List<string>();
        allNotes.AddRange(modeled?.Notes ?? []);
        allNotes.AddRange(metered?.Notes ?? []);
        allNotes.AddRange(notes ?? []);

        // The server estimate runs the same rules: keep only what it says differently, marked as its own.
        allNotes.AddRange((serverModeled?.Notes ?? []).Where(n => !allNotes.Contains(n)).Select(n => "server-modeled: " + n).ToList());
        if (modeled?.PerRequestInterval is { } interval)
        {
            allNotes.Add($"modeled cost per request CI ({interval.Confidence:P0}): {interval.Method}");
        }

        var interval2 = headline == modeled ? modeled?.PerRequestInterval : null;
        return new CostSummary
        {
            Plan = MapPlan(spec.Plan),
            Region = PricingCatalog.NormalizeRegion(spec.Region),
            Source = headline?.Source ?? CostEstimate.ModeledSource,
            PerRequestUsd = headline?.CostPerRequestUsd,
            Per1MRequestsUsd = headline?.Per1MRequestsUsd,
            PerRequestCiLowUsd = interval2?.LowerUsd,
            PerRequestCiHighUsd = interval2?.UpperUsd,
            Modeled = Figures(modeled),
            Metered = Figures(metered),
            ServerModeled = Figures(serverModeled),
            Server = server,
            BenchmarkCostUsd = benchmarkCostUsd,
            Notes = allNotes.Distinct().ToList(),
        };
    }

    /// <summary>The plan's workload-file name (<c>flexConsumption</c>…).</summary>
    public static string MapPlan(HostingPlan plan) => char.ToLowerInvariant(plan.ToString()[0]) + plan.ToString()[1..];

    private static CostFigures? Figures(CostEstimate? estimate) => estimate is null
        ? null
        : new CostFigures
        {
            TotalUsd = estimate.TotalUsd,
            PerRequestUsd = estimate.CostPerRequestUsd ?? 0,
            Per1MRequestsUsd = estimate.Per1MRequestsUsd ?? 0,
            PerRequestCiLowUsd = estimate.PerRequestInterval?.LowerUsd,
            PerRequestCiHighUsd = estimate.PerRequestInterval?.UpperUsd,
            Lines = estimate.LineItems.Select(l => new CostLineItemSummary
            {
                Meter = l.Meter,
                Quantity = l.Quantity,
                Unit = l.Unit,
                UnitPriceUsd = l.UnitPriceUsd,
                Usd = l.Usd,
                Unconfirmed = l.Unconfirmed,
            }).ToList(),
        };
}
