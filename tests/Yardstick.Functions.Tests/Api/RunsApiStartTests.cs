using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.DurableTask.Client;
using Yardstick.Core;
using Yardstick.Core.Runs;
using Yardstick.Functions.Tests.TestSupport;
using Yardstick.Orchestration;
using Yardstick.Orchestration.Contracts;

namespace Yardstick.Functions.Tests.Api;

/// <summary><c>POST /api/runs</c> over real HTTP against a real (in-memory) Durable client.</summary>
public sealed class RunsApiStartTests(RunsApiFixture fixture) : IClassFixture<RunsApiFixture>
{
    private RunsApiServer Server => fixture.Server;

    [Fact]
    public async Task Start_InlineWorkloadJson_Returns202WithStatusUrlsAndSchedulesTheRequest()
    {
        var text = TestWorkloads.Valid("inline-api");

        using var response = await Server.Http.PostAsJsonAsync("/api/runs", new
        {
            workloadText = text,
            overrides = new[] { "load.rate=20/s" },
            tags = new Dictionary<string, string> { ["commit"] = "abc123", ["pipeline"] = "ci-42" },
            baseline = "current",
        });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await ReadJsonAsync(response);
        var runId = (string)body["runId"]!;
        Assert.True(RunIds.IsValid(runId), runId);
        Assert.Equal(runId, (string?)body["id"]);
        Assert.Equal("inline-api", (string?)body["workload"]);
        var statusUri = $"{Server.BaseUrl}/api/runs/{runId}";
        Assert.Equal(statusUri, (string?)body["statusQueryGetUri"]);
        Assert.Equal(statusUri + "/report", (string?)body["reportUri"]);
        Assert.Equal(new Uri(statusUri), response.Headers.Location);

        var instance = await Server.Client.GetInstanceAsync(runId, getInputsAndOutputs: true);
        Assert.NotNull(instance);
        Assert.Equal(nameof(BenchmarkRunOrchestrator), instance.Name);
        var request = instance.ReadInputAs<RunRequest>()!;
        Assert.Equal(runId, request.RunId);
        Assert.Equal(text, request.WorkloadText);
        Assert.Equal("workloadText", request.WorkloadSource);
        Assert.Equal(["load.rate=20/s"], request.Overrides);
        Assert.Equal("abc123", request.Tags["commit"]);
        Assert.Equal("ci-42", request.Tags["pipeline"]);
        Assert.Equal("api", request.Tags["trigger"]);
        Assert.Equal("functions", request.Host);
        Assert.Equal("current", request.Baseline);
    }

    [Fact]
    public async Task Start_YamlBody_TakesTheBodyAsWorkloadAndTagsOverridesFromQuery()
    {
        var text = TestWorkloads.Valid("yaml-api");
        using var content = new StringContent(text, Encoding.UTF8, "application/yaml");

        using var response = await Server.Http.PostAsync("/api/runs?tag=commit:def456&tag=pipeline:nightly-ci&set=load.rate=15/s&set=load.duration=3s", content);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var runId = (string)(await ReadJsonAsync(response))["runId"]!;
        var request = (await Server.Client.GetInstanceAsync(runId, getInputsAndOutputs: true))!.ReadInputAs<RunRequest>()!;
        Assert.Equal(text, request.WorkloadText);
        Assert.Equal(["load.rate=15/s", "load.duration=3s"], request.Overrides);
        Assert.Equal("def456", request.Tags["commit"]);
        Assert.Equal("nightly-ci", request.Tags["pipeline"]);
    }

    [Fact]
    public async Task Start_DeployedWorkloadByName_SchedulesTheDeployedFile()
    {
        using var response = await Server.Http.PostAsJsonAsync("/api/runs", new { workload = RunsApiFixture.DeployedName });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var runId = (string)(await ReadJsonAsync(response))["runId"]!;
        var request = (await Server.Client.GetInstanceAsync(runId, getInputsAndOutputs: true))!.ReadInputAs<RunRequest>()!;
        Assert.Equal("workloads/hello.yaml", request.WorkloadSource);
        Assert.Equal(TestWorkloads.Valid(RunsApiFixture.DeployedName), request.WorkloadText);
    }

    [Fact]
    public async Task StartSweep_WorkloadWithSweep_Returns202AndSchedulesTheSweepRun()
    {
        // A deployed host cannot start local processes, so its sweeps change an Azure target's settings through ARM.
        var text = TestWorkloads.Valid("sweep-api").Replace("  method: GET", """
              method: GET
              azure:
                resourceId: /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-apps/providers/Microsoft.Web/sites/my-app
            """.TrimEnd(), StringComparison.Ordinal) + """

            sweep:
              parameter: instanceMemoryMB
              values: [512, 2048]
            """;

        using var response = await Server.Http.PostAsJsonAsync("/api/sweeps", new { workloadText = text, tags = new Dictionary<string, string> { ["commit"] = "s1" } });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await ReadJsonAsync(response);
        var runId = (string)body["runId"]!;
        Assert.Equal($"{Server.BaseUrl}/api/runs/{runId}", (string?)body["statusQueryGetUri"]);
        var request = (await Server.Client.GetInstanceAsync(runId, getInputsAndOutputs: true))!.ReadInputAs<RunRequest>()!;
        Assert.Equal(text, request.WorkloadText);
        Assert.Equal("s1", request.Tags["commit"]);
    }

    [Fact]
    public async Task StartSweep_WorkloadWithoutSweep_Returns400NamingSweepAndSchedulesNothing()
    {
        var before = await fixture.CountInstancesAsync();

        using var response = await Server.Http.PostAsJsonAsync("/api/sweeps", new { workload = RunsApiFixture.DeployedName });

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("sweep", (string?)problem["errors"]![0]!["field"]);
        Assert.Contains("POST /api/runs", (string?)problem["errors"]![0]!["message"], StringComparison.Ordinal);
        Assert.Equal(before, await fixture.CountInstancesAsync());
    }

    [Fact]
    public async Task Start_InvalidRate_Returns400ProblemNamingTheFieldAndSchedulesNothing()
    {
        var before = await fixture.CountInstancesAsync();

        using var response = await Server.Http.PostAsJsonAsync("/api/runs", new { workloadText = TestWorkloads.Valid("bad-api"), overrides = new[] { "load.rate=fast" } });

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("urn:yardstick:problem:invalid-workload", (string?)problem["type"]);
        Assert.Equal(400, (int)problem["status"]!);
        Assert.Contains(problem["errors"]!.AsArray(), e => (string?)e!["field"] == "load.rate");
        Assert.Equal(before, await fixture.CountInstancesAsync());
    }

    [Fact]
    public async Task Start_InvalidDeployedWorkload_Returns400WithItsFileErrors()
    {
        using var response = await Server.Http.PostAsJsonAsync("/api/runs", new { workload = "broken-api" });

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(problem["errors"]!.AsArray(), e => (string?)e!["field"] == "load.rate" && e["line"] is not null);
    }

    [Fact]
    public async Task Start_UnknownWorkloadName_Returns404ListingTheDeployedNames()
    {
        using var response = await Server.Http.PostAsJsonAsync("/api/runs", new { workload = "no-such-workload" });

        var problem = await ReadProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Equal("workload", (string?)problem["errors"]![0]!["field"]);
        var available = problem["available"]!.AsArray().Select(n => (string)n!).ToList();
        Assert.Equal(["broken-api", "hello-api", "other-api"], available);
    }

    [Fact]
    public async Task Start_TargetNotOnAllowList_Returns400NamingTargetUrl()
    {
        var text = TestWorkloads.Valid("elsewhere-api", url: "http://203.0.113.10/api/hello");

        using var response = await Server.Http.PostAsJsonAsync("/api/runs", new { workloadText = text });

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("target.url", (string?)problem["errors"]![0]!["field"]);
    }

    [Theory]
    [InlineData("""{"workload": "hello-api", "workloadText": "name: x"}""", "workload")]
    [InlineData("""{}""", "workload")]
    [InlineData("""{"workload": "hello-api", "tag": {"a": "b"}}""", "tag")]
    [InlineData("""{"workload": "hello-api", "tags": {"commit": 5}}""", "tags.commit")]
    [InlineData("""{"workload": "hello-api", "tags": {"9bad": "x"}}""", "tags.9bad")]
    [InlineData("""{"workload": "hello-api", "overrides": "load.rate=1/s"}""", "overrides")]
    [InlineData("""{"workload": "hello-api", "baseline": "yesterday"}""", "baseline")]
    [InlineData("""{"workload": "hello-api", "budgetSeconds": 30}""", "budgetSeconds")]
    [InlineData("""{"workload": """, "body")]
    [InlineData("""["hello-api"]""", "body")]
    public async Task Start_BadJsonBody_Returns400NamingTheField(string json, string field)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");

        using var response = await Server.Http.PostAsync("/api/runs", content);

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(field, (string?)problem["errors"]![0]!["field"]);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/json; charset=latin1")]
    public async Task Start_UnsupportedContentType_Returns415(string contentType)
    {
        using var content = new ByteArrayContent("name: x"u8.ToArray());
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);

        using var response = await Server.Http.PostAsync("/api/runs", content);

        var problem = await ReadProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
        Assert.Equal("Content-Type", (string?)problem["errors"]![0]!["field"]);
    }

    [Fact]
    public async Task Start_TwoMegabytesWithContentLength_Returns413BeforeTheBodyIsSent()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/runs") { Content = new ByteArrayContent(TwoMegabytes()) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/yaml");
        // With 100-continue the client sends the body only once the handler starts reading it; a 413 first means it never did.
        request.Headers.ExpectContinue = true;

        using var response = await Server.Http.SendAsync(request);

        var problem = await ReadProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal("body", (string?)problem["errors"]![0]!["field"]);
    }

    [Fact]
    public async Task Start_TwoMegabytesChunked_Returns413()
    {
        using var content = new StreamContent(new UnseekableStream(TwoMegabytes()));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/yaml");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/runs") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using var response = await Server.Http.SendAsync(request);

        var problem = await ReadProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal("body", (string?)problem["errors"]![0]!["field"]);
    }

    [Fact]
    public async Task Start_Refused_NeverEchoesRequestHeadersOrLiteralSecrets()
    {
        const string token = "s3cr3t-token-0123456789abcdef";
        var text = TestWorkloads.Valid("secret-api").Replace("method: GET", $"method: GET\n  headers:\n    Authorization: Bearer {token}", StringComparison.Ordinal);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/runs?code=" + token) { Content = JsonContent.Create(new { workloadText = text }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add("x-functions-key", token);

        using var response = await Server.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var raw = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(token, raw, StringComparison.Ordinal);
        Assert.DoesNotContain(token, string.Join('\n', response.Headers.Select(h => string.Join(',', h.Value))), StringComparison.Ordinal);
    }

    internal static async Task<JsonNode> ReadJsonAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    internal static async Task<JsonNode> ReadProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var raw = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"expected {expected}, got {response.StatusCode}: {raw}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(raw)!;
        Assert.Equal((int)expected, (int)problem["status"]!);
        Assert.StartsWith("urn:yardstick:problem:", (string?)problem["type"], StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty((string?)problem["title"]));
        Assert.False(string.IsNullOrEmpty((string?)problem["detail"]));
        return problem;
    }

    private static byte[] TwoMegabytes() => Encoding.UTF8.GetBytes("# " + new string('x', 2 * 1024 * 1024));

    /// <summary>A stream whose length is unknown, so HttpClient must send it chunked.</summary>
    private sealed class UnseekableStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
