using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;
using Yardstick.Cli.Tests.EndToEnd;
using Yardstick.Core.Cost;
using Yardstick.Testing;

namespace Yardstick.Cli.Tests.Commands;

/// <summary>
/// `yardstick pricing refresh` against a loopback fake of the Retail Prices API (two pages joined by NextPageLink, item
/// shape of the API's documented sample), and `pricing show`. Nothing leaves the machine.
/// </summary>
public sealed class PricingCommandTests(AzuriteFixture azurite, ITestOutputHelper output) : IClassFixture<AzuriteFixture>, IDisposable
{
    private readonly CliHarness _cli = new(azurite, output);

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Refresh_TwoPagesForARegion_WritesItsPricesAndKeepsOtherRegions()
    {
        await using var api = await FakeRetailPrices.StartAsync();
        var catalogPath = _cli.PathOf("azure-functions.json");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "pricing", "azure-functions.json"), catalogPath);
        var before = PricingCatalog.Load(catalogPath);

        var result = await _cli.RunAsync("pricing", "refresh", "--region", "westeurope", "--out", catalogPath, "--endpoint", api.BaseUrl);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(2, api.Requests.Count); // page 1, then NextPageLink
        Assert.Contains("armRegionName eq 'westeurope'", api.Requests.First(), StringComparison.Ordinal);
        Assert.Contains("2 meter(s) from the Retail Prices API", result.Out, StringComparison.Ordinal);

        var after = PricingCatalog.Load(catalogPath);
        var onDemand = after.Price(PricingPlans.FlexConsumption, PricingMeters.OnDemandExecutionTime, "westeurope");
        Assert.Equal(0.000031, onDemand.Entry.UnitPriceUsd, 12);
        Assert.False(onDemand.Unconfirmed);
        Assert.Equal(100_000, onDemand.Entry.FreeGrant!.Quantity, 6);
        var executions = after.Price(PricingPlans.FlexConsumption, PricingMeters.OnDemandExecutions, "westeurope");
        Assert.Equal(0.0000048, executions.PricePerBaseUnitUsd * 10, 12);

        // Meters the API did not list keep the default price, marked unconfirmed; other regions are untouched.
        Assert.True(after.Price(PricingPlans.Premium, PricingMeters.VcpuDuration, "westeurope").Unconfirmed);
        Assert.Equal(
            before.Entries.Where(e => e.Region == "eastus").Select(e => (e.Meter, e.UnitPriceUsd)),
            after.Entries.Where(e => e.Region == "eastus").Select(e => (e.Meter, e.UnitPriceUsd)));

        var show = await _cli.RunAsync("pricing", "show", "--file", catalogPath, "--region", "westeurope");
        Assert.Equal(0, show.ExitCode);
        Assert.Contains("westeurope", show.Out, StringComparison.Ordinal);
        Assert.Contains("UNCONFIRMED", show.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("eastus", show.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refresh_RegionWithSpaces_ExitsTwoNamingTheRegion()
    {
        var result = await _cli.RunAsync("pricing", "refresh", "--region", "West Europe", "--out", _cli.PathOf("x.json"), "--endpoint", "http://127.0.0.1:9");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("region", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_cli.PathOf("x.json")));
    }

    [Fact]
    public async Task Show_ShippedCatalog_MarksUnconfirmedPrices()
    {
        var result = await _cli.RunAsync("pricing", "show", "--file", Path.Combine(AppContext.BaseDirectory, "pricing", "azure-functions.json"), "--region", "eastus");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("onDemandExecutionTime", result.Out, StringComparison.Ordinal);
        Assert.Contains("UNCONFIRMED", result.Out, StringComparison.Ordinal);
    }

    /// <summary>Two pages of Functions prices for westeurope, in the API's item shape.</summary>
    private sealed class FakeRetailPrices : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private FakeRetailPrices(WebApplication app, string baseUrl)
        {
            _app = app;
            BaseUrl = baseUrl;
        }

        public string BaseUrl { get; }

        public ConcurrentQueue<string> Requests { get; } = new();

        public static async Task<FakeRetailPrices> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            FakeRetailPrices? self = null;
            app.MapGet("/api/retail/prices", (HttpContext http) =>
            {
                self!.Requests.Enqueue(Uri.UnescapeDataString(http.Request.QueryString.Value ?? ""));
                var page2 = http.Request.Query.ContainsKey("$skip");
                object[] items = page2
                    ? [Item("On Demand Total Executions", "10", 0, 0), Item("On Demand Total Executions", "10", 0.0000048, 25_000)]
                    : [Item("On Demand Execution Time", "1 GB Second", 0, 0), Item("On Demand Execution Time", "1 GB Second", 0.000031, 100_000)];
                var next = page2 ? null : $"{self.BaseUrl}/api/retail/prices?$filter={Uri.EscapeDataString(http.Request.Query["$filter"].ToString())}&$skip=100";
                return Results.Text(JsonSerializer.Serialize(new { BillingCurrency = "USD", CustomerEntityId = "Default", CustomerEntityType = "Retail", Items = items, NextPageLink = next, Count = items.Length }), "application/json");
            });
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            self = new FakeRetailPrices(app, address);
            return self;
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();

        private static object Item(string meterName, string unit, double price, double tierMinimumUnits) => new
        {
            currencyCode = "USD",
            tierMinimumUnits,
            retailPrice = price,
            unitPrice = price,
            armRegionName = "westeurope",
            location = "EU West",
            effectiveStartDate = "2025-01-01T00:00:00Z",
            meterId = Guid.NewGuid().ToString(),
            meterName,
            productName = "Functions Flex Consumption",
            skuName = "On Demand",
            serviceName = "Functions",
            unitOfMeasure = unit,
            type = "Consumption",
            isPrimaryMeterRegion = true,
        };
    }
}
