using System.Net;
using System.Net.Http.Json;
using Microsoft.DurableTask.Client;
using Yardstick.Core.Runs;
using Yardstick.Functions.Tests.TestSupport;
using Yardstick.Orchestration.Contracts;

namespace Yardstick.Functions.Tests.Api;

/// <summary><c>GET /api/runs/{id}</c> and <c>GET /api/runs?workload=…&amp;last=N</c>.</summary>
public sealed class RunsApiStatusTests(RunsApiFixture fixture) : IClassFixture<RunsApiFixture>
{
    private static readonly TimeSpan Liveness = TimeSpan.FromSeconds(60);

    private RunsApiServer Server => fixture.Server;

    [Theory]
    [InlineData("20260101-020000-abcdef")]
    [InlineData("not-a-run-id")]
    public async Task Get_UnknownId_Returns404Problem(string id)
    {
        using var response = await Server.Http.GetAsync("/api/runs/" + id);

        var problem = await RunsApiStartTests.ReadProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Equal("id", (string?)problem["errors"]![0]!["field"]);
    }

    [Fact]
    public async Task Get_ScheduledRun_Returns202WithProgressThen200WithOutcomeWhenDone()
    {
        using var started = await Server.Http.PostAsJsonAsync("/api/runs", new { workload = RunsApiFixture.DeployedName });
        var runId = (string)(await RunsApiStartTests.ReadJsonAsync(started))["runId"]!;
        using (var cts = new CancellationTokenSource(Liveness))
        {
            await Server.Client.WaitForInstanceStartAsync(runId, cts.Token);
        }

        using var running = await Server.Http.GetAsync("/api/runs/" + runId);

        Assert.Equal(HttpStatusCode.Accepted, running.StatusCode);
        Assert.Equal("10", running.Headers.RetryAfter?.Delta?.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(new Uri($"{Server.BaseUrl}/api/runs/{runId}"), running.Headers.Location);
        var status = await RunsApiStartTests.ReadJsonAsync(running);
        Assert.Equal(runId, (string?)status["runId"]);
        Assert.Equal("Running", (string?)status["runtimeStatus"]);
        Assert.False((bool)status["isFinished"]!);
        Assert.Equal("plan", (string?)status["progress"]!["phase"]);
        Assert.Null(status["outcome"]);

        var outcome = new RunOutcome { RunId = runId, Workload = RunsApiFixture.DeployedName, Status = RunStatus.Completed, Requests = 20 };
        await Server.Client.RaiseEventAsync(runId, RunsApiServer.FinishEvent, outcome);
        using (var cts = new CancellationTokenSource(Liveness))
        {
            await Server.Client.WaitForInstanceCompletionAsync(runId, cts.Token);
        }

        await Server.Runs.UpsertAsync(new RunRecord { RunId = runId, Workload = RunsApiFixture.DeployedName, Status = RunStatus.Completed, Requests = 20 }, CancellationToken.None);
        using var done = await Server.Http.GetAsync("/api/runs/" + runId);

        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        var final = await RunsApiStartTests.ReadJsonAsync(done);
        Assert.Equal("Completed", (string?)final["runtimeStatus"]);
        Assert.True((bool)final["isFinished"]!);
        Assert.Equal("completed", (string?)final["outcome"]!["status"]);
        Assert.Equal(20, (long)final["outcome"]!["requests"]!);
        Assert.Equal(RunsApiFixture.DeployedName, (string?)final["run"]!["workload"]);
    }

    [Fact]
    public async Task Get_StoredRowWithoutOrchestration_Returns200WithTheRow()
    {
        var runId = RunIds.Create(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), Guid.NewGuid());
        await Server.Runs.UpsertAsync(
            new RunRecord { RunId = runId, Workload = "purged-api", Status = RunStatus.Degraded, CompletedAt = RunIds.CreatedAt(runId).AddMinutes(3) },
            CancellationToken.None);

        using var response = await Server.Http.GetAsync("/api/runs/" + runId);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await RunsApiStartTests.ReadJsonAsync(response);
        Assert.Equal("Completed", (string?)body["runtimeStatus"]);
        Assert.Equal("degraded", (string?)body["run"]!["status"]);
    }

    [Fact]
    public async Task List_NewestRunsOfWorkload_ReturnsThemNewestFirstUpToLast()
    {
        var start = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
        var ids = Enumerable.Range(0, 3).Select(i => RunIds.Create(start.AddHours(i), Guid.NewGuid())).ToList();
        foreach (var id in ids)
        {
            await Server.Runs.UpsertAsync(new RunRecord { RunId = id, Workload = "listed-api" }, CancellationToken.None);
        }

        await Server.Runs.UpsertAsync(new RunRecord { RunId = RunIds.Create(start.AddDays(1), Guid.NewGuid()), Workload = "another-api" }, CancellationToken.None);

        using var response = await Server.Http.GetAsync("/api/runs?workload=listed-api&last=2");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await RunsApiStartTests.ReadJsonAsync(response);
        Assert.Equal(2, (int)body["count"]!);
        Assert.Equal([ids[2], ids[1]], body["runs"]!.AsArray().Select(r => (string)r!["runId"]!).ToList());
    }

    [Theory]
    [InlineData("/api/runs?workload=listed-api&last=0", "last")]
    [InlineData("/api/runs?workload=listed-api&last=201", "last")]
    [InlineData("/api/runs?workload=listed-api&last=ten", "last")]
    [InlineData("/api/runs?workload=listed-api&last=1&last=2", "last")]
    [InlineData("/api/runs?last=5", "workload")]
    [InlineData("/api/runs?workload=Not_A_Name", "workload")]
    public async Task List_BadQuery_Returns400NamingTheParameter(string url, string field)
    {
        using var response = await Server.Http.GetAsync(url);

        var problem = await RunsApiStartTests.ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(field, (string?)problem["errors"]![0]!["field"]);
    }
}
