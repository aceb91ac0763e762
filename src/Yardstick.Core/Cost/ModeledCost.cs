using Yardstick.Core.Workloads;

namespace Yardstick.Core.Cost;

/// <summary>
/// Modeled cost of a run: the plan's billing rule over the run's <see cref="UsageProfile"/>, priced from the
/// catalog. Free grants are subtracted only when <see cref="CostSpec.IncludeFreeGrant"/> is set (by default the
/// estimate is the run's marginal cost, as if the month's grant were already used).
/// </summary>
public static class ModeledCost
{
    /// <exception cref="InputException">A needed price is missing for the region (and defaults are not allowed), or the spec is invalid.</exception>
    public static CostEstimate Estimate(CostSpec spec, UsageProfile usage, PricingCatalog catalog, bool allowDefaultPrices = false)
    {
        var quantities = spec.Plan switch
        {
            HostingPlan.Consumption => ConsumptionBilling.Quantities(usage, spec.ExecutionMemoryMB),
            HostingPlan.FlexConsumption => FlexBilling.Quantities(usage, ValidFlexMemory(spec), 0),
            HostingPlan.FlexConsumptionAlwaysReady => FlexBilling.Quantities(usage, ValidFlexMemory(spec), spec.AlwaysReadyInstances),
            HostingPlan.Premium => PremiumBilling.Quantities(usage, spec.PremiumInstances, spec.PremiumVcpu, spec.PremiumMemoryGB),
            _ => throw new InputException("cost.plan", $"unknown plan '{spec.Plan}'"),
        };

        var notes = new List<string>(quantities.Notes);
        var items = Price(spec, quantities.Meters, catalog, allowDefaultPrices, notes);
        return CostEstimate.FromLineItems(CostEstimate.ModeledSource, spec.Plan, PricingCatalog.NormalizeRegion(spec.Region), items, usage.Executions, spec.IncludeFreeGrant, notes);
    }

    /// <summary>
    /// Prices base quantities into line items (in the catalog's unit), applying free grants when the spec
    /// asks for them. Shared by modeled and metered estimates.
    /// </summary>
    public static IReadOnlyList<CostLineItem> Price(
        CostSpec spec,
        IEnumerable<MeterQuantity> quantities,
        PricingCatalog catalog,
        bool allowDefaultPrices,
        List<string> notes)
    {
        var plan = PricingPlans.For(spec.Plan);
        var items = new List<CostLineItem>();
        foreach (var quantity in quantities)
        {
            var quote = catalog.Price(plan, quantity.Meter, spec.Region, allowDefaultPrices);
            notes.AddRange(quote.Notes);
            var entry = quote.Entry;
            var perUnit = PricingUnits.BaseUnitsPer(entry.Unit);
            var baseQuantity = Math.Max(0, quantity.BaseQuantity);
            double grantBase = 0;
            if (spec.IncludeFreeGrant && entry.FreeGrant is { } grant)
            {
                grantBase = Math.Min(baseQuantity, grant.BaseQuantity);
                notes.Add($"free grant applied to {plan}/{quantity.Meter}: {grant.Quantity:G6} {grant.Unit} per month, taken as wholly available to this run"
                    + (grant.Unconfirmed ? " (grant size UNCONFIRMED)" : ""));
            }

            var billable = (baseQuantity - grantBase) / perUnit;
            items.Add(new CostLineItem
            {
                Meter = quantity.Meter,
                Quantity = billable,
                Unit = entry.Unit,
                UnitPriceUsd = entry.UnitPriceUsd,
                Usd = billable * entry.UnitPriceUsd,
                Unconfirmed = quote.Unconfirmed || (grantBase > 0 && entry.FreeGrant!.Unconfirmed),
                FreeGrantQuantity = grantBase / perUnit,
            });
        }

        return items;
    }

    private static int ValidFlexMemory(CostSpec spec) =>
        FlexBilling.InstanceMemorySizesMB.Contains(spec.InstanceMemoryMB)
            ? spec.InstanceMemoryMB
            : throw new InputException("cost.instanceMemoryMB", $"Flex Consumption instance memory must be one of {string.Join(", ", FlexBilling.InstanceMemorySizesMB)} MB, found {spec.InstanceMemoryMB}");
}
