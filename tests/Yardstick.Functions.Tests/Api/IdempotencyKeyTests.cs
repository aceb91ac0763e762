using System.Net;
using System.Net.Http.Json;
using Microsoft.DurableTask.Client;
using Yardstick.Functions.Api;
using Yardstick.Functions.Tests.TestSupport;
using Yardstick.Orchestration.Contracts;
using Yardstick.Testing;

namespace Yardstick.Functions.Tests.Api;

/// <summary>
/// <c>Idempotency-Key</c> on <c>POST /api/runs</c>, <c>/api/sweeps</c> and <c>/api/gate</c> over real HTTP, with the real
/// Durable engine (in memory) and the real Table store on Azurite: a retry answers for the first run, never starts another.
/// </summary>
[Collection(AzuriteFixture.Collection)]
public sealed class IdempotencyKeyTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Workload = "idem-api";
    private RunsApiServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await RunsApiServer.StartAsync(
            new Dictionary<string, string> { ["idem.yaml"] = TestWorkloads.Valid(Workload) },
            idempotency: azurite.CreateIsolatedStorage().Idempotency);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task StartRun_SameKeyTwice_SecondAnswersTheSameRunAndStartsNothing()
    {
        var key = Guid.NewGuid().ToString();

        using var first = await PostAsync("/api/runs", key, new { workload = Workload, tags = new Dictionary<string, string> { ["commit"] = "a1", ["job"] = "7" } });
        var before = await CountInstancesAsync();
        using var second = await PostAsync("/api/runs", key, new { tags = new Dictionary<string, string> { ["job"] = "7", ["commit"] = "a1" }, workload = Workload });

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        var runId = (string)(await RunsApiStartTests.ReadJsonAsync(first))["runId"]!;
        var again = await RunsApiStartTests.ReadJsonAsync(second);
        Assert.Equal(runId, (string?)again["runId"]);
        Assert.Equal($"{_server.BaseUrl}/api/runs/{runId}", (string?)again["statusQueryGetUri"]);
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.Equal("true", second.Headers.GetValues(IdempotentStarts.ReplayedHeader).Single());
        Assert.False(first.Headers.Contains(IdempotentStarts.ReplayedHeader));
        Assert.Equal(before, await CountInstancesAsync());
    }

    [Fact]
    public async Task StartRun_SameKeyAfterTheRunFinished_200WithItsStatus()
    {
        var key = Guid.NewGuid().ToString();
        using var first = await PostAsync("/api/runs", key, new { workload = Workload });
        var runId = (string)(await RunsApiStartTests.ReadJsonAsync(first))["runId"]!;
        await _server.Client.RaiseEventAsync(runId, RunsApiServer.FinishEvent, new RunOutcome { RunId = runId, Workload = Workload, Verdict = "pass" });
        await _server.Client.WaitForInstanceCompletionAsync(runId);

        using var second = await PostAsync("/api/runs", key, new { workload = Workload });

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var body = await RunsApiStartTests.ReadJsonAsync(second);
        Assert.Equal(runId, (string?)body["runId"]);
        Assert.Equal("Completed", (string?)body["runtimeStatus"]);
    }

    [Fact]
    public async Task StartRun_ConcurrentRequestsWithOneKey_StartOneRun()
    {
        var key = Guid.NewGuid().ToString();
        var before = await CountInstancesAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => PostAsync("/api/runs", key, new { workload = Workload })));

        var runIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var response in responses)
        {
            using (response)
            {
                Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
                runIds.Add((string)(await RunsApiStartTests.ReadJsonAsync(response))["runId"]!);
            }
        }

        Assert.Single(runIds);
        Assert.Equal(before + 1, await CountInstancesAsync());
    }

    [Fact]
    public async Task StartRun_SameKeyDifferentBody_422NamingTheHeader_NothingStarted()
    {
        var key = Guid.NewGuid().ToString();
        using var first = await PostAsync("/api/runs", key, new { workload = Workload, overrides = new[] { "load.rate=5/s" } });
        var before = await CountInstancesAsync();

        using var second = await PostAsync("/api/runs", key, new { workload = Workload, overrides = new[] { "load.rate=6/s" } });

        var problem = await RunsApiStartTests.ReadProblemAsync(second, HttpStatusCode.UnprocessableEntity);
        Assert.Equal("Idempotency-Key", (string?)problem["errors"]![0]!["field"]);
        Assert.Equal(before, await CountInstancesAsync());
    }

    [Fact]
    public async Task SameKey_OnAnotherEndpoint_IsAnotherKey()
    {
        var key = Guid.NewGuid().ToString();
        using var run = await PostAsync("/api/runs", key, new { workload = Workload });
        using var gate = await PostAsync("/api/gate", key, new { workload = Workload, budgetSeconds = 1 });

        Assert.Equal(HttpStatusCode.Accepted, gate.StatusCode);
        Assert.NotEqual((string?)(await RunsApiStartTests.ReadJsonAsync(run))["runId"], (string?)(await RunsApiStartTests.ReadJsonAsync(gate))["runId"]);
    }

    [Fact]
    public async Task Gate_SameKeyTwice_WaitsForTheFirstRun()
    {
        var key = Guid.NewGuid().ToString();
        using var first = await PostAsync("/api/gate", key, new { workload = Workload, budgetSeconds = 1 });
        var runId = (string)(await RunsApiStartTests.ReadJsonAsync(first))["runId"]!;
        await _server.Client.RaiseEventAsync(runId, RunsApiServer.FinishEvent, new RunOutcome { RunId = runId, Workload = Workload, Verdict = "pass" });

        // Another wait budget is the same request: it is how long to wait, not what to run.
        using var second = await PostAsync("/api/gate", key, new { workload = Workload, budgetSeconds = 30 });

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var body = await RunsApiStartTests.ReadJsonAsync(second);
        Assert.Equal(runId, (string?)body["runId"]);
        Assert.Equal("pass", (string?)body["outcome"]!["verdict"]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("<script>")]
    [InlineData("a;b")]
    public async Task StartRun_MalformedKey_400NamingTheHeader_NothingStarted(string key)
    {
        var before = await CountInstancesAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/runs") { Content = JsonContent.Create(new { workload = Workload }) };
        request.Headers.TryAddWithoutValidation(IdempotentStarts.Header, key);

        using var response = await _server.Http.SendAsync(request);

        var problem = await RunsApiStartTests.ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("Idempotency-Key", (string?)problem["errors"]![0]!["field"]);
        Assert.Equal(before, await CountInstancesAsync());
    }

    [Fact]
    public async Task StartRun_OverlongOrRepeatedKey_400NamingTheHeader()
    {
        using var overlong = await PostAsync("/api/runs", new string('k', IdempotentStarts.MaxKeyLength + 1), new { workload = Workload });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/runs") { Content = JsonContent.Create(new { workload = Workload }) };
        request.Headers.TryAddWithoutValidation(IdempotentStarts.Header, ["k1", "k2"]);
        using var repeated = await _server.Http.SendAsync(request);

        Assert.Equal("Idempotency-Key", (string?)(await RunsApiStartTests.ReadProblemAsync(overlong, HttpStatusCode.BadRequest))["errors"]![0]!["field"]);
        Assert.Equal("Idempotency-Key", (string?)(await RunsApiStartTests.ReadProblemAsync(repeated, HttpStatusCode.BadRequest))["errors"]![0]!["field"]);
    }

    private async Task<HttpResponseMessage> PostAsync(string path, string key, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.TryAddWithoutValidation(IdempotentStarts.Header, key);
        return await _server.Http.SendAsync(request);
    }

    private async Task<int> CountInstancesAsync()
    {
        var count = 0;
        await foreach (var _ in _server.Client.GetAllInstancesAsync(new OrchestrationQuery()))
        {
            count++;
        }

        return count;
    }
}
