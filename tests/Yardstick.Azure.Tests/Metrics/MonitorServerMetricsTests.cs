using System.Globalization;
using System.Text.Json.Nodes;
using Yardstick.Azure.Metrics;
using Yardstick.Azure.Rest;
using Yardstick.Azure.Tests.Rest;
using Yardstick.Core.ServerMetrics;
using Yardstick.Core.Workloads;

namespace Yardstick.Azure.Tests.Metrics;

/// <summary>
/// The Flex server metrics read into <c>server-metrics.json</c>'s shape, against the loopback ARM fake answering in the
/// recorded <c>GetMetric.json</c> shape (the spec example's metric objects, renamed and refilled per minute).
/// </summary>
public sealed class MonitorServerMetricsTests
{
    private const string SiteId = "/subscriptions/34adfa4f-cedf-4dc0-ba29-b6d1a69ab345/resourceGroups/testrg123/providers/Microsoft.Web/sites/sitef6141";
    private static readonly DateTimeOffset From = new(2026, 1, 1, 0, 0, 20, TimeSpan.Zero);
    private static readonly DateTimeOffset To = new(2026, 1, 1, 0, 4, 30, TimeSpan.Zero);
    private static readonly DateTimeOffset Minute0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ReadAsync_FlexMetrics_OnePointPerMinute_EmptyMinuteIsAGap_DelayStated()
    {
        // Minutes 0–4; minute 3 has no point in any metric (not yet ingested); Http5xx has an empty bin at minute 2.
        var body = Body(
            ("InstanceCount", "average", [1, 2, 3, "absent", 3]),
            ("CpuPercentage", "average", [10, 55, 80, "absent", 40]),
            ("MemoryWorkingSet", "average", [104_857_600, 209_715_200, 314_572_800, "absent", 314_572_800]),
            ("Http5xx", "total", [0, 4, null, "absent", 1]));
        await using var server = await LoopbackAzureServer.StartAsync(_ => FakeResponse.Json(body.ToJsonString()));
        var client = new MonitorMetricsClient(new FakeTokenCredential(), server.Configure(new MonitorMetricsClientOptions()));

        var set = await MonitorServerMetrics.ReadAsync(client, SiteId, HostingPlan.FlexConsumption, From, To, readAt: Minute0.AddMinutes(11), CancellationToken.None);

        var request = Assert.Single(server.Requests);
        Assert.Equal("InstanceCount,CpuPercentage,MemoryWorkingSet,Http5xx", request.QueryValue("metricnames"));
        Assert.Equal("PT1M", request.QueryValue("interval"));
        Assert.Equal("Average,Total", request.QueryValue("aggregation"));
        Assert.Equal("2026-01-01T00:00:00Z/2026-01-01T00:05:00Z", request.QueryValue("timespan"));

        Assert.Equal("azure-monitor", set.Source);
        Assert.Equal(60, set.IntervalSeconds);
        Assert.Equal(Minute0, set.From);
        Assert.Equal(Minute0.AddMinutes(5), set.To);
        Assert.Equal([1, 2, 3, 3], set.Find(ServerMetricSeries.InstanceCount)!.Points.Select(p => p.Value));
        Assert.Equal([100, 200, 300, 300], set.Find(ServerMetricSeries.MemoryWorkingSetMB)!.Points.Select(p => p.Value));
        Assert.Equal(80, set.Find(ServerMetricSeries.InstanceCpuPercent)!.Peak);
        Assert.Equal([0, 4, 1], set.Find(ServerMetricSeries.Http5xx)!.Points.Select(p => p.Value));
        Assert.Equal(new ServerMetricGap(Minute0.AddMinutes(3), Minute0.AddMinutes(4)), Assert.Single(set.Gaps));
        Assert.Equal(360, set.IngestionDelaySeconds);
        Assert.Contains("1 of 5 intervals had no point when read 360 s after the window's end", Assert.Single(set.Notes), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_MetricWithErrorCode_IsANoteAndAnEmptySeries_TheOthersKept()
    {
        var body = Body(
            ("InstanceCount", "average", [1]),
            ("CpuPercentage", "average", [12]),
            ("MemoryWorkingSet", "average", [104_857_600]),
            ("Http5xx", "total", [0]));
        var http = body["value"]![3]!.AsObject();
        http["errorCode"] = "InvalidMetricName";
        http["errorMessage"] = "Http5xx is not available for this resource";
        http["timeseries"] = new JsonArray();
        await using var server = await LoopbackAzureServer.StartAsync(_ => FakeResponse.Json(body.ToJsonString()));
        var client = new MonitorMetricsClient(new FakeTokenCredential(), server.Configure(new MonitorMetricsClientOptions()));

        var set = await MonitorServerMetrics.ReadAsync(client, SiteId, HostingPlan.FlexConsumption, Minute0, Minute0.AddSeconds(50), Minute0.AddMinutes(6), CancellationToken.None);

        Assert.Empty(set.Find(ServerMetricSeries.Http5xx)!.Points);
        Assert.Single(set.Find(ServerMetricSeries.InstanceCount)!.Points);
        Assert.Empty(set.Gaps);
        Assert.Contains("could not return Http5xx: InvalidMetricName: Http5xx is not available", Assert.Single(set.Notes), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(HostingPlan.Consumption, "InstanceCount,MemoryWorkingSet,Http5xx")]
    [InlineData(HostingPlan.Premium, "InstanceCount,MemoryWorkingSet,Http5xx")]
    [InlineData(HostingPlan.FlexConsumptionAlwaysReady, "InstanceCount,CpuPercentage,MemoryWorkingSet,Http5xx")]
    public async Task ReadAsync_PerPlan_AsksOnlyForTheMetricsTheDocsListForIt(HostingPlan plan, string names)
    {
        var body = Body(("InstanceCount", "average", [1]), ("MemoryWorkingSet", "average", [104_857_600]), ("Http5xx", "total", [2]));
        await using var server = await LoopbackAzureServer.StartAsync(_ => FakeResponse.Json(body.ToJsonString()));
        var client = new MonitorMetricsClient(new FakeTokenCredential(), server.Configure(new MonitorMetricsClientOptions()));

        var set = await MonitorServerMetrics.ReadAsync(client, SiteId, plan, Minute0, Minute0.AddSeconds(50), Minute0.AddMinutes(6), CancellationToken.None);

        Assert.Equal(names, Assert.Single(server.Requests).QueryValue("metricnames"));
        Assert.Equal(names.Contains("CpuPercentage", StringComparison.Ordinal), set.Find(ServerMetricSeries.InstanceCpuPercent) is not null);
        Assert.Equal(names.Contains("CpuPercentage", StringComparison.Ordinal), !set.Notes.Any(n => n.StartsWith("CPU percentage is a Flex Consumption metric", StringComparison.Ordinal)));
        Assert.Equal([2], set.Find(ServerMetricSeries.Http5xx)!.Points.Select(p => p.Value));
    }

    /// <summary>GetMetric.json's response with one metric object per entry, a single series, one point a minute from <see cref="Minute0"/>.</summary>
    private static JsonObject Body(params (string Name, string Aggregation, object?[] Values)[] metrics)
    {
        var body = Fixtures.ResponseBody("monitor-metrics/GetMetric.json").AsObject();
        var template = body["value"]![0]!.ToJsonString();
        var value = new JsonArray();
        foreach (var (name, aggregation, values) in metrics)
        {
            var metric = JsonNode.Parse(template)!.AsObject();
            metric["name"] = new JsonObject { ["value"] = name, ["localizedValue"] = name };
            var data = new JsonArray();
            for (var i = 0; i < values.Length; i++)
            {
                var point = new JsonObject { ["timeStamp"] = Minute0.AddMinutes(i).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) };
                switch (values[i])
                {
                    case "absent": break;
                    case null: point[aggregation] = null; break;
                    case int n: point[aggregation] = n; break;
                }

                data.Add(point);
            }

            metric["timeseries"] = new JsonArray(new JsonObject { ["metadatavalues"] = new JsonArray(), ["data"] = data });
            value.Add(metric);
        }

        body["value"] = value;
        return body;
    }
}
