using System.Diagnostics;
using System.Text.Json.Nodes;
using Yardstick.Azure.LogAnalytics;
using Yardstick.Azure.Metrics;
using Yardstick.Azure.Pricing;
using Yardstick.Azure.Rest;
using Yardstick.Azure.WebApps;
using Yardstick.Azure.Tests.WebApps;

namespace Yardstick.Azure.Tests.Rest;

/// <summary>
/// The failure modes every client shares through <see cref="AzureRestPipeline"/> (Azure.Core's pipeline), for each of
/// the four APIs against a loopback server replaying the spec examples: a 401 is reported naming the API and not
/// retried; a 429 with <c>Retry-After</c> is retried after the server's wait, then succeeds; a 5xx is retried, then
/// succeeds. (Malformed JSON: <see cref="MalformedResponseTests"/>; paging: the Retail Prices tests — the other three
/// APIs as called here do not page.)
/// </summary>
public sealed class ClientFailureModesTests
{
    public const string Arm = "ARM Web Apps";
    public const string Monitor = "Azure Monitor metrics";
    public const string LogAnalytics = "Log Analytics query";
    public const string RetailPrices = "Azure Retail Prices";

    private const string WorkspaceId = "63613592-b6f7-4c3d-a390-22ba13102111";
    private static readonly DateTimeOffset From = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static TheoryData<string> Apis => [Arm, Monitor, LogAnalytics, RetailPrices];

    [Theory]
    [MemberData(nameof(Apis))]
    public async Task Call_Unauthorized_ErrorNamesTheApiNotRetried(string api)
    {
        await using var server = await LoopbackAzureServer.StartAsync(_ => FakeResponse.Json(
            """{"error":{"code":"InvalidAuthenticationToken","message":"The access token is invalid."}}""",
            401,
            new Dictionary<string, string> { ["x-ms-request-id"] = "rid-401" }));

        var error = await Assert.ThrowsAsync<AzureApiException>(() => Call(api, server));

        Assert.Equal(api, error.Api);
        Assert.Equal(401, error.Status);
        Assert.Equal("InvalidAuthenticationToken", error.ErrorCode);
        Assert.Equal("rid-401", error.RequestId);
        Assert.StartsWith($"{api}: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("failed with HTTP 401", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(FakeTokenCredential.TokenPrefix, error.Message, StringComparison.Ordinal);
        Assert.Single(server.Requests); // a refused credential does not get better by retrying
    }

    [Theory]
    [MemberData(nameof(Apis))]
    public async Task Call_429WithRetryAfter_WaitsThenSucceeds(string api)
    {
        var calls = 0;
        await using var server = await LoopbackAzureServer.StartAsync(_ => Interlocked.Increment(ref calls) == 1
            ? new FakeResponse(429, """{"error":{"code":"TooManyRequests","message":"slow down"}}""", new Dictionary<string, string> { ["Retry-After"] = "1" })
            : FakeResponse.Json(SuccessBody(api)));

        await Call(api, server);

        var requests = server.Requests;
        Assert.Equal(2, requests.Count);
        Assert.Equal(requests[0].Path, requests[1].Path);
        Assert.Equal(requests[0].Body, requests[1].Body); // a POST is resent whole

        // The configured backoff is 10 ms: only honouring Retry-After (1 s) explains a gap of about a second.
        var gap = Stopwatch.GetElapsedTime(requests[0].Timestamp, requests[1].Timestamp);
        Assert.True(gap >= TimeSpan.FromMilliseconds(900), $"retried after {gap.TotalMilliseconds:0} ms");
    }

    [Theory]
    [MemberData(nameof(Apis))]
    public async Task Call_5xxThenSuccess_RetriedAndSucceeds(string api)
    {
        var calls = 0;
        await using var server = await LoopbackAzureServer.StartAsync(_ => Interlocked.Increment(ref calls) switch
        {
            1 => new FakeResponse(500, """{"error":{"code":"InternalServerError","message":"boom"}}"""),
            2 => new FakeResponse(503, """{"error":{"code":"ServiceUnavailable","message":"try later"}}"""),
            _ => FakeResponse.Json(SuccessBody(api)),
        });

        await Call(api, server);

        Assert.Equal(3, server.Requests.Count);
    }

    /// <summary>One call per API; each checks a value from the success body so a wrong parse cannot pass.</summary>
    private static async Task Call(string api, LoopbackAzureServer server)
    {
        var credential = new FakeTokenCredential();
        switch (api)
        {
            case Arm:
                var site = await new WebAppsClient(credential, server.Configure(new WebAppsClientOptions())).GetSiteAsync(FakeArmSite.SiteId, CancellationToken.None);
                Assert.Equal("sitef6141", site.Name);
                break;
            case Monitor:
                var metrics = await new MonitorMetricsClient(credential, server.Configure(new MonitorMetricsClientOptions()))
                    .GetMetricsAsync(FakeArmSite.SiteId, ["BlobCount"], From, From.AddHours(1), CancellationToken.None);
                Assert.NotNull(metrics.Find("BlobCount"));
                break;
            case LogAnalytics:
                var result = await new LogAnalyticsClient(credential, server.Configure(new LogAnalyticsClientOptions()))
                    .QueryAsync(WorkspaceId, "Usage | take 10", "PT12H", CancellationToken.None);
                Assert.Equal(2, result.PrimaryResult.Rows.Count);
                break;
            default:
                var items = await new RetailPricesClient(server.Configure(new RetailPricesClientOptions())).GetFunctionsPricesAsync("eastus", CancellationToken.None);
                Assert.Equal("F16s Spot", Assert.Single(items).MeterName);
                break;
        }
    }

    private static string SuccessBody(string api) => api switch
    {
        Arm => Fixtures.ResponseBodyText("app-service/GetWebApp.json"),
        Monitor => Fixtures.ResponseBodyText("monitor-metrics/GetMetric.json"),
        LogAnalytics => Fixtures.ResponseBodyText("log-analytics-query/la-post-example.json"),
        _ => new JsonObject
        {
            ["BillingCurrency"] = "USD",
            ["CustomerEntityId"] = "Default",
            ["CustomerEntityType"] = "Retail",
            ["Items"] = new JsonArray(Fixtures.Load("retail-prices/DocSample_Item_Consumption.json")),
            ["NextPageLink"] = null,
            ["Count"] = 1,
        }.ToJsonString(),
    };
}
