using System.Text.Json.Nodes;
using Yardstick.Azure.Pricing;
using Yardstick.Azure.Rest;
using Yardstick.Azure.Tests.Rest;
using Yardstick.Core;
using Yardstick.Core.Cost;

namespace Yardstick.Azure.Tests.Pricing;

public sealed class RetailPricesClientTests
{
    private const string EastUsFilter = "serviceName eq 'Functions' and armRegionName eq 'eastus'";

    [Fact]
    public async Task GetFunctionsPricesAsync_ThreePages_FollowsNextPageLinkWithoutAuth()
    {
        await using var server = await LoopbackAzureServer.StartAsync(ServePages(Pages()));
        var client = new RetailPricesClient(server.Configure(new RetailPricesClientOptions()));

        var items = await client.GetFunctionsPricesAsync("EastUS", CancellationToken.None);

        Assert.Equal(Pages().Sum(p => p.Count), items.Count);
        Assert.Equal(3, server.Requests.Count);
        Assert.All(server.Requests, r => Assert.Equal(EastUsFilter, r.QueryValue("$filter")));
        Assert.Equal([null, "100", "200"], server.Requests.Select(r => r.QueryValue("$skip")));
        Assert.All(server.Requests, r => Assert.Null(r.Header("Authorization")));
        Assert.Contains(items, i => i.MeterName == "Standard Execution Time" && i.TierMinimumUnits == 400_000 && i.RetailPrice == 0.000016);
        Assert.Contains(items, i => i.MeterName == "F16s Spot"); // the documented item, verbatim
    }

    [Fact]
    public async Task BuildAsync_ApiItems_MapToCatalogEntriesAndKeepMissingAsUnconfirmed()
    {
        await using var server = await LoopbackAzureServer.StartAsync(ServePages(Pages()));
        var existing = PricingCatalog.Load(Path.Combine(Fixtures.RepositoryRoot, PricingCatalog.DefaultPath));
        var builder = new PricingCatalogBuilder(new RetailPricesClient(server.Configure(new RetailPricesClientOptions())), new FixedTime(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero)));

        var result = await builder.BuildAsync("eastus", existing, CancellationToken.None);
        var catalog = PricingCatalog.Parse(result.Catalog.ToJson(), "rebuilt"); // the output is a valid catalog file

        var time = catalog.Price(PricingPlans.Consumption, PricingMeters.ExecutionTime, "eastus").Entry;
        Assert.Equal((PricingUnits.GbSecond, 0.000016, false), (time.Unit, time.UnitPriceUsd, time.Unconfirmed));
        Assert.Equal(400_000, time.FreeGrant!.BaseQuantity);
        Assert.Equal(new DateOnly(2026, 12, 1), time.Retrieved);
        Assert.Contains("meterName 'Standard Execution Time'", time.Source, StringComparison.Ordinal);

        var flexExecutions = catalog.Price(PricingPlans.FlexConsumption, PricingMeters.OnDemandExecutions, "eastus").Entry;
        Assert.Equal((PricingUnits.TenExecutions, 0.000004), (flexExecutions.Unit, flexExecutions.UnitPriceUsd));
        Assert.Equal(250_000, flexExecutions.FreeGrant!.BaseQuantity); // tierMinimumUnits 25,000 × 10

        // The DevTestConsumption item (a different price) is ignored.
        Assert.Equal(0.000026, catalog.Price(PricingPlans.FlexConsumption, PricingMeters.OnDemandExecutionTime, "eastus").Entry.UnitPriceUsd);
        Assert.Null(catalog.Price(PricingPlans.FlexConsumption, PricingMeters.AlwaysReadyBaseline, "eastus").Entry.FreeGrant);
        Assert.Equal((PricingUnits.VcpuHour, 0.173), Pair(catalog.Price(PricingPlans.Premium, PricingMeters.VcpuDuration, "eastus").Entry));
        Assert.Equal((PricingUnits.GbHour, 0.0123), Pair(catalog.Price(PricingPlans.Premium, PricingMeters.MemoryDuration, "eastus").Entry));

        Assert.Equal(
            ["consumption/executions", "flexConsumption/alwaysReadyExecutionTime", "flexConsumption/alwaysReadyExecutions"],
            result.MissingMeters);
        var kept = catalog.Price(PricingPlans.FlexConsumption, PricingMeters.AlwaysReadyExecutionTime, "eastus").Entry;
        Assert.True(kept.Unconfirmed);
        Assert.StartsWith("not found in the Retail Prices API for eastus on 2026-12-01", kept.Source, StringComparison.Ordinal);
        Assert.Equal(existing.Price(PricingPlans.FlexConsumption, PricingMeters.AlwaysReadyExecutionTime, "eastus").Entry.UnitPriceUsd, kept.UnitPriceUsd);

        // Region-agnostic defaults survive a regional refresh.
        Assert.Equal(
            existing.Entries.Where(e => e.Region == PricingCatalog.DefaultRegion),
            catalog.Entries.Where(e => e.Region == PricingCatalog.DefaultRegion));
    }

    [Fact]
    public async Task GetFunctionsPricesAsync_503OnSecondPage_RetriesAndCompletes()
    {
        var pages = Pages();
        var failed = 0;
        var serve = ServePages(pages);
        await using var server = await LoopbackAzureServer.StartAsync(r =>
            r.QueryValue("$skip") == "100" && Interlocked.Increment(ref failed) == 1 ? new FakeResponse(503) : serve(r));
        var client = new RetailPricesClient(server.Configure(new RetailPricesClientOptions()));

        var items = await client.GetFunctionsPricesAsync("eastus", CancellationToken.None);

        Assert.Equal(pages.Sum(p => p.Count), items.Count);
        Assert.Equal(4, server.Requests.Count);
    }

    [Fact]
    public async Task GetFunctionsPricesAsync_NextPageLinkToAnotherHost_Refused()
    {
        await using var server = await LoopbackAzureServer.StartAsync(_ => FakeResponse.Json(
            Page([], "https://elsewhere.invalid/api/retail/prices?$skip=100").ToJsonString()));
        var client = new RetailPricesClient(server.Configure(new RetailPricesClientOptions()));

        var error = await Assert.ThrowsAsync<AzureApiException>(() => client.GetFunctionsPricesAsync("eastus", CancellationToken.None));

        Assert.Contains("NextPageLink points at elsewhere.invalid", error.Message, StringComparison.Ordinal);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task GetFunctionsPricesAsync_BadRegion_NamesTheFieldWithoutCallingTheApi()
    {
        await using var server = await LoopbackAzureServer.StartAsync(_ => new FakeResponse(500));
        var client = new RetailPricesClient(server.Configure(new RetailPricesClientOptions()));

        var error = await Assert.ThrowsAsync<InputException>(() => client.GetFunctionsPricesAsync("eastus' or 'a' eq 'a", CancellationToken.None));

        Assert.Equal("region", error.Field);
        Assert.Empty(server.Requests);
    }

    [Theory]
    [InlineData("1 GB Second", "GB-s", "GB-s", 1)]
    [InlineData("10", "execution", "10 executions", 10)]
    [InlineData("1M", "execution", "1M executions", 1_000_000)]
    [InlineData("100 GB Seconds", "GB-s", "GB-s", 100)]
    [InlineData("1 Hour", "vCPU-s", "vCPU-hour", 3600)]
    [InlineData("1 GiB Hour", "GB-s", "GB-hour", 3600)]
    public void TryUnit_UnitsOfMeasure_MapToCatalogUnits(string unitOfMeasure, string baseUnit, string unit, double perQuoted)
    {
        Assert.True(PricingCatalogBuilder.TryUnit(unitOfMeasure, baseUnit, out var mapped, out var baseUnits));
        Assert.Equal((unit, perQuoted), (mapped, baseUnits));
    }

    [Fact]
    public void TryUnit_UnknownUnit_False() => Assert.False(PricingCatalogBuilder.TryUnit("1/Month", "GB-s", out _, out _));

    private static (string, double) Pair(PriceEntry e) => (e.Unit, e.UnitPriceUsd);

    /// <summary>Serves page N for <c>$skip</c> = 100 × N, each linking to the next (absolute URL on this server).</summary>
    private static Func<RecordedRequest, FakeResponse> ServePages(List<List<JsonObject>> pages) => request =>
    {
        var index = int.Parse(request.QueryValue("$skip") ?? "0", System.Globalization.CultureInfo.InvariantCulture) / 100;
        var next = index + 1 < pages.Count
            ? $"https://{request.Header("Host")}/api/retail/prices?$filter={Uri.EscapeDataString(EastUsFilter)}&$skip={(index + 1) * 100}"
            : null;
        return FakeResponse.Json(Page(pages[index], next).ToJsonString());
    };

    /// <summary>A page as the API wraps items (Fixtures/README.md).</summary>
    private static JsonObject Page(List<JsonObject> items, string? next) => new()
    {
        ["BillingCurrency"] = "USD",
        ["CustomerEntityId"] = "Default",
        ["CustomerEntityType"] = "Retail",
        ["Items"] = new JsonArray(items.Select(i => (JsonNode)i.DeepClone()).ToArray()),
        ["NextPageLink"] = next,
        ["Count"] = items.Count,
    };

    /// <summary>
    /// Functions items in the documented item shape (DocSample_Item_Consumption.json) with the meter names, units
    /// and tiers AZURE-FACTS §1 reports; three meters are deliberately absent.
    /// </summary>
    private static List<List<JsonObject>> Pages() =>
    [
        [
            Item("Functions", "Standard", "Standard Execution Time", "1 GB Second", 0, 0),
            Item("Functions", "Standard", "Standard Execution Time", "1 GB Second", 0.000016, 400_000),
            Item("Flex Consumption", "On Demand", "On Demand Execution Time", "1 GB Second", 0, 0),
        ],
        [
            Item("Flex Consumption", "On Demand", "On Demand Execution Time", "1 GB Second", 0.000026, 100_000),
            Item("Flex Consumption", "On Demand", "On Demand Execution Time", "1 GB Second", 0.00002, 100_000, type: "DevTestConsumption"),
            Item("Flex Consumption", "On Demand", "On Demand Total Executions", "10", 0, 0),
            Item("Flex Consumption", "On Demand", "On Demand Total Executions", "10", 0.000004, 25_000),
        ],
        [
            Item("Flex Consumption", "Always Ready", "Always Ready Baseline", "1 GB Second", 0.000004, 0),
            Item("Premium Functions", "EP1", "Premium vCPU Duration", "1 Hour", 0.173, 0),
            Item("Premium Functions", "EP1", "Premium Memory Duration", "1 GiB Hour", 0.0123, 0),
            Fixtures.Load("retail-prices/DocSample_Item_Consumption.json"),
        ],
    ];

    private static JsonObject Item(string product, string sku, string meter, string unit, double price, double tierMinimum, string type = "Consumption")
    {
        var item = Fixtures.Load("retail-prices/DocSample_Item_Consumption.json");
        item["productName"] = product;
        item["skuName"] = sku;
        item["meterName"] = meter;
        item["unitOfMeasure"] = unit;
        item["retailPrice"] = price;
        item["unitPrice"] = price;
        item["tierMinimumUnits"] = tierMinimum;
        item["serviceName"] = "Functions";
        item["serviceFamily"] = "Compute";
        item["armRegionName"] = "eastus";
        item["location"] = "US East";
        item["type"] = type;
        item.Remove("armSkuName");
        return item;
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
