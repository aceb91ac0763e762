using System.Text.Json.Nodes;
using Yardstick.Azure.LogAnalytics;
using Yardstick.Azure.Rest;
using Yardstick.Azure.Tests.Rest;
using Yardstick.Core;
using Yardstick.Core.Cost;
using Yardstick.Core.Workloads;

namespace Yardstick.Azure.Tests.LogAnalytics;

public sealed class LogAnalyticsClientTests
{
    private const string WorkspaceId = "63613592-b6f7-4c3d-a390-22ba13102111";
    private static readonly DateTimeOffset From = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset To = From.AddHours(1);

    [Fact]
    public async Task QueryAsync_SpecExample_PostsQueryAndTypesEveryCellIncludingNull()
    {
        await using var server = await LoopbackAzureServer.StartAsync(_ => FakeResponse.Json(Fixtures.ResponseBodyText("log-analytics-query/la-post-example.json")));
        var client = new LogAnalyticsClient(new FakeTokenCredential(), server.Configure(new LogAnalyticsClientOptions()));

        var result = await client.QueryAsync(WorkspaceId, "Usage | take 10", "PT12H", CancellationToken.None);

        var request = Assert.Single(server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal($"/v1/workspaces/{WorkspaceId}/query", request.Path);
        var body = JsonNode.Parse(request.Body)!;
        Assert.Equal("Usage | take 10", body["query"]!.GetValue<string>());
        Assert.Equal("PT12H", body["timespan"]!.GetValue<string>());
        Assert.Equal("Bearer " + FakeTokenCredential.TokenFor("https://api.loganalytics.io/.default"), request.Header("Authorization"));
        Assert.Equal("wait=180", request.Header("Prefer"));

        var table = result.PrimaryResult;
        Assert.Equal("PrimaryResult", table.Name);
        Assert.Equal(21, table.Columns.Count);
        Assert.Equal(2, table.Rows.Count);
        Assert.Null(table.Rows[0][table.IndexOf("LinkedResourceUri")]); // the null cell
        Assert.Equal("ContosoSQLSrv1", table.Get<string>(0, "Computer"));
        Assert.Equal(new DateTimeOffset(2017, 8, 24, 6, 59, 59, TimeSpan.Zero), table.Get<DateTimeOffset>(0, "TimeGenerated"));
        Assert.Equal(1L, table.Get<long>(0, "BatchesWithinSla")); // a long written as "1"
        Assert.Equal(1.7, table.Get<double>(1, "AvgLatencyInSeconds"));
        Assert.True(table.Get<bool>(0, "IsBillable"));
        Assert.Null(result.PartialError);
    }

    [Fact]
    public void Options_Default_NetworkTimeoutExceedsPreferWait()
    {
        var options = new LogAnalyticsClientOptions();

        Assert.Equal(TimeSpan.FromMinutes(3), options.QueryTimeout);
        Assert.True(options.Retry.NetworkTimeout > options.QueryTimeout, options.Retry.NetworkTimeout.ToString());
    }

    [Fact]
    public void Options_LongerQueryTimeout_RaisesTheNetworkTimeout()
    {
        var options = new LogAnalyticsClientOptions { QueryTimeout = TimeSpan.FromMinutes(10) };

        Assert.Equal(TimeSpan.FromMinutes(10) + LogAnalyticsClientOptions.NetworkTimeoutMargin, options.Retry.NetworkTimeout);
    }

    [Fact]
    public void Constructor_NetworkTimeoutNotAboveQueryTimeout_Throws()
    {
        var options = new LogAnalyticsClientOptions();
        options.Retry.NetworkTimeout = options.QueryTimeout;

        var error = Assert.Throws<ArgumentException>(() => new LogAnalyticsClient(new FakeTokenCredential(), options));

        Assert.Contains("Prefer: wait", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetRequestsAsync_AppRequestsTable_ReadsServerDurationsAndInstances()
    {
        var body = AppRequestsResponse(
            [("TimeGenerated", "datetime"), ("Name", "string"), ("DurationMs", "real"), ("Success", "bool"), ("ResultCode", "string"), ("AppRoleInstance", "string"), ("ItemCount", "int")],
            [
                ["2026-01-01T00:00:01.5Z", "Hello", 812.25, true, "200", "inst-a", 1],
                ["2026-01-01T00:00:02Z", "Hello", 3.5, true, "200", "inst-a", 1],
                ["2026-01-01T00:00:03Z", "Hello", null, false, "500", "inst-b", 4],
            ]);
        await using var server = await LoopbackAzureServer.StartAsync(_ => FakeResponse.Json(body));
        var client = new LogAnalyticsClient(new FakeTokenCredential(), server.Configure(new LogAnalyticsClientOptions()));

        var requests = await client.GetRequestsAsync(WorkspaceId, "my-app", From, To, CancellationToken.None);

        Assert.Equal(3, requests.Count);
        Assert.Equal(812.25, requests[0].DurationMs);
        Assert.Equal("inst-a", requests[0].RoleInstance);
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 1, 500, TimeSpan.Zero), requests[0].Timestamp);
        Assert.Null(requests[2].DurationMs);
        Assert.False(requests[2].Success);
        Assert.Equal("500", requests[2].ResultCode);
        Assert.Equal(4, requests[2].ItemCount);

        var query = JsonNode.Parse(server.Requests[0].Body)!["query"]!.GetValue<string>();
        Assert.StartsWith("AppRequests\n| where TimeGenerated between (datetime(2026-01-01T00:00:00.0000000Z) .. datetime(2026-01-01T01:00:00.0000000Z))", query, StringComparison.Ordinal);
        Assert.Contains("| where AppRoleName =~ \"my-app\"", query, StringComparison.Ordinal);
        Assert.Contains("project TimeGenerated, Name, DurationMs, Success, ResultCode, AppRoleInstance, ItemCount", query, StringComparison.Ordinal);
        Assert.Equal("2026-01-01T00:00:00.0000000Z/2026-01-01T01:00:00.0000000Z", JsonNode.Parse(server.Requests[0].Body)!["timespan"]!.GetValue<string>());
    }

    [Fact]
    public async Task GetRequestsAsync_IntoServerUsage_ServerFiguresAndConsumptionCostFromServerDurations()
    {
        // Three records of 40 ms and one sampled record (ItemCount 2) of 250 ms on two instances.
        var body = AppRequestsResponse(
            [("TimeGenerated", "datetime"), ("Name", "string"), ("DurationMs", "real"), ("Success", "bool"), ("ResultCode", "string"), ("AppRoleInstance", "string"), ("ItemCount", "int")],
            [
                ["2026-01-01T00:00:01Z", "Hello", 40.0, true, "200", "inst-a", 1],
                ["2026-01-01T00:00:02Z", "Hello", 40.0, true, "200", "inst-a", 1],
                ["2026-01-01T00:00:03Z", "Hello", 40.0, true, "200", "inst-b", 1],
                ["2026-01-01T00:00:04Z", "Hello", 250.0, true, "200", "inst-b", 2],
            ]);
        await using var server = await LoopbackAzureServer.StartAsync(_ => FakeResponse.Json(body));
        var client = new LogAnalyticsClient(new FakeTokenCredential(), server.Configure(new LogAnalyticsClientOptions()));

        var requests = await client.GetRequestsAsync(WorkspaceId, "my-app", From, To, CancellationToken.None);
        var usage = ServerUsage.FromRequests(requests, To - From);
        var summary = ServerUsage.Summarize(usage, requests.Select(r => r.RoleInstance).Distinct().Count(), From, To, "requests");
        var estimate = ModeledCost.Estimate(new CostSpec { Plan = HostingPlan.Consumption, ExecutionMemoryMB = 128 }, usage, PricingCatalog.Load(Path.Combine(Fixtures.RepositoryRoot, PricingCatalog.DefaultPath)), allowDefaultPrices: true);

        Assert.Equal(5, summary.Requests);
        Assert.Equal(40, summary.DurationP50Ms); // nearest rank 3 of 40, 40, 40, 250, 250
        Assert.Equal(250, summary.DurationP95Ms);
        Assert.Equal(2, summary.Instances);

        // Consumption, 128 MB, ≥ 100 ms each: 0.125 GB × (3 × 0.1 s + 2 × 0.25 s) = 0.1 GB-s.
        var time = estimate.LineItems.Single(l => l.Meter == PricingMeters.ExecutionTime);
        Assert.Equal(0.1, time.Quantity * PricingUnits.BaseUnitsPer(time.Unit), 9);
        Assert.Equal(5, estimate.Requests);
    }

    [Fact]
    public async Task GetInstanceFirstSeenAsync_SummarizedTable_ReturnsInstancesInOrder()
    {
        var body = AppRequestsResponse(
            [("AppRoleInstance", "string"), ("FirstSeen", "datetime"), ("Requests", "long")],
            [
                ["inst-a", "2026-01-01T00:00:01Z", 120],
                ["inst-b", "2026-01-01T00:05:00Z", 7],
                [null, "2026-01-01T00:06:00Z", 1],
            ]);
        await using var server = await LoopbackAzureServer.StartAsync(_ => FakeResponse.Json(body));
        var client = new LogAnalyticsClient(new FakeTokenCredential(), server.Configure(new LogAnalyticsClientOptions()));

        var instances = await client.GetInstanceFirstSeenAsync(WorkspaceId, "my-app", From, To, CancellationToken.None);

        Assert.Equal(["inst-a", "inst-b"], instances.Select(i => i.RoleInstance));
        Assert.Equal(From.AddMinutes(5), instances[1].FirstSeen);
        Assert.Equal(120, instances[0].Requests);
        Assert.Contains("summarize FirstSeen = min(TimeGenerated), Requests = sum(ItemCount) by AppRoleInstance", JsonNode.Parse(server.Requests[0].Body)!["query"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetDurationBucketsAsync_SummarizedTable_ReturnsWeightedBuckets()
    {
        var body = AppRequestsResponse([("DurationMs", "real"), ("Count", "long")], [[4.0, 10], [813.0, 1], [null, 3]]);
        await using var server = await LoopbackAzureServer.StartAsync(_ => FakeResponse.Json(body));
        var client = new LogAnalyticsClient(new FakeTokenCredential(), server.Configure(new LogAnalyticsClientOptions()));

        var buckets = await client.GetDurationBucketsAsync(WorkspaceId, "my-app", From, To, CancellationToken.None);

        Assert.Equal([new(4, 10), new Core.Cost.DurationBucket(813, 1)], buckets);
    }

    [Theory]
    [InlineData("my-app", "\"my-app\"")]
    [InlineData("a\"b", "\"a\\\"b\"")]
    [InlineData("a\\b", "\"a\\\\b\"")]
    [InlineData("x\" or 1==1 //", "\"x\\\" or 1==1 //\"")]
    [InlineData("line\nbreak", "\"line\\nbreak\"")]
    public void KqlString_EscapesQuotesBackslashesAndNewlines(string value, string literal) =>
        Assert.Equal(literal, AppRequestsQueries.KqlString(value));

    [Fact]
    public void KqlString_OtherControlCharacter_Rejected() =>
        Assert.Throws<ArgumentException>(() => AppRequestsQueries.KqlString("a\u0001b"));

    [Fact]
    public async Task QueryAsync_NotAGuid_NamesTheWorkspaceField()
    {
        var client = new LogAnalyticsClient(new FakeTokenCredential());

        var error = await Assert.ThrowsAsync<InputException>(() => client.QueryAsync("not-a-guid", "AppRequests", null, CancellationToken.None));

        Assert.Equal("target.azure.logAnalyticsWorkspaceId", error.Field);
    }

    [Fact]
    public async Task QueryAsync_Forbidden_NamesLogAnalyticsReader()
    {
        await using var server = await LoopbackAzureServer.StartAsync(_ => FakeResponse.Json(
            """{"error":{"message":"The provided credentials have insufficient access","code":"InsufficientAccessError"}}""", 403));
        var client = new LogAnalyticsClient(new FakeTokenCredential(), server.Configure(new LogAnalyticsClientOptions()));

        var error = await Assert.ThrowsAsync<AzureApiException>(() => client.QueryAsync(WorkspaceId, "AppRequests", null, CancellationToken.None));

        Assert.Equal(403, error.Status);
        Assert.Contains("Log Analytics Reader", error.Message, StringComparison.Ordinal);
        Assert.Contains("InsufficientAccessError", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueryAsync_CellDoesNotFitColumnType_MalformedErrorNamesTableRowAndColumn()
    {
        var body = AppRequestsResponse([("DurationMs", "real")], [["fast"]]);
        await using var server = await LoopbackAzureServer.StartAsync(_ => FakeResponse.Json(body));
        var client = new LogAnalyticsClient(new FakeTokenCredential(), server.Configure(new LogAnalyticsClientOptions()));

        var error = await Assert.ThrowsAsync<AzureApiException>(() => client.QueryAsync(WorkspaceId, "AppRequests", null, CancellationToken.None));

        Assert.Contains("Log Analytics query returned malformed JSON", error.Message, StringComparison.Ordinal);
        Assert.Contains("row 0 column DurationMs", error.Message, StringComparison.Ordinal);
    }

    /// <summary>The la-post-example.json shape with our own columns and rows.</summary>
    private static string AppRequestsResponse((string Name, string Type)[] columnList, object?[][] rowList)
    {
        var columns = columnList.Select(c => new JsonObject { ["name"] = c.Name, ["type"] = c.Type });
        var rows = rowList.Select(r => new JsonArray(r.Select(v => v is null ? null : JsonSerializerNode(v)).ToArray()));
        var body = Fixtures.ResponseBody("log-analytics-query/la-post-example.json").AsObject();
        var table = body["tables"]![0]!.AsObject();
        table["columns"] = new JsonArray(columns.ToArray<JsonNode?>());
        table["rows"] = new JsonArray(rows.ToArray<JsonNode?>());
        return body.ToJsonString();
    }

    private static JsonNode? JsonSerializerNode(object value) => System.Text.Json.JsonSerializer.SerializeToNode(value);
}
