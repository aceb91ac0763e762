using System.Net;
using System.Text;
using Yardstick.Core;
using Yardstick.Core.Summaries;
using Yardstick.Reports;
using Yardstick.Core.Runs;
using Yardstick.Functions.Api;
using Yardstick.Functions.Tests.TestSupport;

namespace Yardstick.Functions.Tests.Api;

/// <summary><c>GET /api/runs/{id}/report</c> over real HTTP: stored reports served as they are, missing ones rendered from the stored summary.</summary>
public sealed class ReportsApiTests(RunsApiFixture fixture) : IClassFixture<RunsApiFixture>
{
    private const string Workload = "report-api";

    private RunsApiServer Server => fixture.Server;

    [Fact]
    public async Task Report_DefaultFormat_HtmlRenderedFromTheSummaryStoredAndServedSelfContained()
    {
        var runId = await AddRunAsync(withSummary: true);

        using var response = await Server.Http.GetAsync($"/api/runs/{runId}/report");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(ReportsApi.HtmlContentSecurityPolicy, string.Join(' ', response.Headers.GetValues("Content-Security-Policy")));
        var html = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(Workload, html, StringComparison.Ordinal);
        Assert.Contains("regression", html, StringComparison.Ordinal);
        Assert.Equal(html, Encoding.UTF8.GetString((await Server.Artifacts.GetAsync(Workload, runId, "report.html", CancellationToken.None))!));
    }

    [Theory]
    [InlineData("md", "text/markdown", "| p95 |")]
    [InlineData("junit", "application/xml", "<testsuite")]
    [InlineData("json", "application/json", "\"overall\": \"regression\"")]
    public async Task Report_OtherFormats_ServedWithTheirContentType(string format, string mediaType, string expected)
    {
        var runId = await AddRunAsync(withSummary: true);

        using var response = await Server.Http.GetAsync($"/api/runs/{runId}/report?format={format}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_StoredReport_ServedAsStored()
    {
        var runId = await AddRunAsync(withSummary: true);
        await Server.Artifacts.PutAsync(Workload, runId, "report.md", "# stored by the analysis"u8.ToArray(), "text/markdown", CancellationToken.None);

        using var response = await Server.Http.GetAsync($"/api/runs/{runId}/report?format=md");

        Assert.Equal("# stored by the analysis", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Report_RunWithoutSummary_404ReportNotFound()
    {
        var runId = await AddRunAsync(withSummary: false);

        using var response = await Server.Http.GetAsync($"/api/runs/{runId}/report");

        var problem = await RunsApiStartTests.ReadProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Equal("urn:yardstick:problem:report-not-found", (string?)problem["type"]);
    }

    [Theory]
    [InlineData("20261129-081502-3fa9c1", "", HttpStatusCode.NotFound, "id")]
    [InlineData("not-a-run", "", HttpStatusCode.NotFound, "id")]
    [InlineData("20261129-081502-3fa9c1", "?format=pdf", HttpStatusCode.BadRequest, "format")]
    [InlineData("20261129-081502-3fa9c1", "?format=md&format=html", HttpStatusCode.BadRequest, "format")]
    public async Task Report_BadRequest_ProblemNamingTheField(string id, string query, HttpStatusCode status, string field)
    {
        using var response = await Server.Http.GetAsync($"/api/runs/{id}/report{query}");

        var problem = await RunsApiStartTests.ReadProblemAsync(response, status);
        Assert.Equal(field, (string?)problem["errors"]![0]!["field"]);
    }

    private async Task<string> AddRunAsync(bool withSummary)
    {
        var runId = RunIds.Create(DateTimeOffset.UtcNow, Guid.NewGuid());
        await Server.Runs.UpsertAsync(new RunRecord { RunId = runId, Workload = Workload, Status = withSummary ? RunStatus.Completed : RunStatus.Running }, CancellationToken.None);
        if (withSummary)
        {
            var summary = new RunSummary
            {
                RunId = runId,
                Workload = Workload,
                Status = "completed",
                Requests = 1000,
                LatencyMs = new LatencySummary { P50 = 10, P90 = 14, P95 = 16, P99 = 30, Max = 80, Mean = 11 },
                SchedulingLagMs = new LagSummary(),
                Verdict = new VerdictSummary
                {
                    Overall = "regression",
                    Explanation = "Regression: p95 worse beyond the margin.",
                    BaselineRunIds = ["20261128-081502-3fa9c1"],
                    Metrics = [new MetricVerdictSummary { Metric = "p95", Kind = "regression", Baseline = 12, Candidate = 16, Ratio = 1.33, CiLow = 1.2, CiHigh = 1.45, ConfidenceLevel = 0.995, Explanation = "p95 regressed." }],
                },
            };
            await Server.Artifacts.PutAsync(Workload, runId, ReportFormats.SummaryBlobName, YardstickJson.ToUtf8(summary, indented: true), "application/json", CancellationToken.None);
        }

        return runId;
    }
}
