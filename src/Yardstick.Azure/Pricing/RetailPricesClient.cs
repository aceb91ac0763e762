using System.Globalization;
using System.Text.Json;
using Azure.Core;
using Yardstick.Azure.Rest;
using Yardstick.Core;

namespace Yardstick.Azure.Pricing;

/// <summary>
/// Azure Retail Prices API (no authentication): <c>GET https://prices.azure.com/api/retail/prices?$filter=…</c>,
/// following <c>NextPageLink</c> until it is null. Pages look like <c>{BillingCurrency, CustomerEntityId,
/// CustomerEntityType, Items:[…], NextPageLink, Count}</c>; USD is the authoritative currency.
/// </summary>
public sealed class RetailPricesClient
{
    private readonly RetailPricesClientOptions _options;
    private readonly AzureRestPipeline _pipeline;

    public RetailPricesClient(RetailPricesClientOptions? options = null)
    {
        _options = options ?? new RetailPricesClientOptions();
        _pipeline = new AzureRestPipeline(AzureApi.RetailPrices, credential: null, _options);
    }

    /// <summary>All Functions prices in an ARM region (<c>serviceName eq 'Functions' and armRegionName eq '…'</c>).</summary>
    /// <exception cref="InputException">The region is not an ARM region name.</exception>
    public Task<IReadOnlyList<RetailPriceItem>> GetFunctionsPricesAsync(string region, CancellationToken cancellationToken)
    {
        var normalized = region.Trim().ToLowerInvariant();
        if (normalized.Length == 0 || !normalized.All(char.IsAsciiLetterOrDigit))
        {
            // Also what keeps the OData filter free of injected quotes.
            throw new InputException("region", $"'{region}' is not an ARM region name (lowercase letters and digits, for example eastus)");
        }

        return GetPricesAsync($"serviceName eq 'Functions' and armRegionName eq '{normalized}'", cancellationToken);
    }

    /// <summary>Every item matching an OData <paramref name="filter"/>, across all pages.</summary>
    public async Task<IReadOnlyList<RetailPriceItem>> GetPricesAsync(string filter, CancellationToken cancellationToken)
    {
        var items = new List<RetailPriceItem>();
        var uri = AzureUris.Build(_options.Endpoint, "/api/retail/prices", ("$filter", filter));
        for (var page = 1; uri is not null; page++)
        {
            if (page > _options.MaxPages)
            {
                throw new AzureApiException(_pipeline.Api.Name, 200, "TooManyPages", null, null,
                    $"{_pipeline.Api.Name}: more than {_options.MaxPages} pages for filter \"{filter}\"; stopping (raise MaxPages if this is expected)");
            }

            var response = await _pipeline.SendAsync(RequestMethod.Get, uri, null, cancellationToken);
            using var json = response.Json();
            var root = json.RootElement;
            if (JsonRead.Property(root, "Items") is not { ValueKind: JsonValueKind.Array } pageItems)
            {
                throw response.Malformed("the 'Items' array is missing");
            }

            items.AddRange(pageItems.EnumerateArray().Select(RetailPriceItem.Parse));
            uri = NextPage(root, response);
        }

        return items;
    }

    private Uri? NextPage(JsonElement root, AzureRestResponse response)
    {
        var next = JsonRead.String(root, "NextPageLink");
        if (string.IsNullOrWhiteSpace(next))
        {
            return null;
        }

        if (!Uri.TryCreate(next, UriKind.Absolute, out var uri))
        {
            throw response.Malformed($"NextPageLink '{next}' is not an absolute URL");
        }

        // Stay on the API's own host: a page must not be able to send us anywhere else.
        return AzureUris.SameOrigin(_options.Endpoint, uri)
            ? uri
            : throw response.Malformed($"NextPageLink points at {uri.Host}, not {_options.Endpoint.Host}");
    }
}

/// <summary>One Retail Prices API item (the members Yardstick reads).</summary>
public sealed record RetailPriceItem
{
    public string? CurrencyCode { get; init; }

    public double TierMinimumUnits { get; init; }

    public double RetailPrice { get; init; }

    public double UnitPrice { get; init; }

    public string? ArmRegionName { get; init; }

    public string? Location { get; init; }

    public DateTimeOffset? EffectiveStartDate { get; init; }

    public string? MeterId { get; init; }

    public string? MeterName { get; init; }

    public string? ProductName { get; init; }

    public string? SkuName { get; init; }

    public string? ServiceName { get; init; }

    public string? UnitOfMeasure { get; init; }

    /// <summary><c>Consumption</c>, <c>DevTestConsumption</c>, <c>Reservation</c>…</summary>
    public string? Type { get; init; }

    public bool? IsPrimaryMeterRegion { get; init; }

    internal static RetailPriceItem Parse(JsonElement item) => new()
    {
        CurrencyCode = JsonRead.String(item, "currencyCode"),
        TierMinimumUnits = JsonRead.Double(item, "tierMinimumUnits") ?? 0,
        RetailPrice = JsonRead.Double(item, "retailPrice") ?? 0,
        UnitPrice = JsonRead.Double(item, "unitPrice") ?? 0,
        ArmRegionName = JsonRead.String(item, "armRegionName"),
        Location = JsonRead.String(item, "location"),
        EffectiveStartDate = DateTimeOffset.TryParse(JsonRead.String(item, "effectiveStartDate"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d) ? d : null,
        MeterId = JsonRead.String(item, "meterId"),
        MeterName = JsonRead.String(item, "meterName"),
        ProductName = JsonRead.String(item, "productName"),
        SkuName = JsonRead.String(item, "skuName"),
        ServiceName = JsonRead.String(item, "serviceName"),
        UnitOfMeasure = JsonRead.String(item, "unitOfMeasure"),
        Type = JsonRead.String(item, "type"),
        IsPrimaryMeterRegion = JsonRead.Property(item, "isPrimaryMeterRegion") is { } p && p.ValueKind is JsonValueKind.True or JsonValueKind.False ? p.GetBoolean() : null,
    };
}
