using Yardstick.Azure.LogAnalytics;
using Yardstick.Azure.Metrics;
using Yardstick.Azure.Pricing;
using Yardstick.Azure.Rest;
using Yardstick.Azure.WebApps;

namespace Yardstick.Azure.Tests.Rest;

/// <summary>Every client turns a malformed 200 body into an <see cref="AzureApiException"/> that names its API.</summary>
public sealed class MalformedResponseTests
{
    private const string SiteId = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/app";
    private static readonly DateTimeOffset From = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("Azure Monitor metrics", "{\"value\": [")]
    [InlineData("Azure Monitor metrics", "<html>Service Unavailable</html>")]
    [InlineData("Azure Monitor metrics", "{\"cost\": 0}")]
    [InlineData("Log Analytics query", "{\"tables\": [{\"name\": \"PrimaryResult\", ")]
    [InlineData("Log Analytics query", "{}")]
    [InlineData("ARM Web Apps", "not json")]
    [InlineData("ARM Web Apps", "")]
    [InlineData("Azure Retail Prices", "{\"Items\": 5}")]
    [InlineData("Azure Retail Prices", "[1, 2")]
    public async Task Call_MalformedBody_ErrorNamesTheApi(string api, string body)
    {
        await using var server = await LoopbackAzureServer.StartAsync(_ => new FakeResponse(200, body, new Dictionary<string, string> { ["x-ms-request-id"] = "rid-9" }));
        var credential = new FakeTokenCredential();
        Func<Task> call = api switch
        {
            "Azure Monitor metrics" => () => new MonitorMetricsClient(credential, server.Configure(new MonitorMetricsClientOptions())).GetMetricsAsync(SiteId, ["A"], From, From.AddHours(1), CancellationToken.None),
            "Log Analytics query" => () => new LogAnalyticsClient(credential, server.Configure(new LogAnalyticsClientOptions())).QueryAsync(Guid.Empty.ToString(), "AppRequests", null, CancellationToken.None),
            "ARM Web Apps" => () => new WebAppsClient(credential, server.Configure(new WebAppsClientOptions())).GetSiteAsync(SiteId, CancellationToken.None),
            _ => () => new RetailPricesClient(server.Configure(new RetailPricesClientOptions())).GetFunctionsPricesAsync("eastus", CancellationToken.None),
        };

        var error = await Assert.ThrowsAsync<AzureApiException>(call);

        Assert.Equal(api, error.Api);
        Assert.StartsWith($"{api} returned malformed JSON (HTTP 200 from ", error.Message, StringComparison.Ordinal);
        Assert.Equal("MalformedResponse", error.ErrorCode);
        Assert.Equal("rid-9", error.RequestId);
        Assert.Single(server.Requests); // a malformed 200 is not retried
    }
}
