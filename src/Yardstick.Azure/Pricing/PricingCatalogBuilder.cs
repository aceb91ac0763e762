using System.Globalization;
using Yardstick.Core.Cost;

namespace Yardstick.Azure.Pricing;

/// <summary>
/// Rebuilds the pricing catalog for one region from the Retail Prices API (<c>yardstick pricing refresh
/// --region &lt;r&gt;</c>). Each catalog meter is matched by meterName / skuName / productName (AZURE-FACTS §1);
/// the paid tier gives the price, a zero-priced tier below it gives the monthly free grant (tierMinimumUnits).
/// Meters the API did not list keep their previous price, marked <c>unconfirmed</c>. Entries of other regions
/// (and the region-agnostic defaults) are kept as they were.
/// </summary>
public sealed class PricingCatalogBuilder(RetailPricesClient client, TimeProvider? timeProvider = null)
{
    private const string FlexProduct = "Flex Consumption";

    /// <summary>How each catalog meter is recognised among the Functions items.</summary>
    private static readonly (string Plan, string Meter, Func<RetailPriceItem, bool> Match)[] Rules =
    [
        (PricingPlans.Consumption, PricingMeters.ExecutionTime, i => Is(i.MeterName, "Standard Execution Time") && !Has(i.ProductName, FlexProduct) && !Has(i.ProductName, "Premium")),
        (PricingPlans.Consumption, PricingMeters.Executions, i => Is(i.MeterName, "Standard Total Executions") && !Has(i.ProductName, FlexProduct) && !Has(i.ProductName, "Premium")),
        (PricingPlans.FlexConsumption, PricingMeters.OnDemandExecutionTime, i => Flex(i, "On Demand") && Has(i.MeterName, "Execution Time")),
        (PricingPlans.FlexConsumption, PricingMeters.OnDemandExecutions, i => Flex(i, "On Demand") && Has(i.MeterName, "Executions") && !Has(i.MeterName, "Time")),
        (PricingPlans.FlexConsumption, PricingMeters.AlwaysReadyBaseline, i => Flex(i, "Always Ready") && Has(i.MeterName, "Baseline")),
        (PricingPlans.FlexConsumption, PricingMeters.AlwaysReadyExecutionTime, i => Flex(i, "Always Ready") && Has(i.MeterName, "Execution Time")),
        (PricingPlans.FlexConsumption, PricingMeters.AlwaysReadyExecutions, i => Flex(i, "Always Ready") && Has(i.MeterName, "Executions") && !Has(i.MeterName, "Time")),
        (PricingPlans.Premium, PricingMeters.VcpuDuration, i => Has(i.MeterName, "vCPU Duration")),
        (PricingPlans.Premium, PricingMeters.MemoryDuration, i => Has(i.MeterName, "Memory Duration")),
    ];

    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    /// <summary>Fetches the region's Functions prices and builds the catalog (see <see cref="Build"/>).</summary>
    public async Task<PricingCatalogBuildResult> BuildAsync(string region, PricingCatalog? existing, CancellationToken cancellationToken)
    {
        var items = await client.GetFunctionsPricesAsync(region, cancellationToken);
        return Build(region, items, existing, DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime));
    }

    /// <summary>Pure part of <see cref="BuildAsync"/>: API items → catalog entries for <paramref name="region"/>.</summary>
    public static PricingCatalogBuildResult Build(string region, IReadOnlyList<RetailPriceItem> items, PricingCatalog? existing, DateOnly retrieved)
    {
        region = region.Trim().ToLowerInvariant();
        var usable = items
            .Where(i => string.Equals(i.ArmRegionName, region, StringComparison.OrdinalIgnoreCase))
            .Where(i => i.Type is null || i.Type.Equals("Consumption", StringComparison.OrdinalIgnoreCase))
            .Where(i => i.CurrencyCode is null || i.CurrencyCode.Equals("USD", StringComparison.OrdinalIgnoreCase))
            .ToList();
        var entries = new List<PriceEntry>();
        var found = new List<string>();
        var missing = new List<string>();
        var notes = new List<string>();
        foreach (var (plan, meter, match) in Rules)
        {
            var key = $"{plan}/{meter}";
            var tiers = usable.Where(match).OrderBy(i => i.TierMinimumUnits).ToList();
            var entry = tiers.Count > 0 ? FromTiers(plan, meter, region, tiers, retrieved, notes) : null;
            if (entry is not null)
            {
                entries.Add(entry);
                found.Add(key);
                continue;
            }

            missing.Add(key);
            var previous = existing?.Entries.FirstOrDefault(e => e.Plan == plan && e.Meter == meter && e.Region == region)
                ?? existing?.Entries.FirstOrDefault(e => e.Plan == plan && e.Meter == meter && e.Region == PricingCatalog.DefaultRegion);
            if (previous is null)
            {
                notes.Add($"{key}: not found in the Retail Prices API for {region} and no previous price to keep; the catalog has no price for it");
                continue;
            }

            entries.Add(previous with
            {
                Region = region,
                Unconfirmed = true,
                Source = $"not found in the Retail Prices API for {region} on {retrieved:yyyy-MM-dd}; kept from: {previous.Source}",
            });
            notes.Add($"{key}: not found in the Retail Prices API for {region}; kept the previous price, marked unconfirmed");
        }

        var others = existing?.Entries.Where(e => e.Region != region) ?? [];
        var catalog = new PricingCatalog
        {
            Description = existing?.Description,
            Entries = others.Concat(entries).OrderBy(e => e.Region == PricingCatalog.DefaultRegion).ThenBy(e => e.Region, StringComparer.Ordinal).ToList(),
        };
        return new PricingCatalogBuildResult(catalog, found, missing, notes);
    }

    private static PriceEntry? FromTiers(string plan, string meter, string region, List<RetailPriceItem> tiers, DateOnly retrieved, List<string> notes)
    {
        var baseUnit = PricingMeters.ByPlan[plan][meter];
        var paid = tiers.FirstOrDefault(t => t.RetailPrice > 0) ?? tiers[^1];
        if (!TryUnit(paid.UnitOfMeasure, baseUnit, out var unit, out var perQuoted))
        {
            notes.Add($"{plan}/{meter}: unit of measure '{paid.UnitOfMeasure}' of '{paid.MeterName}' is not understood; skipped");
            return null;
        }

        // The price per quoted unit, re-expressed per catalog unit (they differ only for odd multiples like "100 GB Second").
        var unitPrice = paid.RetailPrice / perQuoted * PricingUnits.BaseUnitsPer(unit);
        FreeGrant? grant = null;
        if (paid.TierMinimumUnits > 0 && tiers.Any(t => t.RetailPrice == 0 && t.TierMinimumUnits < paid.TierMinimumUnits))
        {
            // tierMinimumUnits counts quoted units (25,000 × "10" = 250,000 executions for Flex).
            var grantBase = paid.TierMinimumUnits * perQuoted;
            grant = new FreeGrant
            {
                Quantity = grantBase / PricingUnits.BaseUnitsPer(unit),
                Unit = unit,
                Source = "Azure Retail Prices API (zero-priced tier below tierMinimumUnits)",
            };
        }

        return new PriceEntry
        {
            Plan = plan,
            Meter = meter,
            Unit = unit,
            UnitPriceUsd = unitPrice,
            Region = region,
            Source = $"Azure Retail Prices API: productName '{paid.ProductName}', skuName '{paid.SkuName}', meterName '{paid.MeterName}', unitOfMeasure '{paid.UnitOfMeasure}'"
                + (paid.EffectiveStartDate is { } effective ? $", effective {effective:yyyy-MM-dd}" : ""),
            Retrieved = retrieved,
            Unconfirmed = false,
            FreeGrant = grant,
        };
    }

    /// <summary>
    /// Maps a unit of measure to a catalog unit: "1 GB Second" → GB-s, "10" → 10 executions, "1 Hour" → vCPU-hour
    /// (vCPU meter), "1 GiB Hour" → GB-hour. <paramref name="baseUnitsPerQuoted"/> is how many base units one
    /// quoted unit holds.
    /// </summary>
    internal static bool TryUnit(string? unitOfMeasure, string baseUnit, out string unit, out double baseUnitsPerQuoted)
    {
        unit = "";
        baseUnitsPerQuoted = 0;
        if (string.IsNullOrWhiteSpace(unitOfMeasure))
        {
            return false;
        }

        var text = unitOfMeasure.Trim();
        var space = text.IndexOf(' ', StringComparison.Ordinal);
        var numberText = space < 0 ? text : text[..space];
        var phrase = space < 0 ? "" : text[(space + 1)..].Trim().ToLowerInvariant();
        var multiplier = 1.0;
        if (numberText.EndsWith('K'))
        {
            multiplier = 1_000;
            numberText = numberText[..^1];
        }
        else if (numberText.EndsWith('M'))
        {
            multiplier = 1_000_000;
            numberText = numberText[..^1];
        }

        if (!double.TryParse(numberText, NumberStyles.Float, CultureInfo.InvariantCulture, out var count) || count <= 0)
        {
            // No leading number: "GB Second", "Hour".
            count = 1;
            phrase = text.ToLowerInvariant();
        }

        count *= multiplier;
        (string Unit, double PerPhrase)? mapped = baseUnit switch
        {
            PricingUnits.GbSecond when phrase is "gb second" or "gb seconds" or "gib second" or "gib seconds" or "gb-s" => (PricingUnits.GbSecond, 1),
            PricingUnits.GbSecond when phrase is "gib hour" or "gb hour" or "gib hours" or "gb hours" => (PricingUnits.GbHour, 3600),
            PricingUnits.VcpuSecond when phrase is "hour" or "hours" or "vcpu hour" or "vcpu hours" => (PricingUnits.VcpuHour, 3600),
            PricingUnits.VcpuSecond when phrase is "second" or "seconds" or "vcpu second" => (PricingUnits.VcpuSecond, 1),
            PricingUnits.Execution when phrase is "" or "execution" or "executions" => (PricingUnits.Execution, 1),
            _ => null,
        };
        if (mapped is not { } m)
        {
            return false;
        }

        var quoted = count * m.PerPhrase;
        baseUnitsPerQuoted = quoted;

        // Prefer a catalog unit equal to the quoted one (10 executions, 1M executions, GB-hour); else the base unit.
        unit = PricingUnits.All.FirstOrDefault(u => PricingUnits.BaseUnitOf(u) == baseUnit && PricingUnits.BaseUnitsPer(u) == quoted)
            ?? baseUnit;
        return true;
    }

    private static bool Flex(RetailPriceItem item, string sku) => Has(item.ProductName, FlexProduct) && Is(item.SkuName, sku);

    private static bool Is(string? value, string expected) => string.Equals(value?.Trim(), expected, StringComparison.OrdinalIgnoreCase);

    private static bool Has(string? value, string part) => value?.Contains(part, StringComparison.OrdinalIgnoreCase) == true;
}

/// <summary>The rebuilt catalog and what the API did and did not have.</summary>
public sealed record PricingCatalogBuildResult(
    PricingCatalog Catalog,
    IReadOnlyList<string> FoundMeters,
    IReadOnlyList<string> MissingMeters,
    IReadOnlyList<string> Notes);
