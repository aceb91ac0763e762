using System.Net;
using System.Net.Http.Json;
using System.Text;
using Yardstick.Core.Datasets;
using Yardstick.Functions.Tests.TestSupport;
using Yardstick.Orchestration.Contracts;
using Yardstick.Storage;
using Yardstick.Testing;
using static Yardstick.Functions.Tests.Api.RunsApiStartTests;

namespace Yardstick.Functions.Tests.Api;

/// <summary>
/// <c>POST /api/runs</c> with <c>load.model: replay</c>, traces in the datasets container on Azurite (under traces/): a pushed
/// trace starts the run; a trace file, a blob name reaching elsewhere, a missing blob, a line that could send to another
/// host, a speed out of bounds and a trace over the caps are refused with 400 naming the field, before anything is scheduled.
/// </summary>
[Collection(AzuriteFixture.Collection)]
public sealed class RunsApiReplayTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly YardstickStorage _storage = azurite.CreateIsolatedStorage();
    private RunsApiServer? _server;

    private RunsApiServer Server => _server!;

    private static string Line(double seconds, string path) =>
        $$"""{"t":"{{new DateTime(2026, 12, 1, 10, 0, 0, DateTimeKind.Utc).AddSeconds(seconds):yyyy-MM-ddTHH:mm:ss.fffZ}}","method":"GET","path":"{{path}}"}""";

    public async Task InitializeAsync()
    {
        _server = await RunsApiServer.StartAsync(new Dictionary<string, string>(), datasets: _storage.Datasets);
        await PushAsync("traces/ok.jsonl", Line(0, "/api/hello"), Line(0.5, "/api/items?page=2"));
        await PushAsync("traces/other-host.jsonl", Line(0, "/api/hello"), Line(1, "//evil.example/steal"));
        await PushAsync("traces/absolute.jsonl", Line(0, "http://evil.example/steal"));
        await PushAsync("traces/long.jsonl", Line(0, "/api/hello"), Line(3 * 3600, "/api/hello"));
        await PushAsync("traces/holes.jsonl", Line(0, "/api/users/${data.user}?q=REDACTED"), Line(0.5, "/api/hello"));
        await PushAsync("traces/missing-column.jsonl", Line(0, "/api/users/${data.user}"), Line(0.5, "/api/users/${data.tenant}"));
        await PushCsvAsync("users.csv", "user,q\nal,x\n");
    }

    private async Task PushCsvAsync(string name, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        await _storage.Datasets.PutAsync(name, new MemoryStream(bytes), DatasetFiles.Describe(new MemoryStream(bytes), "datasets/" + name, jsonLines: false), CancellationToken.None);
    }

    private async Task PushAsync(string name, params string[] lines)
    {
        var bytes = Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n");
        await _storage.Datasets.PutAsync(name, new MemoryStream(bytes), DatasetFiles.Describe(new MemoryStream(bytes), "datasets/" + name, jsonLines: true), CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    private static string Workload(string name, string trace, string extra = "") => $"""
        name: {name}
        target:
          url: http://127.0.0.1:5999/
        load:
          model: replay
          trace: {trace}
        {extra}
        """;

    private async Task<int> CountAsync()
    {
        var count = 0;
        await foreach (var _ in Server.Client.GetAllInstancesAsync(new Microsoft.DurableTask.Client.OrchestrationQuery()))
        {
            count++;
        }

        return count;
    }

    [Fact]
    public async Task Start_PushedTrace_Returns202AndSchedulesTheReplay()
    {
        using var response = await Server.Http.PostAsJsonAsync("/api/runs", new { workloadText = Workload("replay-api", "{ blob: traces/ok.jsonl }") });

        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var runId = (string)(await ReadJsonAsync(response))["runId"]!;
        var request = (await Server.Client.GetInstanceAsync(runId, getInputsAndOutputs: true))!.ReadInputAs<RunRequest>()!;
        Assert.Contains("blob: traces/ok.jsonl", request.WorkloadText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("traces/prod.jsonl", "load.trace", "never reads")]
    [InlineData("{ file: traces/prod.jsonl }", "load.trace", "never reads")]
    [InlineData("{ blob: \"https://evil.example/traces/x.jsonl\" }", "load.trace.blob", "URL")]
    [InlineData("{ blob: //evil.example/traces/x.jsonl }", "load.trace.blob", "URL")]
    [InlineData("{ blob: traces/../results/x.jsonl }", "load.trace.blob", "'..'")]
    [InlineData("{ blob: datasets/users.jsonl }", "load.trace.blob", "not in traces/")]
    [InlineData("{ blob: results/x.jsonl }", "load.trace.blob", "not in traces/")]
    [InlineData("{ blob: traces/a%2F..%2Fb.jsonl }", "load.trace.blob", "'%'")]
    [InlineData("{ blob: \"traces/a\\\\b.jsonl\" }", "load.trace.blob", "'\\'")]
    [InlineData("{ blob: traces/absent.jsonl }", "load.trace", "'traces/absent.jsonl' does not exist in the datasets container")]
    [InlineData("{ blob: traces/other-host.jsonl }", "load.trace", "line 2: 'path' is '//evil.example/steal'")]
    [InlineData("{ blob: traces/absolute.jsonl }", "load.trace", "line 1: 'path' is 'http://evil.example/steal'")]
    [InlineData("{ blob: traces/long.jsonl }", "load.trace", "above the cap of 2h per round")]
    public async Task Start_HostileOrBrokenTrace_Returns400NamingTheField_NothingScheduled(string trace, string field, string expected)
    {
        var before = await CountAsync();

        using var response = await Server.Http.PostAsJsonAsync("/api/runs", new { workloadText = Workload("replay-bad", trace) });

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        var errors = problem["errors"]!.AsArray();
        Assert.True(
            errors.Any(e => (string?)e!["field"] == field && ((string?)e["message"])!.Contains(expected, StringComparison.Ordinal)),
            problem.ToJsonString());
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task Start_ReplayWithABlobDataset_Returns202()
    {
        using var response = await Server.Http.PostAsJsonAsync("/api/runs", new { workloadText = Workload("replay-data", "{ blob: traces/holes.jsonl }", "data: { blob: datasets/users.csv, mode: unique, onExhausted: wrap }") });

        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("{ blob: traces/holes.jsonl }", "data: { file: data/users.csv }", "data.file", "never reads")]
    [InlineData("{ blob: traces/holes.jsonl }", "data: { blob: \"https://evil.example/datasets/users.csv\" }", "data.blob", "URL")]
    [InlineData("{ blob: traces/holes.jsonl }", "data: { blob: datasets/../traces/holes.jsonl }", "data.blob", "'..'")]
    [InlineData("{ blob: traces/holes.jsonl }", "data: { blob: datasets/absent.csv }", "data.blob", "does not exist")]
    [InlineData("{ blob: traces/missing-column.jsonl }", "data: { blob: datasets/users.csv }", "load.trace", "line 2: ${data.tenant} is not a column of datasets/users.csv (columns: user, q).")]
    [InlineData("{ blob: traces/holes.jsonl }", "", "load.trace", "line 1: ${data.user} needs a dataset; add data:")]
    [InlineData("{ blob: traces/holes.jsonl }", "data: { blob: datasets/users.csv }\nrequests: [{ name: a, url: /x }]", "requests", "the trace's lines are the requests")]
    public async Task Start_ReplayWithAHostileOrMismatchedDataset_Returns400NamingTheField_NothingScheduled(string trace, string data, string field, string expected)
    {
        var before = await CountAsync();

        using var response = await Server.Http.PostAsJsonAsync("/api/runs", new { workloadText = Workload("replay-data-bad", trace, data) });

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(
            problem["errors"]!.AsArray().Any(e => (string?)e!["field"] == field && ((string?)e["message"])!.Contains(expected, StringComparison.Ordinal)),
            problem.ToJsonString());
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task PutWorkload_ReplayWithAHoleTheDatasetLacks_Returns400NamingLoadTrace()
    {
        using var response = await Server.Http.PutAsync(
            "/api/workloads/replay-data-put",
            new StringContent(Workload("replay-data-put", "{ blob: traces/missing-column.jsonl }", "data: { blob: datasets/users.csv }"), Encoding.UTF8, "application/yaml"));

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(
            problem["errors"]!.AsArray().Any(e => (string?)e!["field"] == "load.trace" && ((string?)e["message"])!.Contains("${data.tenant} is not a column", StringComparison.Ordinal)),
            problem.ToJsonString());
        Assert.Empty(await Server.Registry.VersionsAsync("replay-data-put", CancellationToken.None));
    }

    [Theory]
    [InlineData("speed: 1000", "load.speed", "out of bounds")]
    [InlineData("speed: 0", "load.speed", "")]
    [InlineData("speed: 0.5", "load.speed", "above the cap of 2h")]
    [InlineData("window: { from: 5h }", "load.window", "no recorded request")]
    [InlineData("rate: 100000/s", "load.rate", "the trace sets every arrival")]
    public async Task Start_SpeedWindowOrRateOutOfBounds_Returns400NamingTheField(string setting, string field, string expected)
    {
        var trace = setting.StartsWith("speed: 0.5", StringComparison.Ordinal) || setting.StartsWith("window", StringComparison.Ordinal)
            ? "{ blob: traces/long.jsonl }"
            : "{ blob: traces/ok.jsonl }";
        var text = Workload("replay-bounds", trace).Replace("  model: replay\n", "  model: replay\n  " + setting + "\n", StringComparison.Ordinal);

        using var response = await Server.Http.PostAsJsonAsync("/api/runs", new { workloadText = text });

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(
            problem["errors"]!.AsArray().Any(e => (string?)e!["field"] == field && ((string?)e["message"])!.Contains(expected, StringComparison.Ordinal)),
            problem.ToJsonString());
    }
}
