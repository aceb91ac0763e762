using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;
using Xunit.Abstractions;
using Yardstick.Azure.Tests.Rest;
using Yardstick.Cli.Commands;
using Yardstick.Cli.Tests.EndToEnd;

namespace Yardstick.Cli.Tests.Commands;

/// <summary>
/// <c>yardstick trace export</c> in-process against a loopback Log Analytics (https, fake credential) answering in the
/// query API's table shape, and <c>yardstick trace show</c> on small traces. Nothing leaves the machine.
/// </summary>
public sealed class TraceCommandTests(ITestOutputHelper output) : IDisposable
{
    private const string WorkspaceId = "63613592-b6f7-4c3d-a390-22ba13102111";
    private readonly string _folder = Directory.CreateTempSubdirectory("yardstick-trace-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Export_FakeLogAnalytics_WritesTheTraceThenShowReadsItBack()
    {
        await using var server = await LoopbackAzureServer.StartAsync(_ => FakeResponse.Json(Response(
            ["2026-12-01T10:00:00.25Z", "GET /api/items", "https://my-app.azurewebsites.net/api/items?page=2", "200", 12.5, 1],
            ["2026-12-01T10:00:01Z", "POST /api/orders", "https://my-app.azurewebsites.net/api/orders?code=secret", "201", 30.0, 1],
            ["2026-12-01T10:00:01.5Z", "GET /api/items", "https://my-app.azurewebsites.net/api/items?page=3", "404", 2.0, 1])));
        var path = Path.Combine(_folder, "traces", "peak.jsonl");

        var result = await RunAsync(server, "trace", "export", "--workspace", WorkspaceId, "--app", "my-app", "--from", "2026-12-01T10:00Z", "--to", "2026-12-01T10:10Z", "--out", path, "--keep-query", "--endpoint", server.Endpoint.ToString());

        Assert.True(result.ExitCode == 0, result.ToString());
        var summary = System.Text.RegularExpressions.Regex.Replace(result.Out, @"\s+", " "); // the console wraps at its width
        Assert.Contains("3 request(s) of 'my-app', 2026-12-01T10:00:00.250Z to 2026-12-01T10:00:01.500Z (1.25 s), 2 endpoint(s), 1 query; query values kept (secret-looking ones redacted).", summary, StringComparison.Ordinal);
        var query = JsonNode.Parse(Assert.Single(server.Requests).Body)!["query"]!.GetValue<string>();
        Assert.Contains("TimeGenerated >= datetime(2026-12-01T10:00:00.0000000Z) and TimeGenerated < datetime(2026-12-01T10:10:00.0000000Z)", query, StringComparison.Ordinal);
        Assert.Equal(
            [
                """{"t":"2026-12-01T10:00:00.2500000Z","method":"GET","name":"GET /api/items","path":"/api/items?page=2","status":200,"durationMs":12.5}""",
                """{"t":"2026-12-01T10:00:01.0000000Z","method":"POST","name":"POST /api/orders","path":"/api/orders?code=REDACTED","status":201,"durationMs":30}""",
                """{"t":"2026-12-01T10:00:01.5000000Z","method":"GET","name":"GET /api/items","path":"/api/items?page=3","status":404,"durationMs":2}""",
            ],
            File.ReadAllLines(path));
        Assert.False(File.Exists(path + ".partial"));

        var show = await RunAsync(null, "trace", "show", path);
        Assert.True(show.ExitCode == 0, show.ToString());
        Assert.Contains("3 request(s) from 2026-12-01T10:00:00.250Z to 2026-12-01T10:00:01.500Z (1.25 s)", show.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_ServiceRefuses_ExitThreeAndNoFileLeft()
    {
        await using var server = await LoopbackAzureServer.StartAsync(_ => FakeResponse.Json(
            """{"error":{"message":"The provided credentials have insufficient access","code":"InsufficientAccessError"}}""", 403));
        var path = Path.Combine(_folder, "x.jsonl");

        var result = await RunAsync(server, "trace", "export", "--workspace", WorkspaceId, "--app", "my-app", "--from", "2026-12-01T10:00Z", "--to", "2026-12-01T10:05Z", "--out", path, "--endpoint", server.Endpoint.ToString());

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("trace export failed", result.Error, StringComparison.Ordinal);
        Assert.Contains("InsufficientAccessError", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(path));
        Assert.False(File.Exists(path + ".partial"));
    }

    [Theory]
    [InlineData("--workspace", "not-a-guid", "--workspace")]
    [InlineData("--app", " ", "--app")]
    [InlineData("--from", "yesterday", "--from")]
    [InlineData("--to", "2026-12-01T09:00Z", "--to")] // before --from
    [InlineData("--to", "2026-12-02T10:00:01Z", "--to")] // over 24 h
    [InlineData("--endpoint", "http://127.0.0.1:9", "--endpoint")] // a bearer token over plain http
    [InlineData("--endpoint", "https://api.loganalytics.io/v1/evil", "--endpoint")]
    public async Task Export_BadOption_ExitTwoNamingIt(string option, string value, string named)
    {
        var args = new Dictionary<string, string>
        {
            ["--workspace"] = WorkspaceId,
            ["--app"] = "my-app",
            ["--from"] = "2026-12-01T10:00Z",
            ["--to"] = "2026-12-01T11:00Z",
            ["--out"] = Path.Combine(_folder, "x.jsonl"),
        };
        args[option] = value;

        var result = await RunAsync(null, ["trace", "export", .. args.SelectMany(a => new[] { a.Key, a.Value })]);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("yardstick: " + named + ":", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_folder, "x.jsonl")));
    }

    [Fact]
    public async Task Export_OutExistsOrIsADirectory_ExitTwoNamingOut()
    {
        var existing = Path.Combine(_folder, "old.jsonl");
        await File.WriteAllTextAsync(existing, "keep me");

        foreach (var target in new[] { existing, _folder })
        {
            var result = await RunAsync(null, "trace", "export", "--workspace", WorkspaceId, "--app", "a", "--from", "2026-12-01T10:00Z", "--to", "2026-12-01T11:00Z", "--out", target);

            Assert.Equal(2, result.ExitCode);
            Assert.StartsWith("yardstick: --out:", result.Error, StringComparison.Ordinal);
        }

        Assert.Equal("keep me", await File.ReadAllTextAsync(existing));
    }

    [Fact]
    public async Task Show_SmallTrace_PrintsRatePeakAndEndpointMix()
    {
        // 12 requests over 2 minutes: 5 in the first second, then one every 15 s; two endpoints.
        var lines = new List<string>();
        var start = new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < 5; i++)
        {
            lines.Add(Line(start.AddMilliseconds(100 * i), "GET /api/items", "/api/items?page=REDACTED", i == 4 ? 500 : 200, 10 + i));
        }

        for (var i = 1; i <= 7; i++)
        {
            lines.Add(Line(start.AddSeconds(15 * i), null, "/api/orders", 201, null));
        }

        lines.Insert(3, "");
        var path = Path.Combine(_folder, "t.jsonl");
        await File.WriteAllLinesAsync(path, lines);

        var result = await RunAsync(null, "trace", "show", path);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("12 request(s) from 2026-12-01T10:00:00.000Z to 2026-12-01T10:01:45.000Z (1 min 45 s); average 0.11/s, peak 5/s at 2026-12-01T10:00:00.000Z.", result.Out, StringComparison.Ordinal);
        Assert.Contains("rate over time (5 s buckets)", result.Out, StringComparison.Ordinal);
        Assert.Contains("+00:01:45", result.Out, StringComparison.Ordinal); // the last 5 s bucket
        Assert.Matches(@"GET /api/items\s+5\s+41\.7 %\s+200×4 500×1\s+12 ms", result.Out);
        Assert.Matches(@"GET /api/orders\s+7\s+58\.3 %\s+201×7\s+-", result.Out); // the default name: method and path

        var json = await RunAsync(null, "trace", "show", path, "--json");
        var profile = JsonNode.Parse(json.Out)!;
        Assert.Equal(12, profile["requests"]!.GetValue<long>());
        Assert.Equal(5, profile["peakPerSecond"]!.GetValue<long>());
        Assert.Equal(22, profile["rate"]!.AsArray().Count); // 0 … 105 s in 5 s buckets
        Assert.Equal(5, profile["rate"]![0]!["requests"]!.GetValue<long>());
    }

    [Fact]
    public async Task Show_BadLine_ExitTwoNamingTheFileAndLine()
    {
        var path = Path.Combine(_folder, "bad.jsonl");
        await File.WriteAllLinesAsync(path, [Line(DateTimeOffset.UnixEpoch, null, "/a", null, null), """{"t":"2026-12-01T10:00:00Z","path":"https://evil.example/x"}"""]);

        var result = await RunAsync(null, "trace", "show", path);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("yardstick: bad.jsonl: line 2: 'path'", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Show_MissingFile_ExitTwo()
    {
        var result = await RunAsync(null, "trace", "show", Path.Combine(_folder, "none.jsonl"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("does not exist", result.Error, StringComparison.Ordinal);
    }

    private static string Line(DateTimeOffset t, string? name, string path, int? status, double? durationMs)
    {
        var line = new JsonObject { ["t"] = t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture) };
        if (name is not null)
        {
            line["name"] = name;
        }

        line["path"] = path;
        if (status is not null)
        {
            line["status"] = status;
        }

        if (durationMs is not null)
        {
            line["durationMs"] = durationMs;
        }

        return line.ToJsonString();
    }

    /// <summary>The query API's answer (la-post-example.json's shape) with the export's columns.</summary>
    private static string Response(params object?[][] rows)
    {
        (string Name, string Type)[] columns = [("TimeGenerated", "datetime"), ("Name", "string"), ("Url", "string"), ("ResultCode", "string"), ("DurationMs", "real"), ("ItemCount", "int")];
        return new JsonObject
        {
            ["tables"] = new JsonArray(new JsonObject
            {
                ["name"] = "PrimaryResult",
                ["columns"] = new JsonArray(columns.Select(c => (JsonNode?)new JsonObject { ["name"] = c.Name, ["type"] = c.Type }).ToArray()),
                ["rows"] = new JsonArray(rows.Select(r => (JsonNode?)new JsonArray(r.Select(v => v is null ? null : JsonSerializer.SerializeToNode(v)).ToArray())).ToArray()),
            }),
        }.ToJsonString();
    }

    private async Task<CliResult> RunAsync(LoopbackAzureServer? server, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(stdout),
            Ansi = AnsiSupport.No,
            Interactive = InteractionSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
        });
        console.Profile.Width = 160;
        var context = new CliContext(console, stderr)
        {
            AzureCredential = new FakeTokenCredential(),
            AzureTransport = server?.CreateTransport(),
        };
        var exit = await YardstickCli.RunAsync(args, context);
        var result = new CliResult(exit, stdout.ToString(), stderr.ToString());
        output.WriteLine($"$ yardstick {string.Join(' ', args)}\n{result}");
        return result;
    }
}
