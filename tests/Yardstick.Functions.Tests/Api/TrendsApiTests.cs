using System.Net;
using Yardstick.Core.Runs;
using Yardstick.Functions.Api;
using Yardstick.Functions.Tests.TestSupport;
using Yardstick.Testing;
using static Yardstick.Functions.Tests.Api.RunsApiStartTests;

namespace Yardstick.Functions.Tests.Api;

/// <summary>
/// <c>GET /api/workloads</c> and <c>GET /api/workloads/{name}/trend</c> over real HTTP (stores in memory; the Runs-table
/// window read is tested on Azurite with 5,040 runs in Yardstick.Storage.Tests), and their abuse cases.
/// </summary>
public sealed class TrendsApiTests : IAsyncLifetime
{
    private const string Stepped = "trend-api";
    private const string Idle = "idle-api";

    private RunsApiServer? _server;
    private List<RunRecord> _nights = [];

    private RunsApiServer Server => _server!;

    public async Task InitializeAsync()
    {
        _server = await RunsApiServer.StartAsync(
            new Dictionary<string, string> { ["stepped.yaml"] = TestWorkloads.Valid(Stepped), ["idle.yaml"] = TestWorkloads.Valid(Idle) },
            baselines: new InMemoryBaselineStore());
        var now = DateTimeOffset.UtcNow;
        _nights = Enumerable.Range(0, 60).Select(n =>
        {
            var at = now.AddDays(-59.5 + n);
            return new RunRecord
            {
                RunId = RunIds.Create(at, Guid.NewGuid()),
                Workload = Stepped,
                Status = RunStatus.Completed,
                CreatedAt = at,
                Requests = 1000,
                ThroughputRps = 40,
                P95Ms = (n < 40 ? 80 : 100) + (n % 3),
                Verdict = n == 59 ? "regression" : "equivalent",
                SettingsHash = "00112233aabbccdd",
            };
        }).ToList();
        foreach (var run in _nights)
        {
            await Server.Runs.UpsertAsync(run, CancellationToken.None);
        }

        await Server.Registry.PushAsync("registered-api", TestWorkloads.Valid("registered-api"), null, "test", CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task Trend_SixtyNightsWithAStep_200WithTheChangePointAndDirection()
    {
        using var response = await Server.Http.GetAsync($"/api/workloads/{Stepped}/trend?metric=p95&days=90");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var trend = await ReadJsonAsync(response);
        Assert.Equal(1, (int)trend["schemaVersion"]!);
        Assert.Equal(60, (int)trend["runsRead"]!);
        var series = Assert.Single(trend["series"]!.AsArray())!;
        Assert.Equal("p95", (string?)series["metric"]);
        Assert.Equal(60, series["points"]!.AsArray().Count);
        Assert.Equal(_nights[40].RunId, (string?)series["changePoints"]![0]!["runId"]);
        Assert.Equal("up", (string?)series["direction"]);
        Assert.Equal("worse", (string?)series["assessment"]);
    }

    [Fact]
    public async Task Dashboard_OverviewAndWorkloadPage_HtmlWithChartsAndLinksInsideTheApi()
    {
        using var overview = await Server.Http.GetAsync("/api/dashboard?code=k%26y");
        using var page = await Server.Http.GetAsync($"/api/dashboard/{Stepped}?code=k%26y");

        Assert.Equal(HttpStatusCode.OK, overview.StatusCode);
        Assert.Equal("text/html", overview.Content.Headers.ContentType?.MediaType);
        Assert.Equal(ReportsApi.HtmlContentSecurityPolicy, overview.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("no-referrer", overview.Headers.GetValues("Referrer-Policy").Single());
        var index = await overview.Content.ReadAsStringAsync();
        foreach (var name in new[] { Stepped, Idle, "registered-api" })
        {
            Assert.Contains($"data-workload=\"{name}\"", index, StringComparison.Ordinal);
        }

        // The key the page was opened with rides on its links (HTML-encoded), so a browser can follow them.
        Assert.Contains($"href=\"dashboard/{Stepped}?code=k%26y\"", index, StringComparison.Ordinal);
        Assert.Contains("data-spark=\"p95\" data-points=\"60\"", index, StringComparison.Ordinal);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("data-chart=\"p95\" data-settings=\"default\" data-points=\"60\" data-change-points=\"1\"", html, StringComparison.Ordinal);
        Assert.Contains($"href=\"../runs/{_nights[59].RunId}/report?code=k%26y\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"../dashboard?code=k%26y\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Dashboard_HostileCode_IsEscapedIntoLinksAndNeverMarkup()
    {
        var hostile = Uri.EscapeDataString("\"><script>alert(1)</script><a href=\"javascript:x");

        using var overview = await Server.Http.GetAsync("/api/dashboard?code=" + hostile);
        using var page = await Server.Http.GetAsync($"/api/dashboard/{Stepped}?code=" + hostile);

        foreach (var html in new[] { await overview.Content.ReadAsStringAsync(), await page.Content.ReadAsStringAsync() })
        {
            Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("javascript:", html, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("?code=%22%3E%3Cscript%3E", html, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("/api/dashboard/no-such-api", HttpStatusCode.NotFound)]
    [InlineData("/api/dashboard/Bad_Name", HttpStatusCode.BadRequest)]
    [InlineData("/api/dashboard?days=0", HttpStatusCode.BadRequest)]
    [InlineData("/api/dashboard?days=1&days=2", HttpStatusCode.BadRequest)]
    public async Task Dashboard_BadRequests_AreRefused(string url, HttpStatusCode status)
    {
        using var response = await Server.Http.GetAsync(url);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Trend_ShortWindow_ReadsOnlyItsRuns()
    {
        using var response = await Server.Http.GetAsync($"/api/workloads/{Stepped}/trend?days=10");

        var trend = await ReadJsonAsync(response);
        Assert.Equal(10, (int)trend["runsRead"]!);
        Assert.Equal(7, trend["series"]!.AsArray().Count);
    }

    [Fact]
    public async Task List_EveryKnownWorkload_WithLatestRunVerdictAndDirection()
    {
        using var response = await Server.Http.GetAsync("/api/workloads?days=90");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var workloads = (await ReadJsonAsync(response))["workloads"]!.AsArray();
        Assert.Equal([Idle, "registered-api", Stepped], workloads.Select(w => (string)w!["workload"]!));
        var stepped = workloads.Single(w => (string?)w!["workload"] == Stepped)!;
        Assert.Equal(_nights[^1].RunId, (string?)stepped["latestRun"]!["runId"]);
        Assert.Equal("regression", (string?)stepped["verdict"]);
        Assert.Equal("up", (string?)stepped["direction"]);
        Assert.Equal("worse", (string?)stepped["assessment"]);
        Assert.Equal(_nights[40].RunId, (string?)stepped["lastChangePoint"]!["runId"]);
        var idle = workloads.Single(w => (string?)w!["workload"] == Idle)!;
        Assert.Null(idle["latestRun"]);
        Assert.Equal("flat", (string?)idle["direction"]);
        Assert.Equal(1, (int)workloads.Single(w => (string?)w!["workload"] == "registered-api")!["registered"]!);
    }

    [Theory]
    [InlineData("days=-1", "days")]
    [InlineData("days=0", "days")]
    [InlineData("days=100000", "days")]
    [InlineData("days=99999999999999999999999", "days")]
    [InlineData("days=ten", "days")]
    [InlineData("days=1&days=2", "days")]
    [InlineData("metric=garbage", "metric")]
    [InlineData("metric=%00p95", "metric")]
    [InlineData("metric=p95&metric=p99", "metric")]
    [InlineData("settings=zzzz", "settings")]
    [InlineData("settings=a1b2'%20or%20'1'%20eq%20'1", "settings")]
    public async Task Trend_BadQuery_400ProblemNamingTheParameter(string query, string field)
    {
        using var response = await Server.Http.GetAsync($"/api/workloads/{Stepped}/trend?{query}");

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(field, (string?)Assert.Single(problem["errors"]!.AsArray())!["field"]);
    }

    [Theory]
    [InlineData("..%2F..%2Fetc%2Fpasswd")]
    [InlineData("..%5C..%5Cwindows")]
    [InlineData("Trend-API")]
    [InlineData("trend-api%0A")]
    public async Task Trend_HostileName_400NamingTheName(string name)
    {
        using var response = await Server.Http.GetAsync($"/api/workloads/{name}/trend");

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("name", (string?)Assert.Single(problem["errors"]!.AsArray())!["field"]);
    }

    /// <summary>Dot segments are resolved before routing (the request goes to /api/trend, which does not exist) and Kestrel refuses a NUL in the path: neither reaches a handler.</summary>
    [Theory]
    [InlineData("..")]
    [InlineData("%2E%2E")]
    [InlineData("a%00b")]
    public async Task Trend_DotSegmentsOrNul_NeverReachAHandler(string name)
    {
        using var response = await Server.Http.GetAsync($"/api/workloads/{name}/trend");

        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, response.StatusCode.ToString());
        Assert.DoesNotContain("series", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Trend_VeryLongName_400WithAShortEcho()
    {
        using var response = await Server.Http.GetAsync($"/api/workloads/{new string('a', 4000)}/trend");

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        var error = Assert.Single(problem["errors"]!.AsArray())!;
        Assert.Equal("name", (string?)error["field"]);
        Assert.True(((string)error["message"]!).Length < 300);
    }

    [Fact]
    public async Task Trend_UnknownWorkload_404ListingTheKnownOnes()
    {
        using var response = await Server.Http.GetAsync("/api/workloads/nobody-ran-this/trend");

        var problem = await ReadProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Equal([Idle, "registered-api", Stepped], problem["available"]!.AsArray().Select(n => (string)n!));
    }

    [Fact]
    public async Task List_BadDays_400NamingDays()
    {
        using var response = await Server.Http.GetAsync("/api/workloads?days=-1");

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("days", (string?)Assert.Single(problem["errors"]!.AsArray())!["field"]);
    }
}
