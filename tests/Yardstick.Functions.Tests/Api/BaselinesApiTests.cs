using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Yardstick.Core.Ports;
using Yardstick.Core.Runs;
using Yardstick.Functions.Tests.TestSupport;
using Yardstick.Testing;

namespace Yardstick.Functions.Tests.Api;

/// <summary>
/// <c>POST /api/baselines/{workload}</c> over real HTTP, with the real Table baseline store on Azurite (its own tables)
/// behind a read gate that makes concurrent promotions collide on purpose.
/// </summary>
[Collection(AzuriteFixture.Collection)]
public sealed class BaselinesApiTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Workload = "promote-api";
    private RendezvousBaselineStore _baselines = null!;
    private IBaselineStore _real = null!;
    private RunsApiServer _server = null!;

    public async Task InitializeAsync()
    {
        _real = azurite.CreateIsolatedStorage().Baselines;
        _baselines = new RendezvousBaselineStore(_real);
        _server = await RunsApiServer.StartAsync(new Dictionary<string, string>(), baselines: _baselines);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Promote_CompletedRun_200WithTheBaseline_AgainChangesNothing()
    {
        var runId = await AddRunAsync(0, RunStatus.Completed);

        using var response = await PromoteAsync(new { runId, reason = "release 1.2" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(Workload, (string?)body["workload"]);
        Assert.Equal("default", (string?)body["settingsKey"]);
        Assert.Equal(runId, (string?)body["runIds"]![0]);
        Assert.Equal("current", (string?)body["mode"]);
        Assert.Equal("api", (string?)body["promotedBy"]);
        Assert.Equal("release 1.2", (string?)body["reason"]);
        Assert.True((bool)body["changed"]!);

        using var again = await PromoteAsync(new { runId });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.False((bool)JsonNode.Parse(await again.Content.ReadAsStringAsync())!["changed"]!);
        Assert.Single(await _real.HistoryAsync(new BaselineKey(Workload, "default"), 10, CancellationToken.None));
    }

    [Fact]
    public async Task Promote_DegradedRunWithEnvironment_KeptApartFromTheDefaultEnvironment()
    {
        var runId = await AddRunAsync(1, RunStatus.Degraded);

        using var response = await PromoteAsync(new { runId, environment = "staging" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([runId], (await _real.GetCurrentAsync(new BaselineKey(Workload, "default", "staging"), CancellationToken.None))!.RunIds);
    }

    [Theory]
    [InlineData("failed", 400, "invalid-input", "only completed or degraded runs")]
    [InlineData("unknown", 404, "run-not-found", "no run has the id")]
    [InlineData("other-workload", 400, "invalid-input", "belongs to workload 'other-api'")]
    public async Task Promote_RunThatCannotBeTheBaseline_ProblemNamingWhy(string which, int status, string type, string detail)
    {
        var runId = which switch
        {
            "failed" => await AddRunAsync(2, RunStatus.Failed),
            "other-workload" => await AddRunAsync(3, RunStatus.Completed, workload: "other-api"),
            _ => RunIds.Create(DateTimeOffset.UnixEpoch, Guid.NewGuid()),
        };

        using var response = await PromoteAsync(new { runId });

        await AssertProblemAsync(response, status, type, detail);
    }

    [Theory]
    [InlineData("application/json", "{\"reason\": \"x\"}", 400, "runId")]
    [InlineData("application/json", "{\"runId\": \"20261129-081502-3fa9c1\", \"force\": true}", 400, "force")]
    [InlineData("application/json", "{\"runId\": 42}", 400, "runId")]
    [InlineData("application/json", "[1]", 400, "body")]
    [InlineData("application/json", "{\"runId\": \"20261129-081502-3fa9c1\", \"environment\": \"no spaces\"}", 400, "environment")]
    [InlineData("text/plain", "20261129-081502-3fa9c1", 415, "Content-Type")]
    public async Task Promote_BadRequest_ProblemNamingTheField(string contentType, string body, int status, string field)
    {
        using var content = new StringContent(body, Encoding.UTF8, contentType);
        using var response = await _server.Http.PostAsync($"/api/baselines/{Workload}", content);

        var problem = await AssertProblemAsync(response, status, type: null, detail: null);
        Assert.Equal(field, (string?)problem["errors"]![0]!["field"]);
    }

    [Fact]
    public async Task Promote_BadWorkloadName_400()
    {
        using var response = await _server.Http.PostAsJsonAsync("/api/baselines/Not_A_Name", new { runId = "20261129-081502-3fa9c1" });

        await AssertProblemAsync(response, 400, "invalid-input", "is not a workload name");
    }

    [Fact]
    public async Task Promote_TwoConcurrentPromotionsReadingTheSameBaseline_OneWinsTheOtherIsMadeOnTopAndHistoryKeepsBoth()
    {
        var first = await AddRunAsync(10, RunStatus.Completed);
        var a = await AddRunAsync(11, RunStatus.Completed);
        var b = await AddRunAsync(12, RunStatus.Completed);
        (await PromoteAsync(new { runId = first })).Dispose();
        _baselines.Arm(2);

        var responses = await Task.WhenAll(PromoteAsync(new { runId = a }), PromoteAsync(new { runId = b }));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var bodies = await Task.WhenAll(responses.Select(async r => JsonNode.Parse(await r.Content.ReadAsStringAsync())!));
        Assert.True(bodies.Count(body => (bool)body["retried"]!) == 1, string.Join("\n", bodies.Select(b => b.ToJsonString())));
        var history = await _real.HistoryAsync(new BaselineKey(Workload, "default"), 10, CancellationToken.None);
        Assert.Equal(3, history.Count);
        Assert.Equal([first], history[2].RunIds);
        var retried = (string)bodies.Single(body => (bool)body["retried"]!)["runIds"]![0]!;
        Assert.Equal([retried], history[0].RunIds);
        Assert.Equal([retried], (await _real.GetCurrentAsync(new BaselineKey(Workload, "default"), CancellationToken.None))!.RunIds);
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task Promote_ThreeConcurrentPromotions_TheTwiceBeatenOneGets409AndLeavesNoTrace()
    {
        var first = await AddRunAsync(20, RunStatus.Completed);
        var runs = new[] { await AddRunAsync(21, RunStatus.Completed), await AddRunAsync(22, RunStatus.Completed), await AddRunAsync(23, RunStatus.Completed) };
        (await PromoteAsync(new { runId = first })).Dispose();
        _baselines.Arm(3, 2);

        var responses = await Task.WhenAll(runs.Select(id => PromoteAsync(new { runId = id })));

        Assert.Equal(2, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        var conflict = Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Conflict);
        await AssertProblemAsync(conflict, 409, "baseline-conflict", "kept changing");
        var history = await _real.HistoryAsync(new BaselineKey(Workload, "default"), 10, CancellationToken.None);
        Assert.Equal(3, history.Count);
        var current = await _real.GetCurrentAsync(new BaselineKey(Workload, "default"), CancellationToken.None);
        Assert.Equal(history[0].RunIds, current!.RunIds);
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    private Task<HttpResponseMessage> PromoteAsync(object body) => _server.Http.PostAsJsonAsync($"/api/baselines/{Workload}", body);

    private async Task<string> AddRunAsync(int minute, RunStatus status, string workload = Workload)
    {
        var runId = RunIds.Create(new DateTimeOffset(2026, 11, 29, 10, minute, 0, TimeSpan.Zero), Guid.NewGuid());
        await _server.Runs.UpsertAsync(new RunRecord { RunId = runId, Workload = workload, Status = status }, CancellationToken.None);
        return runId;
    }

    private static async Task<JsonNode> AssertProblemAsync(HttpResponseMessage response, int status, string? type, string? detail)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(text)!;
        if (type is not null)
        {
            Assert.Equal("urn:yardstick:problem:" + type, (string?)problem["type"]);
        }

        if (detail is not null)
        {
            Assert.Contains(detail, (string?)problem["detail"], StringComparison.Ordinal);
        }

        return problem;
    }
}
