using System.Net;
using System.Net.Http.Json;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Yardstick.Core;
using Yardstick.Core.Runs;
using Yardstick.Functions.Hosting;
using Yardstick.Functions.Tests.TestSupport;
using Yardstick.Orchestration.Contracts;

namespace Yardstick.Functions.Tests.Api;

/// <summary>
/// <c>POST /api/gate</c> over real HTTP against a real (in-memory) Durable client; the stand-in orchestration finishes
/// when the test raises its event, so "finished within the budget" and "budget spent" are both under the test's control.
/// </summary>
public sealed class GateApiTests(RunsApiFixture fixture) : IClassFixture<RunsApiFixture>
{
    private static readonly TimeSpan Liveness = TimeSpan.FromSeconds(60);

    private RunsApiServer Server => fixture.Server;

    [Fact]
    public async Task Gate_RunFinishesWithinTheBudget_200WithTheVerdictAndBreachedThresholds()
    {
        var marker = Guid.NewGuid().ToString("N");
        var call = Server.Http.PostAsJsonAsync("/api/gate", new { workload = RunsApiFixture.DeployedName, tags = new Dictionary<string, string> { ["commit"] = marker }, baseline = "current", budgetSeconds = 60 });
        var runId = await FindRunAsync(marker);
        var instance = await Server.Client.GetInstanceAsync(runId, getInputsAndOutputs: true);
        var request = instance!.ReadInputAs<RunRequest>()!;
        Assert.Equal("gate", request.Tags["trigger"]);
        Assert.Equal("current", request.Baseline);

        await Server.Client.RaiseEventAsync(runId, RunsApiServer.FinishEvent, new RunOutcome
        {
            RunId = runId,
            Workload = RunsApiFixture.DeployedName,
            Status = RunStatus.Completed,
            Requests = 20,
            Verdict = "regression",
            FailedThresholds = ["p(95) < 200ms"],
        });
        using var response = await call.WaitAsync(Liveness);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await RunsApiStartTests.ReadJsonAsync(response);
        Assert.Equal(runId, (string?)body["runId"]);
        Assert.Equal("Completed", (string?)body["runtimeStatus"]);
        Assert.Equal("regression", (string?)body["outcome"]!["verdict"]);
        Assert.Equal("p(95) < 200ms", (string?)body["outcome"]!["failedThresholds"]![0]);
        Assert.Equal($"{Server.BaseUrl}/api/runs/{runId}/report", (string?)body["reportUri"]);
    }

    [Fact]
    public async Task Gate_BudgetSpent_202WithStatusUrlsAndTheRunGoesOn()
    {
        using var response = await Server.Http.PostAsJsonAsync("/api/gate", new { workload = RunsApiFixture.DeployedName, budgetSeconds = 1 });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await RunsApiStartTests.ReadJsonAsync(response);
        var runId = (string)body["runId"]!;
        var statusUri = $"{Server.BaseUrl}/api/runs/{runId}";
        Assert.Equal(statusUri, (string?)body["statusQueryGetUri"]);
        Assert.Equal(statusUri + "/report", (string?)body["reportUri"]);
        Assert.Equal(new Uri(statusUri), response.Headers.Location);
        Assert.NotNull(response.Headers.RetryAfter);
        var instance = await Server.Client.GetInstanceAsync(runId);
        Assert.Equal(OrchestrationRuntimeStatus.Running, instance!.RuntimeStatus);

        await Server.Client.RaiseEventAsync(runId, RunsApiServer.FinishEvent, new RunOutcome { RunId = runId, Workload = RunsApiFixture.DeployedName });
    }

    [Theory]
    [InlineData(0)]
    [InlineData(201)]
    public async Task Gate_BudgetOutOfRange_400NamingBudgetSeconds_NothingStarted(int budget)
    {
        var before = await fixture.CountInstancesAsync();

        using var response = await Server.Http.PostAsJsonAsync("/api/gate", new { workload = RunsApiFixture.DeployedName, budgetSeconds = budget });

        var problem = await RunsApiStartTests.ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("budgetSeconds", (string?)problem["errors"]![0]!["field"]);
        Assert.Equal(before, await fixture.CountInstancesAsync());
    }

    [Fact]
    public async Task Gate_InvalidWorkload_400WithItsErrors()
    {
        using var response = await Server.Http.PostAsJsonAsync("/api/gate", new { workload = "broken-api" });

        var problem = await RunsApiStartTests.ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(problem["errors"]!.AsArray(), e => (string?)e!["field"] == "load.rate");
    }

    [Theory]
    [InlineData(null, FunctionsHostSettings.DefaultGateBudgetSeconds)]
    [InlineData("45", 45)]
    [InlineData("200", 200)]
    public void WithGateBudget_Setting_ReplacesTheDefault(string? setting, int expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [AppSettings.GateBudgetSeconds] = setting }).Build();

        Assert.Equal(expected, FunctionsServices.WithGateBudget(new FunctionsHostSettings(), configuration).GateBudgetSeconds);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("201")]
    [InlineData("fast")]
    public void WithGateBudget_BadSetting_NamesTheSetting(string setting)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [AppSettings.GateBudgetSeconds] = setting }).Build();

        var error = Assert.Throws<InputException>(() => FunctionsServices.WithGateBudget(new FunctionsHostSettings(), configuration));
        Assert.Equal(AppSettings.GateBudgetSeconds, error.Field);
    }

    /// <summary>The run the gate started, found by a tag only this test sets.</summary>
    private async Task<string> FindRunAsync(string marker)
    {
        using var cts = new CancellationTokenSource(Liveness);
        while (true)
        {
            await foreach (var instance in Server.Client.GetAllInstancesAsync(new OrchestrationQuery { FetchInputsAndOutputs = true }).WithCancellation(cts.Token))
            {
                if (instance.SerializedInput is not null && instance.ReadInputAs<RunRequest>() is { } request && request.Tags.GetValueOrDefault("commit") == marker)
                {
                    return instance.InstanceId;
                }
            }

            await Task.Delay(100, cts.Token);
        }
    }
}
