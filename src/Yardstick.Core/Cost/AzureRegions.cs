using Yardstick.Core.Workloads;

namespace Yardstick.Core.Cost;

/// <summary>
/// ARM names of the public Azure regions (the <c>name</c> of <c>az account list-locations</c>, the
/// <c>armRegionName</c> of the Retail Prices API). Used to validate <c>cost.region</c>. Sovereign clouds
/// (US Gov, China) and staging/EUAP regions are left out: their prices and meters differ. Regions that open
/// after this list was written need a line here; the error message names the closest known region.
/// </summary>
public static class AzureRegions
{
    private static readonly string[] Names =
    [
        // Americas
        "brazilsouth", "brazilsoutheast", "canadacentral", "canadaeast", "centralus", "chilecentral", "eastus",
        "eastus2", "mexicocentral", "northcentralus", "southcentralus", "westcentralus", "westus", "westus2", "westus3",

        // Europe
        "austriaeast", "belgiumcentral", "denmarkeast", "francecentral", "francesouth", "germanynorth",
        "germanywestcentral", "italynorth", "northeurope", "norwayeast", "norwaywest", "polandcentral", "spaincentral",
        "swedencentral", "swedensouth", "switzerlandnorth", "switzerlandwest", "uksouth", "ukwest", "westeurope",

        // Asia Pacific
        "australiacentral", "australiacentral2", "australiaeast", "australiasoutheast", "centralindia", "eastasia",
        "indonesiacentral", "japaneast", "japanwest", "jioindiacentral", "jioindiawest", "koreacentral", "koreasouth",
        "malaysiawest", "newzealandnorth", "southeastasia", "southindia", "westindia",

        // Middle East and Africa
        "israelcentral", "qatarcentral", "southafricanorth", "southafricawest", "uaecentral", "uaenorth",
    ];

    private static readonly HashSet<string> Set = new(Names, StringComparer.Ordinal);

    /// <summary>All known region names, sorted.</summary>
    public static IReadOnlyList<string> All { get; } = Names.Order(StringComparer.Ordinal).ToArray();

    /// <summary>True for a known ARM region name (lowercase, no spaces: <c>westeurope</c>, not <c>West Europe</c>).</summary>
    public static bool IsKnown(string name) => Set.Contains(name);

    /// <summary>The known region closest to <paramref name="name"/> (ignoring case and spaces), for "did you mean".</summary>
    public static string Closest(string name) =>
        NameSuggestions.Closest(new string(name.Where(c => !char.IsWhiteSpace(c)).ToArray()), Names, always: true)!;
}
