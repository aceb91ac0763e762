using System.Diagnostics;
using System.Text.Json.Nodes;
using Yardstick.Azure.Metrics;
using Yardstick.Azure.Rest;
using Yardstick.Azure.Tests.Rest;
using Yardstick.Core.Cost;
using Yardstick.Core.Workloads;

namespace Yardstick.Azure.Tests.Metrics;

public sealed class MonitorMetricsClientTests
{
    private const string SiteId = "/subscriptions/34adfa4f-cedf-4dc0-ba29-b6d1a69ab345/resourceGroups/testrg123/providers/Microsoft.Web/sites/sitef6141";
    private static readonly DateTimeOffset From = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset To = From.AddHours(1);

    [Fact]
    public async Task GetMetricsAsync_SpecExample_SendsDocumentedQueryAndParsesSeries()
    {
        await using var server = await LoopbackAzureServer.StartAsync(_ => FakeResponse.Json(Fixtures.ResponseBodyText("monitor-metrics/GetMetric.json")));
        var credential = new FakeTokenCredential();
        var client = new MonitorMetricsClient(credential, server.Configure(new MonitorMetricsClientOptions()));

        var response = await client.GetMetricsAsync(SiteId, ["BlobCount", "BlobCapacity"], From, To, CancellationToken.None);

        var request = Assert.Single(server.Requests);
        Assert.Equal("GET", request.Method);
        Assert.Equal(SiteId + "/providers/Microsoft.Insights/metrics", request.Path);
        Assert.Equal("2023-10-01", request.QueryValue("api-version"));
        Assert.Equal("Microsoft.Web/sites", request.QueryValue("metricnamespace"));
        Assert.Equal("BlobCount,BlobCapacity", request.QueryValue("metricnames"));
        Assert.Equal("2026-01-01T00:00:00Z/2026-01-01T01:00:00Z", request.QueryValue("timespan"));
        Assert.Equal("PT1M", request.QueryValue("interval"));
        Assert.Equal("Total", request.QueryValue("aggregation"));
        Assert.Equal("Bearer " + FakeTokenCredential.TokenFor("https://management.azure.com/.default"), request.Header("Authorization"));
        Assert.Equal(["https://management.azure.com/.default"], credential.Scopes.Distinct());

        // GetMetric.json: BlobCount split by 5 tiers × 5 hourly points; averages Hot 7, Standard 2, others 0 → Σ 45; no "total" came back.
        var blobCount = response.Find("blobcount")!;
        Assert.Equal("Count", blobCount.Unit);
        Assert.Equal(5, blobCount.TimeSeries.Count);
        Assert.Equal("Hot", blobCount.TimeSeries[0].Dimensions["tier"]);
        Assert.Equal(45, blobCount.Sum(MetricAggregation.Average));
        Assert.Equal(0, blobCount.Sum(MetricAggregation.Total));
        Assert.Equal(0, blobCount.PointsWith(MetricAggregation.Total));
        Assert.False(blobCount.IsError);
        Assert.Equal("westus2", response.ResourceRegion);
    }

    [Fact]
    public async Task GetTotalsAsync_FunctionsMetricsWithNullsAndEmptyBins_SumsTotalsPerMetric()
    {
        // The GetMetric.json shape with the Flex billing metrics' names and totals; one bin has "total": null and
        // one has no total at all (empty bins), as Azure Monitor returns them.
        var body = Fixtures.ResponseBody("monitor-metrics/GetMetric.json").AsObject();
        var metrics = body["value"]!.AsArray();
        SetMetric(metrics[0]!.AsObject(), FunctionMetrics.OnDemandExecutionUnits, [2_048_000, 1_024_000, null, 512_000, "absent"]);
        SetMetric(metrics[1]!.AsObject(), FunctionMetrics.OnDemandExecutionCount, [3, 2, 1, null, 0]);
        await using var server = await LoopbackAzureServer.StartAsync(_ => FakeResponse.Json(body.ToJsonString()));
        var client = new MonitorMetricsClient(new FakeTokenCredential(), server.Configure(new MonitorMetricsClientOptions()));

        var totals = await client.GetTotalsAsync(SiteId, [FunctionMetrics.OnDemandExecutionUnits, FunctionMetrics.OnDemandExecutionCount], From, To, CancellationToken.None);

        Assert.Equal(3_584_000, totals.Totals[FunctionMetrics.OnDemandExecutionUnits]);
        Assert.Equal(6, totals.Totals[FunctionMetrics.OnDemandExecutionCount]);
        Assert.Empty(totals.Errors);
    }

    [Fact]
    public async Task GetTotalsAsync_MetricWithErrorCode_ReportsErrorAndKeepsTheOther()
    {
        await using var server = await LoopbackAzureServer.StartAsync(_ => FakeResponse.Json(Fixtures.ResponseBodyText("monitor-metrics/GetMetricError.json")));
        var client = new MonitorMetricsClient(new FakeTokenCredential(), server.Configure(new MonitorMetricsClientOptions()));

        var totals = await client.GetTotalsAsync(SiteId, ["MongoRequestsCount", "MongoRequests"], From, To, CancellationToken.None);

        Assert.StartsWith("InvalidSamplingType: Sampling type is not found", totals.Errors["MongoRequestsCount"], StringComparison.Ordinal);
        Assert.Equal(0, totals.Totals["MongoRequests"]); // only "average" came back
        Assert.DoesNotContain("MongoRequestsCount", totals.Totals.Keys);
    }

    [Fact]
    public async Task GetMetricsBatchAsync_SpecExample_PostsResourceIdsWithBatchScope()
    {
        await using var server = await LoopbackAzureServer.StartAsync(_ => FakeResponse.Json(Fixtures.ResponseBodyText("monitor-metrics-batch/MetricBatchExample.json")));
        var credential = new FakeTokenCredential();
        var options = server.Configure(new MonitorMetricsClientOptions());
        options.BatchEndpointTemplate = server.Endpoint.ToString();
        var client = new MonitorMetricsClient(credential, options);
        string[] ids =
        [
            "/subscriptions/12345678-abcd-1234-abcd-123456789abc/resourceGroups/TestGroup/providers/Microsoft.Storage/storageAccounts/TestStorage1",
            "/subscriptions/12345678-abcd-1234-abcd-123456789abc/resourceGroups/TestGroup/providers/Microsoft.Storage/storageAccounts/TestStorage2",
        ];

        var results = await client.GetMetricsBatchAsync("eastus", "12345678-abcd-1234-abcd-123456789abc", ids, ["Ingress", "Egress"], From, To, CancellationToken.None, "Microsoft.Storage/storageAccounts");

        var request = Assert.Single(server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/subscriptions/12345678-abcd-1234-abcd-123456789abc/metrics:getBatch", request.Path);
        Assert.Equal("2024-02-01", request.QueryValue("api-version"));
        Assert.Equal("2026-01-01T00:00:00Z", request.QueryValue("starttime"));
        Assert.Equal("2026-01-01T01:00:00Z", request.QueryValue("endtime"));
        Assert.Equal(ids, JsonNode.Parse(request.Body)!["resourceids"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal("Bearer " + FakeTokenCredential.TokenFor("https://metrics.monitor.azure.com/.default"), request.Header("Authorization"));
        Assert.Equal(2, results.Count);
        Assert.EndsWith("TestStorage2", results[1].ResourceId, StringComparison.Ordinal);
        Assert.Equal(["Ingress", "Egress"], results[0].Metrics.Select(m => m.Name));
        Assert.StartsWith("2023-02-01T20:00:00.123Z/", results[0].Timespan, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetMetricsBatchAsync_ResourceOfAnotherSubscription_Rejected()
    {
        var client = new MonitorMetricsClient(new FakeTokenCredential());

        await Assert.ThrowsAsync<ArgumentException>(() => client.GetMetricsBatchAsync(
            "eastus", "sub-a", ["/subscriptions/sub-b/resourceGroups/rg/providers/Microsoft.Web/sites/x"], ["A"], From, To, CancellationToken.None));
    }

    [Fact]
    public async Task GetMetricsAsync_Unauthorized_NamesApiRoleAndRequestIdWithoutToken()
    {
        await using var server = await LoopbackAzureServer.StartAsync(_ => FakeResponse.Json(
            """{"error":{"code":"InvalidAuthenticationToken","message":"The access token is invalid."}}""",
            401,
            new Dictionary<string, string> { ["x-ms-request-id"] = "req-123" }));
        var client = new MonitorMetricsClient(new FakeTokenCredential(), server.Configure(new MonitorMetricsClientOptions()));

        var error = await Assert.ThrowsAsync<AzureApiException>(() => client.GetMetricsAsync(SiteId, ["A"], From, To, CancellationToken.None));

        Assert.Equal(401, error.Status);
        Assert.Equal("Azure Monitor metrics", error.Api);
        Assert.Equal("InvalidAuthenticationToken", error.ErrorCode);
        Assert.Equal("req-123", error.RequestId);
        Assert.Contains("Monitoring Reader", error.Message, StringComparison.Ordinal);
        Assert.Contains("The access token is invalid.", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(FakeTokenCredential.TokenPrefix, error.Message, StringComparison.Ordinal);
        Assert.Single(server.Requests); // 401 is not retried
    }

    [Fact]
    public async Task GetMetricsAsync_429WithRetryAfter_WaitsThenSucceeds()
    {
        var calls = 0;
        await using var server = await LoopbackAzureServer.StartAsync(_ => Interlocked.Increment(ref calls) == 1
            ? new FakeResponse(429, """{"error":{"code":"TooManyRequests","message":"slow down"}}""", new Dictionary<string, string> { ["Retry-After"] = "1" })
            : FakeResponse.Json(Fixtures.ResponseBodyText("monitor-metrics/GetMetric.json")));
        var client = new MonitorMetricsClient(new FakeTokenCredential(), server.Configure(new MonitorMetricsClientOptions()));

        var response = await client.GetMetricsAsync(SiteId, ["BlobCount"], From, To, CancellationToken.None);

        Assert.NotNull(response.Find("BlobCount"));
        var requests = server.Requests;
        Assert.Equal(2, requests.Count);

        // The configured backoff is 10 ms: only honouring Retry-After (1 s) explains a gap of about a second.
        var gap = Stopwatch.GetElapsedTime(requests[0].Timestamp, requests[1].Timestamp);
        Assert.True(gap >= TimeSpan.FromMilliseconds(900), $"retried after {gap.TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task GetMetricsAsync_503ThenSuccess_Retries()
    {
        var calls = 0;
        await using var server = await LoopbackAzureServer.StartAsync(_ => Interlocked.Increment(ref calls) <= 2
            ? new FakeResponse(503, """{"error":{"code":"ServiceUnavailable","message":"try later"}}""")
            : FakeResponse.Json(Fixtures.ResponseBodyText("monitor-metrics/GetMetric.json")));
        var client = new MonitorMetricsClient(new FakeTokenCredential(), server.Configure(new MonitorMetricsClientOptions()));

        var response = await client.GetMetricsAsync(SiteId, ["BlobCount"], From, To, CancellationToken.None);

        Assert.Equal(2, response.Metrics.Count);
        Assert.Equal(3, server.Requests.Count);
    }

    [Fact]
    public async Task GetMetricsAsync_500Persistently_GivesUpAfterMaxRetriesWithClearError()
    {
        await using var server = await LoopbackAzureServer.StartAsync(_ => new FakeResponse(500, """{"code":"InternalError","message":"boom"}"""));
        var options = server.Configure(new MonitorMetricsClientOptions());
        options.Retry.MaxRetries = 2;
        var client = new MonitorMetricsClient(new FakeTokenCredential(), options);

        var error = await Assert.ThrowsAsync<AzureApiException>(() => client.GetMetricsAsync(SiteId, ["A"], From, To, CancellationToken.None));

        Assert.Equal(3, server.Requests.Count);
        Assert.Equal(500, error.Status);
        Assert.Equal("InternalError", error.ErrorCode); // the top-level {code, message} shape of the metrics API
        Assert.Contains("boom", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MeteredCost_FromMetricsOverLoopback_IsPricedAsMetered()
    {
        // 10,240,000 MB-ms = 10 GB-s (× $0.000026) and 100 executions (× $0.0000004): $0.00026 + $0.00004.
        var body = Fixtures.ResponseBody("monitor-metrics/GetMetric.json").AsObject();
        var metrics = body["value"]!.AsArray();
        SetMetric(metrics[0]!.AsObject(), FunctionMetrics.OnDemandExecutionUnits, [10_240_000]);
        SetMetric(metrics[1]!.AsObject(), FunctionMetrics.OnDemandExecutionCount, [100]);
        await using var server = await LoopbackAzureServer.StartAsync(_ => FakeResponse.Json(body.ToJsonString()));
        var source = new AzureMeteredCostSource(new MonitorMetricsClient(new FakeTokenCredential(), server.Configure(new MonitorMetricsClientOptions())));
        var catalog = PricingCatalog.Load(Path.Combine(Fixtures.RepositoryRoot, PricingCatalog.DefaultPath));

        var usage = await source.GetMeteredUsageAsync(SiteId, HostingPlan.FlexConsumption, From, To, CancellationToken.None);
        var estimate = MeteredCost.Estimate(new CostSpec { Plan = HostingPlan.FlexConsumption }, usage, catalog);

        Assert.Contains(FunctionMetrics.AlwaysReadyUnits, server.Requests[0].QueryValue("metricnames")!.Split(','));
        Assert.Equal(CostEstimate.MeteredSource, estimate.Source);
        Assert.Equal(0.0003, estimate.TotalUsd, 12);
        Assert.Equal(100, estimate.Requests);
    }

    /// <summary>Renames a metric and gives its first series these totals (null → "total": null, "absent" → no total).</summary>
    private static void SetMetric(JsonObject metric, string name, object?[] totals)
    {
        metric["name"] = new JsonObject { ["value"] = name, ["localizedValue"] = name };
        var series = metric["timeseries"]!.AsArray();
        while (series.Count > 1)
        {
            series.RemoveAt(1);
        }

        var data = new JsonArray();
        for (var i = 0; i < totals.Length; i++)
        {
            var point = new JsonObject { ["timeStamp"] = From.AddMinutes(i).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture) };
            switch (totals[i])
            {
                case "absent": break;
                case null: point["total"] = null; break;
                case int n: point["total"] = n; break;
            }

            data.Add(point);
        }

        series[0]!["data"] = data;
    }
}
