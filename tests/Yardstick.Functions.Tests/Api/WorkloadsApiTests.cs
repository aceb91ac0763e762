using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Yardstick.Core.Workloads.Registry;
using Yardstick.Functions.Tests.TestSupport;
using Yardstick.Orchestration.Contracts;

namespace Yardstick.Functions.Tests.Api;

/// <summary>The workload registry API over real HTTP: push, list, read, retire, run by name — and its abuse cases.</summary>
public sealed class WorkloadsApiTests(RunsApiFixture fixture) : IClassFixture<RunsApiFixture>
{
    private RunsApiServer Server => fixture.Server;

    [Fact]
    public async Task Put_NewYamlWorkload_Stores201ThenSameTextIs200WithTheSameVersion()
    {
        var text = TestWorkloads.Valid("reg-put");

        using var first = await PutAsync("reg-put", text, query: "?author=cli:alice");
        using var second = await PutAsync("reg-put", text);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var body = await RunsApiStartTests.ReadJsonAsync(first);
        Assert.True((bool)body["created"]!);
        Assert.Equal(1, (int)body["version"]!["version"]!);
        Assert.Equal(WorkloadContentHash.Of(text), (string?)body["version"]!["contentHash"]);
        Assert.Equal("cli:alice", (string?)body["version"]!["author"]);
        Assert.Equal($"{Server.BaseUrl}/api/workloads/reg-put/versions/1", first.Headers.Location?.ToString());
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.False((bool)(await RunsApiStartTests.ReadJsonAsync(second))["created"]!);
        Assert.Single(await Server.Registry.VersionsAsync("reg-put", CancellationToken.None));
    }

    [Fact]
    public async Task Put_JsonBody_IsStoredAsJson()
    {
        const string json = """{"name": "reg-json", "target": {"url": "http://127.0.0.1:5999/api/hello"}, "load": {"rate": "5/s", "duration": "2s"}}""";

        using var response = await PutAsync("reg-json", json, mediaType: "application/json");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("json", (string?)(await RunsApiStartTests.ReadJsonAsync(response))["version"]!["format"]);
        Assert.Equal(json, await Server.Registry.GetTextAsync("reg-json", 1, CancellationToken.None));
    }

    [Fact]
    public async Task VersionsAndGet_TwoPushesAndARetirement_ListNewestFirstKeepTheHistoryAndServeTheText()
    {
        var v1 = TestWorkloads.Valid("reg-hist");
        var v2 = v1.Replace("rate: 10/s", "rate: 20/s", StringComparison.Ordinal);
        (await PutAsync("reg-hist", v1)).Dispose();
        (await PutAsync("reg-hist", v2)).Dispose();

        using var retire = await Server.Http.DeleteAsync("/api/workloads/reg-hist/versions/v2?author=ops");
        using var list = await Server.Http.GetAsync("/api/workloads/reg-hist/versions");
        using var get = await Server.Http.GetAsync("/api/workloads/reg-hist/versions/1");

        Assert.Equal(HttpStatusCode.OK, retire.StatusCode);
        Assert.Equal("ops", (string?)(await RunsApiStartTests.ReadJsonAsync(retire))["version"]!["retiredBy"]);
        var versions = (await RunsApiStartTests.ReadJsonAsync(list))["versions"]!.AsArray();
        Assert.Equal([2, 1], versions.Select(v => (int)v!["version"]!));
        Assert.NotNull(versions[0]!["retiredAt"]);
        Assert.Null(versions[1]!["retiredAt"]);
        Assert.Equal(v1, (string?)(await RunsApiStartTests.ReadJsonAsync(get))["text"]);
        Assert.Equal(1, (await Server.Registry.NewestAsync("reg-hist", CancellationToken.None))!.Version);
    }

    [Fact]
    public async Task StartRun_ByRegisteredName_RunsTheNewestActiveVersionAndRecordsVersionAndHash()
    {
        var packaged = TestWorkloads.Valid(RunsApiFixture.DeployedName);
        var registered = packaged.Replace("rate: 10/s", "rate: 12/s", StringComparison.Ordinal);
        var newer = packaged.Replace("rate: 10/s", "rate: 14/s", StringComparison.Ordinal);
        (await PutAsync(RunsApiFixture.DeployedName, registered)).Dispose();
        (await PutAsync(RunsApiFixture.DeployedName, newer)).Dispose();
        (await Server.Http.DeleteAsync($"/api/workloads/{RunsApiFixture.DeployedName}/versions/2")).Dispose();
        try
        {
            var request = await StartByNameAsync(RunsApiFixture.DeployedName);

            Assert.Equal(registered, request.WorkloadText);
            Assert.Equal($"registry:{RunsApiFixture.DeployedName}@v1", request.WorkloadSource);
            Assert.Equal(1, request.WorkloadVersion);
            Assert.Equal(WorkloadContentHash.Of(registered), request.WorkloadHash);
        }
        finally
        {
            await Server.Registry.RetireAsync(RunsApiFixture.DeployedName, 1, "test", CancellationToken.None);
        }

        // Every version retired: the packaged file is the default again.
        var fallback = await StartByNameAsync(RunsApiFixture.DeployedName);
        Assert.Equal(packaged, fallback.WorkloadText);
        Assert.Null(fallback.WorkloadVersion);
        Assert.Equal(WorkloadContentHash.Of(packaged), fallback.WorkloadHash);
    }

    [Fact]
    public async Task Put_InvalidWorkload_Returns400WithItsFieldsAndStoresNothing()
    {
        using var response = await PutAsync("reg-bad", TestWorkloads.Valid("reg-bad").Replace("rate: 10/s", "rate: fast", StringComparison.Ordinal));

        var problem = await RunsApiStartTests.ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(problem["errors"]!.AsArray(), e => (string?)e!["field"] == "load.rate");
        Assert.Empty(await Server.Registry.VersionsAsync("reg-bad", CancellationToken.None));
    }

    [Fact]
    public async Task Put_TargetNotOnAllowList_Returns400NamingTargetUrl()
    {
        using var response = await PutAsync("reg-far", TestWorkloads.Valid("reg-far", url: "http://203.0.113.10/api/hello"));

        var problem = await RunsApiStartTests.ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("target.url", (string?)problem["errors"]![0]!["field"]);
        Assert.Empty(await Server.Registry.VersionsAsync("reg-far", CancellationToken.None));
    }

    [Fact]
    public async Task Put_BodyNamesAnotherWorkload_Returns400NamingName()
    {
        using var response = await PutAsync("reg-one", TestWorkloads.Valid("reg-two"));

        var problem = await RunsApiStartTests.ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("name", (string?)problem["errors"]![0]!["field"]);
        Assert.Empty(await Server.Registry.VersionsAsync("reg-one", CancellationToken.None));
        Assert.Empty(await Server.Registry.VersionsAsync("reg-two", CancellationToken.None));
    }

    /// <summary>Names that must never reach a table key or a blob path: traversal, encoded separators, case, length, control characters.</summary>
    [Theory]
    [InlineData("..")]
    [InlineData("..%2F..%2Fetc")]
    [InlineData("a%2Fb")]
    [InlineData("a%5Cb")]
    [InlineData("~workloads")]
    [InlineData("Hello")]
    [InlineData("-lead")]
    [InlineData("trail-")]
    [InlineData("a%00b")]
    [InlineData("a%0Ab")]
    [InlineData("a.b")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public async Task Endpoints_NameWithPathTricksOrBeyondTheRule_Return400NamingName(string name)
    {
        using var put = await PutAsync(name, TestWorkloads.Valid("x"), escape: false);
        using var list = await Server.Http.GetAsync($"/api/workloads/{name}/versions");
        using var delete = await Server.Http.DeleteAsync($"/api/workloads/{name}/versions/1");

        foreach (var response in new[] { put, list, delete })
        {
            // The router may turn a decoded '/' into another route (404 from it) and the server refuses a NUL in a path itself
            // (400 without a problem body): never a 2xx, never a server error; when the API answers, it names the field.
            var raw = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed, $"{response.RequestMessage!.Method} {name}: {response.StatusCode} {raw}");
            if (response.StatusCode == HttpStatusCode.BadRequest && response.Content.Headers.ContentType?.MediaType == "application/problem+json")
            {
                Assert.Equal("name", (string?)(await RunsApiStartTests.ReadProblemAsync(response, HttpStatusCode.BadRequest))["errors"]![0]!["field"]);
            }
        }

        Assert.DoesNotContain(await Server.Registry.ListNewestAsync(CancellationToken.None), v => v.Workload == "x");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("v")]
    [InlineData("1.5")]
    [InlineData("9999999999")]
    [InlineData("0x10")]
    public async Task GetAndDelete_BadVersion_Return400NamingVersion(string version)
    {
        (await PutAsync("reg-ver", TestWorkloads.Valid("reg-ver"))).Dispose();

        using var get = await Server.Http.GetAsync($"/api/workloads/reg-ver/versions/{version}");
        using var delete = await Server.Http.DeleteAsync($"/api/workloads/reg-ver/versions/{version}");

        Assert.Equal("version", (string?)(await RunsApiStartTests.ReadProblemAsync(get, HttpStatusCode.BadRequest))["errors"]![0]!["field"]);
        Assert.Equal("version", (string?)(await RunsApiStartTests.ReadProblemAsync(delete, HttpStatusCode.BadRequest))["errors"]![0]!["field"]);
        Assert.Null((await Server.Registry.NewestAsync("reg-ver", CancellationToken.None))!.RetiredAt);
    }

    [Fact]
    public async Task GetAndDelete_UnknownVersionOrWorkload_Return404()
    {
        (await PutAsync("reg-404", TestWorkloads.Valid("reg-404"))).Dispose();

        using var version = await Server.Http.GetAsync("/api/workloads/reg-404/versions/7");
        using var retire = await Server.Http.DeleteAsync("/api/workloads/reg-404/versions/7");
        using var workload = await Server.Http.GetAsync("/api/workloads/reg-nobody/versions");

        Assert.Equal("version", (string?)(await RunsApiStartTests.ReadProblemAsync(version, HttpStatusCode.NotFound))["errors"]![0]!["field"]);
        await RunsApiStartTests.ReadProblemAsync(retire, HttpStatusCode.NotFound);
        await RunsApiStartTests.ReadProblemAsync(workload, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Put_BodyOverTheWorkloadCapWithContentLength_Returns413AndStoresNothing()
    {
        var text = TestWorkloads.Valid("reg-big") + "\n# " + new string('x', 300 * 1024);

        using var response = await PutAsync("reg-big", text);

        Assert.Equal("body", (string?)(await RunsApiStartTests.ReadProblemAsync(response, HttpStatusCode.RequestEntityTooLarge))["errors"]![0]!["field"]);
        Assert.Empty(await Server.Registry.VersionsAsync("reg-big", CancellationToken.None));
    }

    [Fact]
    public async Task Put_BodyOverTheWorkloadCapChunked_Returns413()
    {
        var bytes = Encoding.UTF8.GetBytes(TestWorkloads.Valid("reg-chunk") + "\n# " + new string('x', 300 * 1024));
        using var content = new StreamContent(new UnseekableStream(bytes));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/yaml");
        using var request = new HttpRequestMessage(HttpMethod.Put, "/api/workloads/reg-chunk") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using var response = await Server.Http.SendAsync(request);

        await RunsApiStartTests.ReadProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Empty(await Server.Registry.VersionsAsync("reg-chunk", CancellationToken.None));
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/octet-stream")]
    [InlineData("application/yaml; charset=latin1")]
    public async Task Put_UnsupportedContentType_Returns415(string mediaType)
    {
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(TestWorkloads.Valid("reg-type")));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(mediaType);

        using var response = await Server.Http.PutAsync("/api/workloads/reg-type", content);

        Assert.Equal("Content-Type", (string?)(await RunsApiStartTests.ReadProblemAsync(response, HttpStatusCode.UnsupportedMediaType))["errors"]![0]!["field"]);
    }

    [Theory]
    [InlineData("?author=")]
    [InlineData("?author=a%0Ab")]
    [InlineData("?author=%3Cscript%3E")]
    [InlineData("?author=a&author=b")]
    public async Task Put_BadAuthor_Returns400NamingAuthor(string query)
    {
        using var response = await PutAsync("reg-author", TestWorkloads.Valid("reg-author"), query: query);

        Assert.Equal("author", (string?)(await RunsApiStartTests.ReadProblemAsync(response, HttpStatusCode.BadRequest))["errors"]![0]!["field"]);
    }

    [Fact]
    public async Task Put_InvalidUtf8OrEmpty_Returns400NamingBody()
    {
        using var invalid = new ByteArrayContent([0x6e, 0x61, 0xff, 0xfe]);
        invalid.Headers.ContentType = new MediaTypeHeaderValue("application/yaml");
        using var empty = new ByteArrayContent([]);
        empty.Headers.ContentType = new MediaTypeHeaderValue("application/yaml");

        using var first = await Server.Http.PutAsync("/api/workloads/reg-utf", invalid);
        using var second = await Server.Http.PutAsync("/api/workloads/reg-utf", empty);

        Assert.Equal("body", (string?)(await RunsApiStartTests.ReadProblemAsync(first, HttpStatusCode.BadRequest))["errors"]![0]!["field"]);
        Assert.Equal("body", (string?)(await RunsApiStartTests.ReadProblemAsync(second, HttpStatusCode.BadRequest))["errors"]![0]!["field"]);
    }

    private async Task<RunRequest> StartByNameAsync(string name)
    {
        using var response = await Server.Http.PostAsJsonAsync("/api/runs", new { workload = name });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var runId = (string)(await RunsApiStartTests.ReadJsonAsync(response))["runId"]!;
        return (await Server.Client.GetInstanceAsync(runId, getInputsAndOutputs: true))!.ReadInputAs<RunRequest>()!;
    }

    private Task<HttpResponseMessage> PutAsync(string name, string text, string query = "", string mediaType = "application/yaml", bool escape = true)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(text));
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        var path = "/api/workloads/" + (escape ? Uri.EscapeDataString(name) : name) + query;
        return Server.Http.PutAsync(path, content);
    }

    private sealed class UnseekableStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
