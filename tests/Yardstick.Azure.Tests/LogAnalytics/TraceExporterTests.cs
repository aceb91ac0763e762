using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Yardstick.Azure.LogAnalytics;
using Yardstick.Azure.Rest;
using Yardstick.Azure.Tests.Rest;
using Yardstick.Core.Replay;

namespace Yardstick.Azure.Tests.LogAnalytics;

/// <summary>
/// <c>yardstick trace export</c>'s reader against a loopback Log Analytics that answers in the recorded
/// la-post-example.json shape, filtering a fixed set of AppRequests rows by the time range in the KQL it receives.
/// </summary>
public sealed partial class TraceExporterTests
{
    private const string WorkspaceId = "63613592-b6f7-4c3d-a390-22ba13102111";
    private static readonly DateTimeOffset From = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    private static readonly (string Name, string Type)[] Columns =
        [("TimeGenerated", "datetime"), ("Name", "string"), ("Url", "string"), ("ResultCode", "string"), ("DurationMs", "real"), ("ItemCount", "int")];

    [Fact]
    public async Task ExportAsync_OneSlice_AsksForTheRoleRangeAndProjectionAndWritesTheFormat()
    {
        var rows = new List<object?[]>
        {
            Row(From.AddMilliseconds(100), "GET /api/items", "https://my-app.azurewebsites.net/api/items?page=2&size=10", "200", 12.5, 1),
            Row(From.AddSeconds(1), "POST /api/orders", "https://my-app.azurewebsites.net/api/orders?code=abc123", "201", 40.25, 1),
            Row(From.AddSeconds(2), "Hello", "https://my-app.azurewebsites.net/api/hello", "500", 3.0, 1),
        };
        await using var server = await LoopbackAzureServer.StartAsync(request => Answer(request, rows));
        var exporter = new TraceExporter(Client(server));
        var (result, lines) = await ExportAsync(exporter, new TraceExportRequest { WorkspaceId = WorkspaceId, Role = "my-app", From = From, To = From.AddMinutes(5) });

        var request = Assert.Single(server.Requests);
        Assert.Equal($"/v1/workspaces/{WorkspaceId}/query", request.Path);
        var body = JsonNode.Parse(request.Body)!;
        var query = body["query"]!.GetValue<string>();
        Assert.Equal(
            "AppRequests\n"
            + "| where TimeGenerated >= datetime(2026-12-01T10:00:00.0000000Z) and TimeGenerated < datetime(2026-12-01T10:05:00.0000000Z)\n"
            + "| where AppRoleName =~ \"my-app\"\n"
            + "| project TimeGenerated, Name, Url, ResultCode, DurationMs, ItemCount\n"
            + "| order by TimeGenerated asc\n"
            + "| take 50001",
            query);
        Assert.Equal("2026-12-01T10:00:00.0000000Z/2026-12-01T10:05:00.0000000Z", body["timespan"]!.GetValue<string>());

        Assert.Equal(
            [
                """{"t":"2026-12-01T10:00:00.1000000Z","method":"GET","name":"GET /api/items","path":"/api/items?page=REDACTED&size=REDACTED","status":200,"durationMs":12.5}""",
                """{"t":"2026-12-01T10:00:01.0000000Z","method":"POST","name":"POST /api/orders","path":"/api/orders?code=REDACTED","status":201,"durationMs":40.25}""",
                """{"t":"2026-12-01T10:00:02.0000000Z","method":"GET","name":"Hello","path":"/api/hello","status":500,"durationMs":3}""",
            ],
            lines);
        Assert.Equal(3, result.Records);
        Assert.Equal(3, result.Lines);
        Assert.Equal(3, result.Endpoints);
        Assert.Equal(1, result.Queries);
        Assert.Equal(From.AddMilliseconds(100), result.First);
        Assert.Equal(From.AddSeconds(2), result.Last);
    }

    [Fact]
    public async Task ExportAsync_KeepQuery_KeepsValuesButNeverSecretOnes()
    {
        var rows = new List<object?[]>
        {
            Row(From, "GET /api/blob", "https://h.example/api/blob?page=2&sig=s3cr3t&code=k3y&access_token=t0k&name=a%20b", "200", 1, 1),
        };
        await using var server = await LoopbackAzureServer.StartAsync(request => Answer(request, rows));

        var (_, lines) = await ExportAsync(new TraceExporter(Client(server)), new TraceExportRequest { WorkspaceId = WorkspaceId, Role = "my-app", From = From, To = From.AddMinutes(1), KeepQuery = true });

        var path = JsonDocument.Parse(Assert.Single(lines)).RootElement.GetProperty("path").GetString();
        Assert.Equal("/api/blob?page=2&sig=REDACTED&code=REDACTED&access_token=REDACTED&name=a%20b", path);
    }

    [Fact]
    public async Task ExportAsync_SlicesOverTheRowCap_SplitUntilEachFitsAndEveryRowIsWrittenOnceInOrder()
    {
        // 40 requests bunched into the first minute and 5 spread later: with 8 rows a query, the first slices split.
        var rows = new List<object?[]>();
        for (var i = 0; i < 40; i++)
        {
            rows.Add(Row(From.AddMilliseconds(1_500 * i), "GET /api/a", $"https://h.example/api/a/{i}", "200", i, 1));
        }

        for (var i = 0; i < 5; i++)
        {
            rows.Add(Row(From.AddMinutes(10 + (10 * i)), "GET /api/b", $"https://h.example/api/b/{i}", "200", i, 1));
        }

        await using var server = await LoopbackAzureServer.StartAsync(request => Answer(request, rows));
        var options = new TraceExportOptions { MaxRowsPerQuery = 8, Slice = TimeSpan.FromMinutes(30), MinSlice = TimeSpan.FromSeconds(1) };

        var (result, lines) = await ExportAsync(new TraceExporter(Client(server), options), new TraceExportRequest { WorkspaceId = WorkspaceId, Role = "my-app", From = From, To = From.AddHours(1) });

        Assert.Equal(45, result.Lines);
        var paths = lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("path").GetString()).ToList();
        Assert.Equal(rows.Select(r => new Uri((string)r[2]!).AbsolutePath), paths); // all, once, in time order
        Assert.All(server.Requests, r => Assert.EndsWith("| take 9", Query(r), StringComparison.Ordinal));

        // The slices that were answered cover [From, To) without overlap or hole.
        var answered = server.Requests.Select(Range).Where(r => rows.Count(row => InRange(row, r)) <= 8).OrderBy(r => r.From).ToList();
        Assert.Equal(From, answered[0].From);
        Assert.Equal(From.AddHours(1), answered[^1].To);
        Assert.All(answered.Zip(answered.Skip(1)), pair => Assert.Equal(pair.First.To, pair.Second.From));
        Assert.Equal(result.Queries, server.Requests.Count);
        Assert.True(result.Queries > 2, $"{result.Queries} queries: the dense slice should have been split");
    }

    [Fact]
    public async Task ExportAsync_TooDenseForTheShortestSlice_FailsNamingTheSlice()
    {
        var rows = Enumerable.Range(0, 5).Select(i => Row(From.AddMilliseconds(i), "GET /x", "https://h.example/x", "200", 1, 1)).ToList();
        await using var server = await LoopbackAzureServer.StartAsync(request => Answer(request, rows));
        var options = new TraceExportOptions { MaxRowsPerQuery = 2, Slice = TimeSpan.FromSeconds(4), MinSlice = TimeSpan.FromSeconds(1) };

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            ExportAsync(new TraceExporter(Client(server), options), new TraceExportRequest { WorkspaceId = WorkspaceId, Role = "my-app", From = From, To = From.AddSeconds(4) }));

        Assert.Contains("more than 2 requests of 'my-app'", error.Message, StringComparison.Ordinal);
        Assert.Contains("[2026-12-01T10:00:00.0000000Z, 2026-12-01T10:00:01.0000000Z)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExportAsync_PartialErrorWithFewRows_FailsWithTheServiceMessage()
    {
        var body = Response([Row(From, "GET /x", "https://h.example/x", "200", 1, 1)]);
        var node = JsonNode.Parse(body)!.AsObject();
        node["error"] = new JsonObject { ["code"] = "PartialError", ["message"] = "There were some errors when processing your query." };
        await using var server = await LoopbackAzureServer.StartAsync(_ => FakeResponse.Json(node.ToJsonString()));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            ExportAsync(new TraceExporter(Client(server)), new TraceExportRequest { WorkspaceId = WorkspaceId, Role = "my-app", From = From, To = From.AddMinutes(1) }));

        Assert.Contains("only in part: PartialError: There were some errors", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExportAsync_RowsWithoutUsableUrlOrSampled_AreCountedNotWritten()
    {
        var rows = new List<object?[]>
        {
            Row(From, "GET /a", null, "200", 1, 1),
            Row(From.AddSeconds(1), "GET /a", "ftp://h.example/a", "200", 1, 1),
            Row(From.AddSeconds(2), "GET /a", "https://h.example/a", "200", 1, 4),
            Row(From.AddSeconds(3), "GET /a", "https://h.example//double/slash", "0", null, 1),
        };
        await using var server = await LoopbackAzureServer.StartAsync(request => Answer(request, rows));

        var (result, lines) = await ExportAsync(new TraceExporter(Client(server)), new TraceExportRequest { WorkspaceId = WorkspaceId, Role = "my-app", From = From, To = From.AddMinutes(1) });

        Assert.Equal(4, result.Records);
        Assert.Equal(2, result.Lines);
        Assert.Equal(2, result.SkippedWithoutPath);
        Assert.Equal(1, result.SampledRecords);
        Assert.Equal(7, result.RepresentedRequests);
        Assert.Equal("""{"t":"2026-12-01T10:00:03.0000000Z","method":"GET","name":"GET /a","path":"/double/slash"}""", lines[1]); // status 0 is no HTTP status
    }

    private static LogAnalyticsClient Client(LoopbackAzureServer server) =>
        new(new FakeTokenCredential(), server.Configure(new LogAnalyticsClientOptions()));

    private static async Task<(TraceExportResult Result, List<string> Lines)> ExportAsync(TraceExporter exporter, TraceExportRequest request)
    {
        using var stream = new MemoryStream();
        TraceExportResult result;
        await using (var writer = new TraceFileWriter(stream, ownsStream: false))
        {
            result = await exporter.ExportAsync(request, writer, CancellationToken.None);
        }

        var text = System.Text.Encoding.UTF8.GetString(stream.ToArray());
        Assert.True(text.Length == 0 || text.EndsWith('\n'), text);

        // What was written reads back through replay's reader, line for line.
        using var reader = new TraceReader(new MemoryStream(stream.ToArray()));
        Assert.Equal(result.Lines, reader.ReadAll().LongCount());
        return (result, text.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList());
    }

    private static object?[] Row(DateTimeOffset time, string name, string? url, string code, double? durationMs, int itemCount) =>
        [time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture), name, url, code, durationMs, itemCount];

    /// <summary>The rows in the KQL's [from, to), ordered, at most its take: what Log Analytics would answer.</summary>
    private static FakeResponse Answer(RecordedRequest request, List<object?[]> rows)
    {
        var range = Range(request);
        var take = int.Parse(TakeClause().Match(Query(request)).Groups[1].Value, CultureInfo.InvariantCulture);
        return FakeResponse.Json(Response(rows.Where(r => InRange(r, range)).OrderBy(r => (string)r[0]!, StringComparer.Ordinal).Take(take).ToList()));
    }

    private static bool InRange(object?[] row, (DateTimeOffset From, DateTimeOffset To) range)
    {
        var time = DateTimeOffset.Parse((string)row[0]!, CultureInfo.InvariantCulture);
        return time >= range.From && time < range.To;
    }

    private static string Query(RecordedRequest request) => JsonNode.Parse(request.Body)!["query"]!.GetValue<string>();

    private static (DateTimeOffset From, DateTimeOffset To) Range(RecordedRequest request)
    {
        var match = RangeClause().Match(Query(request));
        Assert.True(match.Success, Query(request));
        return (DateTimeOffset.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), DateTimeOffset.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture));
    }

    /// <summary>The la-post-example.json shape with the export's columns and these rows.</summary>
    private static string Response(IEnumerable<object?[]> rows)
    {
        var body = Fixtures.ResponseBody("log-analytics-query/la-post-example.json").AsObject();
        var table = body["tables"]![0]!.AsObject();
        table["columns"] = new JsonArray(Columns.Select(c => (JsonNode?)new JsonObject { ["name"] = c.Name, ["type"] = c.Type }).ToArray());
        table["rows"] = new JsonArray(rows.Select(r => (JsonNode?)new JsonArray(r.Select(v => v is null ? null : JsonSerializer.SerializeToNode(v)).ToArray())).ToArray());
        return body.ToJsonString();
    }

    [GeneratedRegex(@"TimeGenerated >= datetime\(([^)]+)\) and TimeGenerated < datetime\(([^)]+)\)")]
    private static partial Regex RangeClause();

    [GeneratedRegex(@"\| take (\d+)$")]
    private static partial Regex TakeClause();
}
