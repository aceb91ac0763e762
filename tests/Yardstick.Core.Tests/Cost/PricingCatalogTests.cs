using System.Text.Json.Nodes;
using Yardstick.Core.Cost;
using static Yardstick.Core.Tests.Cost.CostTestData;

namespace Yardstick.Core.Tests.Cost;

public sealed class PricingCatalogTests
{
    private const string ValidEntry = """
        {"plan":"flexConsumption","meter":"onDemandExecutions","unit":"10 executions","unitPriceUsd":0.000004,
         "region":"eastus","source":"test","retrieved":"2026-11-29","unconfirmed":false,
         "freeGrant":{"quantity":25000,"unit":"10 executions","unconfirmed":true}}
        """;

    [Fact]
    public void Load_CheckedInCatalog_IsValidAndCoversEveryMeterForEastusAndDefault()
    {
        var catalog = Catalog;

        Assert.Equal(PricingCatalog.CurrentSchemaVersion, catalog.SchemaVersion);
        foreach (var (plan, meters) in PricingMeters.ByPlan)
        {
            foreach (var meter in meters.Keys)
            {
                Assert.True(catalog.Has(plan, meter, "eastus"), $"{plan}/{meter} eastus");
                Assert.True(catalog.Has(plan, meter, PricingCatalog.DefaultRegion), $"{plan}/{meter} default");
            }
        }
    }

    [Theory]
    // AZURE-FACTS §1: Consumption rates and Premium rates are third-party (UNCONFIRMED); Flex on-demand rates are
    // in Microsoft's worked example (confirmed); Flex always-ready rates are third-party (UNCONFIRMED).
    [InlineData("consumption", "executionTime", true, 0.000016)]
    [InlineData("consumption", "executions", true, 0.20)]
    [InlineData("flexConsumption", "onDemandExecutionTime", false, 0.000026)]
    [InlineData("flexConsumption", "onDemandExecutions", false, 0.000004)]
    [InlineData("flexConsumption", "alwaysReadyBaseline", true, 0.000004)]
    [InlineData("flexConsumption", "alwaysReadyExecutionTime", true, 0.000016)]
    [InlineData("flexConsumption", "alwaysReadyExecutions", true, 0.000004)]
    [InlineData("premium", "vcpuDuration", true, 0.173)]
    [InlineData("premium", "memoryDuration", true, 0.0123)]
    public void Load_CheckedInCatalog_UnconfirmedExactlyWhereAzureFactsSays(string plan, string meter, bool unconfirmed, double price)
    {
        var entry = Catalog.Price(plan, meter, "eastus").Entry;

        Assert.Equal(unconfirmed, entry.Unconfirmed);
        Assert.Equal(price, entry.UnitPriceUsd, 12);
    }

    [Fact]
    public void Load_CheckedInCatalog_FreeGrantsMatchAzureFacts()
    {
        // Consumption grants from the pricing page; Flex grants third-party only (UNCONFIRMED).
        var consumptionTime = Catalog.Price("consumption", "executionTime", "eastus").Entry.FreeGrant!;
        Assert.Equal(400_000, consumptionTime.BaseQuantity);
        Assert.False(consumptionTime.Unconfirmed);
        Assert.Equal(1_000_000, Catalog.Price("consumption", "executions", "eastus").Entry.FreeGrant!.BaseQuantity);
        var flexExecutions = Catalog.Price("flexConsumption", "onDemandExecutions", "eastus").Entry.FreeGrant!;
        Assert.Equal(250_000, flexExecutions.BaseQuantity);
        Assert.True(flexExecutions.Unconfirmed);
        Assert.Null(Catalog.Price("flexConsumption", "alwaysReadyBaseline", "eastus").Entry.FreeGrant);
    }

    [Fact]
    public void Price_PerTenExecutions_NormalisesToPerExecution() =>
        Assert.Equal(0.40 / 1_000_000, Catalog.Price("flexConsumption", "onDemandExecutions", "eastus").PricePerBaseUnitUsd, 15);

    [Fact]
    public void Price_RegionMissing_ThrowsNamingRegionAndRefreshCommand()
    {
        var error = Assert.Throws<InputException>(() => Catalog.Price("flexConsumption", "onDemandExecutionTime", "westeurope"));

        Assert.Equal("cost.region", error.Field);
        Assert.Contains("westeurope", error.Message, StringComparison.Ordinal);
        Assert.Contains("yardstick pricing refresh --region westeurope", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Price_RegionMissingDefaultAllowed_ReturnsDefaultWithFlagAndNote()
    {
        var quote = Catalog.Price("flexConsumption", "onDemandExecutionTime", "WestEurope", allowDefault: true);

        Assert.True(quote.UsedDefault);
        Assert.True(quote.Unconfirmed);
        Assert.Equal(PricingCatalog.DefaultRegion, quote.Entry.Region);
        Assert.Contains(quote.Notes, n => n.StartsWith("default price used for region westeurope", StringComparison.Ordinal));
    }

    [Fact]
    public void Price_RegionPresent_DoesNotUseDefault()
    {
        var quote = Catalog.Price("flexConsumption", "onDemandExecutionTime", "eastus", allowDefault: true);

        Assert.False(quote.UsedDefault);
        Assert.Empty(quote.Notes);
    }

    [Fact]
    public void Parse_ToJsonRoundTrip_KeepsEveryEntry()
    {
        var again = PricingCatalog.Parse(Catalog.ToJson(), "round-trip");

        Assert.Equal(Catalog.Entries, again.Entries);
    }

    [Theory]
    [InlineData("unitPriceUsd", null, "entries[0].unitPriceUsd", "is required")]
    [InlineData("unitPriceUsd", "-1", "entries[0].unitPriceUsd", "≥ 0")]
    [InlineData("unitPriceUsd", "\"abc\"", "entries[0].unitPriceUsd", "finite number")]
    [InlineData("plan", "\"dedicated\"", "entries[0].plan", "unknown plan 'dedicated'")]
    [InlineData("meter", "\"gpuSeconds\"", "entries[0].meter", "unknown meter 'gpuSeconds'")]
    [InlineData("unit", "\"parsec\"", "entries[0].unit", "unknown unit 'parsec'")]
    [InlineData("unit", "\"GB-s\"", "entries[0].unit", "counted in execution")]
    [InlineData("region", "\"East US\"", "entries[0].region", "not an ARM region name")]
    [InlineData("retrieved", "\"29/11/2026\"", "entries[0].retrieved", "yyyy-MM-dd")]
    [InlineData("source", "\"\"", "entries[0].source", "non-empty string")]
    [InlineData("unconfirmed", "\"yes\"", "entries[0].unconfirmed", "true or false")]
    [InlineData("freeGrant", "{\"quantity\":1,\"unit\":\"GB-s\"}", "entries[0].freeGrant.unit", "not a unit of execution")]
    public void Parse_InvalidEntryField_NamesEntryAndField(string field, string? value, string expectedField, string expectedMessage)
    {
        var entry = JsonNode.Parse(ValidEntry)!.AsObject();
        entry.Remove(field);
        if (value is not null)
        {
            entry[field] = JsonNode.Parse(value);
        }

        var json = $$"""{"schemaVersion":1,"entries":[{{entry.ToJsonString()}}]}""";

        var error = Assert.Throws<InputException>(() => PricingCatalog.Parse(json, "test.json"));

        Assert.Equal(expectedField, error.Field);
        Assert.Contains(expectedMessage, error.Message, StringComparison.Ordinal);
        Assert.StartsWith($"test.json: {expectedField}: ", error.Describe(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"schemaVersion":2,"entries":[]}""", "schemaVersion", "not supported")]
    [InlineData("""{"entries":[]}""", "schemaVersion", "is required")]
    [InlineData("""{"schemaVersion":1}""", "entries", "must be an array")]
    [InlineData("""{"schemaVersion":1,"currency":"EUR","entries":[]}""", "currency", "must be USD")]
    [InlineData("""[1,2]""", "$", "must be an object")]
    [InlineData("""{"schemaVersion":1,"entries":[""", "$", "not valid JSON")]
    [InlineData("""{"schemaVersion":1,"entries":[42]}""", "entries[0]", "must be an object")]
    public void Parse_InvalidDocument_NamesTheField(string json, string expectedField, string expectedMessage)
    {
        var error = Assert.Throws<InputException>(() => PricingCatalog.Parse(json, "test.json"));

        Assert.Equal(expectedField, error.Field);
        Assert.Contains(expectedMessage, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DuplicateEntry_NamesBothEntries()
    {
        var json = $$"""{"schemaVersion":1,"entries":[{{ValidEntry}},{{ValidEntry}}]}""";

        var error = Assert.Throws<InputException>(() => PricingCatalog.Parse(json, "test.json"));

        Assert.Equal("entries[1]", error.Field);
        Assert.Contains("duplicates entries[0]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadFor_RelativePricingFile_ResolvesAgainstBaseDirectory()
    {
        var spec = new global::Yardstick.Core.Workloads.CostSpec { Plan = global::Yardstick.Core.Workloads.HostingPlan.Consumption, PricingFile = "pricing/azure-functions.json" };

        var catalog = PricingCatalog.LoadFor(spec, Path.Combine(RepositoryRoot, "workloads"));

        Assert.Equal(Catalog.Entries, catalog.Entries);
        Assert.Equal(Catalog.Entries, PricingCatalog.LoadFor(spec with { PricingFile = null }, RepositoryRoot).Entries);
    }

    [Fact]
    public void Load_MissingFile_NamesThePricingFileKey()
    {
        var error = Assert.Throws<InputException>(() => PricingCatalog.Load(Path.Combine(Path.GetTempPath(), "no-such-catalog-" + Guid.NewGuid() + ".json")));

        Assert.Equal("cost.pricingFile", error.Field);
    }
}
