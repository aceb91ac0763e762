using Yardstick.Core.Workloads;

namespace Yardstick.Core.Cost;

/// <summary>
/// Azure Monitor metric totals for a function app over a time window (from <c>IMeteredCostSource</c>).
/// </summary>
public sealed record MeteredUsage
{
    /// <summary>ARM id of the <c>Microsoft.Web/sites</c> resource.</summary>
    public required string ResourceId { get; init; }

    public DateTimeOffset From { get; init; }

    public DateTimeOffset To { get; init; }

    /// <summary>Σ of the <c>Total</c> aggregation per metric name over the window (all time grains and instances).</summary>
    public IReadOnlyDictionary<string, double> MetricTotals { get; init; } = new Dictionary<string, double>();

    /// <summary>Metric-level problems (a metric the API reported an error for, a metric with no data).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}

/// <summary>
/// The Azure Monitor metrics that mirror Functions billing meters. Source (AZURE-FACTS §2): Microsoft Learn
/// monitor-functions-reference and includes/functions-flex-consumption-metrics-table (ms.date 10/27/2025):
/// the <c>…Units</c> metrics are MB-ms (÷ 1,024,000 → GB-s), the <c>…Count</c> metrics are executions.
/// </summary>
public static class FunctionMetrics
{
    public const string ExecutionCount = "FunctionExecutionCount";
    public const string ExecutionUnits = "FunctionExecutionUnits";
    public const string OnDemandExecutionCount = "OnDemandFunctionExecutionCount";
    public const string OnDemandExecutionUnits = "OnDemandFunctionExecutionUnits";
    public const string AlwaysReadyExecutionCount = "AlwaysReadyFunctionExecutionCount";
    public const string AlwaysReadyExecutionUnits = "AlwaysReadyFunctionExecutionUnits";
    public const string AlwaysReadyUnits = "AlwaysReadyUnits";

    /// <summary>MB-ms per GB-s: 1,024 MB per GB × 1,000 ms per s.</summary>
    public const double MbMsPerGbSecond = 1_024_000;

    /// <summary>Metric → (meter, divisor into the meter's base unit), per catalog plan.</summary>
    public static IReadOnlyList<(string Metric, string Meter, double Divisor)> Mapping(HostingPlan plan) => plan switch
    {
        HostingPlan.Consumption =>
        [
            (ExecutionUnits, PricingMeters.ExecutionTime, MbMsPerGbSecond),
            (ExecutionCount, PricingMeters.Executions, 1),
        ],
        HostingPlan.FlexConsumption or HostingPlan.FlexConsumptionAlwaysReady =>
        [
            (OnDemandExecutionUnits, PricingMeters.OnDemandExecutionTime, MbMsPerGbSecond),
            (OnDemandExecutionCount, PricingMeters.OnDemandExecutions, 1),
            (AlwaysReadyUnits, PricingMeters.AlwaysReadyBaseline, MbMsPerGbSecond),
            (AlwaysReadyExecutionUnits, PricingMeters.AlwaysReadyExecutionTime, MbMsPerGbSecond),
            (AlwaysReadyExecutionCount, PricingMeters.AlwaysReadyExecutions, 1),
        ],
        _ => [],
    };

    /// <summary>Metric names to request for a plan (empty for Premium: it has no per-meter metrics).</summary>
    public static IReadOnlyList<string> For(HostingPlan plan) => Mapping(plan).Select(m => m.Metric).ToList();
}

/// <summary>
/// Metered cost: Azure Monitor's billing metrics × catalog prices, as a <see cref="CostEstimate"/> with source
/// <c>metered</c>. Method (AZURE-FACTS §2, functions-consumption-costs): GB-s = Σ total ÷ 1,024,000, then ×
/// the meter price; executions = Σ count × the price per execution.
/// </summary>
public static class MeteredCost
{
    /// <summary>Premium bills instances, not executions, and has no billing metrics to read.</summary>
    public static bool IsSupported(HostingPlan plan) => FunctionMetrics.Mapping(plan).Count > 0;

    /// <exception cref="NotSupportedException">The plan has no billing metrics (Premium).</exception>
    /// <exception cref="InputException">A needed price is missing for the region.</exception>
    public static CostEstimate Estimate(CostSpec spec, MeteredUsage usage, PricingCatalog catalog, bool allowDefaultPrices = false)
    {
        var mapping = FunctionMetrics.Mapping(spec.Plan);
        if (mapping.Count == 0)
        {
            throw new NotSupportedException($"metered cost is not available for the {spec.Plan} plan: Azure Monitor has no per-meter billing metrics for it");
        }

        var notes = new List<string>(usage.Notes)
        {
            $"metered: Azure Monitor metrics of {usage.ResourceId} from {usage.From:u} to {usage.To:u} (metrics land minutes late: read after the ingestion delay)",
        };
        var quantities = new List<MeterQuantity>();
        double executions = 0;
        foreach (var (metric, meter, divisor) in mapping)
        {
            var found = usage.MetricTotals.TryGetValue(metric, out var total);
            var isAlwaysReady = meter is PricingMeters.AlwaysReadyBaseline or PricingMeters.AlwaysReadyExecutionTime or PricingMeters.AlwaysReadyExecutions;

            // Always-ready meters only matter when the app has always-ready instances; skip them when silent.
            if (isAlwaysReady && spec.Plan == HostingPlan.FlexConsumption && total == 0)
            {
                continue;
            }

            if (!found)
            {
                notes.Add($"metered: metric {metric} returned no data; counted as 0");
            }

            quantities.Add(new MeterQuantity(meter, total / divisor));
            if (divisor == 1)
            {
                executions += total;
            }
        }

        var items = ModeledCost.Price(spec, quantities, catalog, allowDefaultPrices, notes);
        var estimate = CostEstimate.FromLineItems(
            CostEstimate.MeteredSource, spec.Plan, PricingCatalog.NormalizeRegion(spec.Region), items, (long)Math.Round(executions), spec.IncludeFreeGrant, notes);
        return estimate with { From = usage.From, To = usage.To };
    }
}
