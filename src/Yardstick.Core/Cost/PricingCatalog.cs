using System.Text.Json;
using System.Text.Json.Serialization;

namespace Yardstick.Core.Cost;

/// <summary>
/// Unit prices per plan, meter and region (<c>workloads/pricing/azure-functions.json</c>). Entries whose region
/// is <see cref="DefaultRegion"/> are region-agnostic defaults, used only when the caller allows it and
/// always reported. Load with <see cref="Load"/> or <see cref="Parse"/>: both validate and name the bad
/// entry and field.
/// </summary>
public sealed record PricingCatalog
{
    public const int CurrentSchemaVersion = 1;

    /// <summary>Region value of region-agnostic default entries.</summary>
    public const string DefaultRegion = "default";

    /// <summary>Where the catalog lives in the repository, relative to its root.</summary>
    public const string DefaultPath = "workloads/pricing/azure-functions.json";

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    /// <summary>Always USD: the Retail Prices API's authoritative currency.</summary>
    public string Currency { get; init; } = "USD";

    public string? Description { get; init; }

    public IReadOnlyList<PriceEntry> Entries { get; init; } = [];

    /// <summary>Reads and validates a catalog file.</summary>
    /// <exception cref="InputException">The file is missing, not JSON, or an entry is invalid (the message names it).</exception>
    public static PricingCatalog Load(string path)
    {
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException("cost.pricingFile", $"cannot read the pricing catalog: {e.Message}", path);
        }

        return Parse(json, path);
    }

    /// <summary>
    /// The catalog a workload's cost section names (<see cref="Workloads.CostSpec.PricingFile"/>, relative paths against
    /// <paramref name="baseDirectory"/>), or the repository default under <paramref name="baseDirectory"/>.
    /// </summary>
    public static PricingCatalog LoadFor(Workloads.CostSpec spec, string baseDirectory) =>
        Load(Path.GetFullPath(spec.PricingFile ?? DefaultPath, baseDirectory));

    /// <summary>Parses and validates catalog JSON; <paramref name="source"/> (a path or name) appears in errors.</summary>
    public static PricingCatalog Parse(string json, string source) => PricingCatalogReader.Read(json, source);

    /// <summary>The catalog as indented JSON in the file's shape.</summary>
    public string ToJson() => YardstickJson.Serialize(this, indented: true) + "\n";

    /// <summary>
    /// The price of <paramref name="meter"/> on <paramref name="plan"/> in <paramref name="region"/>. When the
    /// region has no entry and <paramref name="allowDefault"/> is set, the region-agnostic default is
    /// returned with <see cref="PriceQuote.UsedDefault"/> set and a note saying so.
    /// </summary>
    /// <exception cref="InputException">No entry for the region (and no allowed default).</exception>
    public PriceQuote Price(string plan, string meter, string region, bool allowDefault = false)
    {
        var normalizedRegion = NormalizeRegion(region);
        var exact = Find(plan, meter, normalizedRegion);
        if (exact is not null)
        {
            var notes = exact.Unconfirmed
                ? new[] { $"price of {plan}/{meter} for {normalizedRegion} is UNCONFIRMED ({exact.Source})" }
                : [];
            return new PriceQuote(exact, normalizedRegion, UsedDefault: false, notes);
        }

        var fallback = Find(plan, meter, DefaultRegion);
        if (allowDefault && fallback is not null)
        {
            return new PriceQuote(
                fallback,
                normalizedRegion,
                UsedDefault: true,
                [$"default price used for region {normalizedRegion}: {plan}/{meter} = {fallback.UnitPriceUsd.ToString("G6")} USD per {fallback.Unit} ({fallback.Source}); run 'yardstick pricing refresh --region {normalizedRegion}' for the region's own price"]);
        }

        var regions = Entries.Where(e => e.Plan == plan && e.Meter == meter).Select(e => e.Region).Distinct().ToList();
        var known = regions.Count == 0 ? "no region" : string.Join(", ", regions);
        var hint = fallback is null
            ? $"run 'yardstick pricing refresh --region {normalizedRegion}'"
            : $"run 'yardstick pricing refresh --region {normalizedRegion}' or allow the region-agnostic default price";
        throw new InputException(
            "cost.region",
            $"the pricing catalog has no price for {plan}/{meter} in region '{normalizedRegion}' (it has: {known}); {hint}",
            "pricing catalog");
    }

    /// <summary>Whether the catalog has an entry (regional, not default) for the meter.</summary>
    public bool Has(string plan, string meter, string region) => Find(plan, meter, NormalizeRegion(region)) is not null;

    private PriceEntry? Find(string plan, string meter, string region) =>
        Entries.FirstOrDefault(e => e.Plan == plan && e.Meter == meter && string.Equals(e.Region, region, StringComparison.Ordinal));

    internal static string NormalizeRegion(string region) => region.Trim().ToLowerInvariant();
}

/// <summary>One unit price.</summary>
public sealed record PriceEntry
{
    /// <summary>A <see cref="PricingPlans"/> key.</summary>
    public required string Plan { get; init; }

    /// <summary>A <see cref="PricingMeters"/> key.</summary>
    public required string Meter { get; init; }

    /// <summary>A <see cref="PricingUnits"/> unit the price is quoted per.</summary>
    public required string Unit { get; init; }

    public required double UnitPriceUsd { get; init; }

    /// <summary>ARM region name (lowercase, for example <c>eastus</c>) or <see cref="PricingCatalog.DefaultRegion"/>.</summary>
    public required string Region { get; init; }

    /// <summary>Where the price came from (API, page or third-party source with its date).</summary>
    public required string Source { get; init; }

    /// <summary>Date the price was retrieved (yyyy-MM-dd).</summary>
    public required DateOnly Retrieved { get; init; }

    /// <summary>No primary source confirms this price (AZURE-FACTS marks it UNCONFIRMED); reports say so.</summary>
    public bool Unconfirmed { get; init; }

    /// <summary>The monthly free grant on this meter, when there is one.</summary>
    public FreeGrant? FreeGrant { get; init; }

    /// <summary>The price of one base unit (GB-s, execution, vCPU-s).</summary>
    [JsonIgnore]
    public double PricePerBaseUnitUsd => UnitPriceUsd / PricingUnits.BaseUnitsPer(Unit);
}

/// <summary>A monthly free grant (per subscription): <see cref="Quantity"/> of <see cref="Unit"/> not billed.</summary>
public sealed record FreeGrant
{
    public required double Quantity { get; init; }

    /// <summary>A <see cref="PricingUnits"/> unit with the same base unit as the entry's.</summary>
    public required string Unit { get; init; }

    public bool Unconfirmed { get; init; }

    public string? Source { get; init; }

    [JsonIgnore]
    public double BaseQuantity => Quantity * PricingUnits.BaseUnitsPer(Unit);
}

/// <summary>The result of a price lookup: the entry used, whether it was the default, and notes for the report.</summary>
public sealed record PriceQuote(PriceEntry Entry, string Region, bool UsedDefault, IReadOnlyList<string> Notes)
{
    /// <summary>Unconfirmed when the entry is, or when a default stood in for the region's own price.</summary>
    public bool Unconfirmed => Entry.Unconfirmed || UsedDefault;

    public double PricePerBaseUnitUsd => Entry.PricePerBaseUnitUsd;
}

/// <summary>Lets JSON readers report the path of the offending field.</summary>
internal static class JsonElementExtensions
{
    public static string KindName(this JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => "nothing",
    };
}
