using System.Text.Json;
using Yardstick.Cli.Commands;
using Yardstick.Cli.Remote;
using Yardstick.Core.Runs;

namespace Yardstick.Cli.Tests.Remote;

/// <summary>The remote gate against a loopback server speaking the documented API.</summary>
public sealed class RemoteGateTests
{
    private const string GateRoute = "POST /api/gate";

    [Fact]
    public async Task RunAsync_AcceptedThenRunningThenEquivalent_PollsStatusUrlAndPasses()
    {
        await using var bed = await RemoteTestBed.StartAsync();
        bed.Api.On(GateRoute, bed.Api.Accepted("r-001"))
            .On("GET /api/runs/r-001", FakeYardstickApi.Running("r-001", 0, 2), FakeYardstickApi.Running("r-001", 1, 2), FakeYardstickApi.Finished("r-001", "equivalent"));

        var exit = await bed.RunGateAsync(a => a with { Overrides = ["load.rate=20/s"], Baseline = "current" });

        Assert.Equal(ExitCodes.Pass, exit);
        Assert.Equal(3, bed.Api.RequestsTo("GET /api/runs/r-001").Count);
        Assert.Contains("r-001", bed.Output, StringComparison.Ordinal);
        Assert.Contains("shards 1/2", bed.Output, StringComparison.Ordinal);
        Assert.Contains("gate passed", bed.Output, StringComparison.Ordinal);

        // The body carries the file as written (secret reference unresolved), the overrides and the baseline.
        using var body = JsonDocument.Parse(Assert.Single(bed.Api.RequestsTo(GateRoute)).Body);
        Assert.Equal(File.ReadAllText(bed.WorkloadFile.FullName), body.RootElement.GetProperty("workloadText").GetString());
        Assert.Equal("load.rate=20/s", body.RootElement.GetProperty("overrides")[0].GetString());
        Assert.Equal("current", body.RootElement.GetProperty("baseline").GetString());
        Assert.Contains("${env:YARDSTICK_TEST_SERVER_ONLY_SECRET}", body.RootElement.GetProperty("workloadText").GetString(), StringComparison.Ordinal);

        // Every request carries the function key; no output shows it.
        Assert.All(bed.Api.Requests, r => Assert.Equal(RemoteTestBed.FunctionKey, r.Header("x-functions-key")));
        bed.AssertNoSecrets();
    }

    [Theory]
    [InlineData("regression", false, ExitCodes.Regression)]
    [InlineData("improvement", false, ExitCodes.Pass)]
    [InlineData("equivalent", true, ExitCodes.Pass)]
    [InlineData("no-baseline", true, ExitCodes.Pass)]
    [InlineData("inconclusive", false, ExitCodes.Pass)]
    [InlineData("inconclusive", true, ExitCodes.Inconclusive)]
    public async Task RunAsync_FinishedWithinBudget_ExitCodeFollowsVerdict(string verdict, bool failOnInconclusive, int expected)
    {
        await using var bed = await RemoteTestBed.StartAsync();
        bed.Api.On(GateRoute, FakeYardstickApi.Finished("r-002", verdict));

        var exit = await bed.RunGateAsync(a => a with { FailOnInconclusive = failOnInconclusive });

        Assert.Equal(expected, exit);
        Assert.Single(bed.Api.Requests);
        Assert.Contains(verdict, bed.Output, StringComparison.Ordinal);
        bed.AssertNoSecrets();
    }

    [Fact]
    public async Task RunAsync_ThresholdBreachedWithoutBaseline_Exit1NamingTheThreshold()
    {
        await using var bed = await RemoteTestBed.StartAsync();
        bed.Api.On(GateRoute, FakeYardstickApi.Finished("r-003", "no-baseline", ["p(95) < 2ms (was 4.25 ms)"]));

        var exit = await bed.RunGateAsync();

        Assert.Equal(ExitCodes.Regression, exit);
        Assert.Contains("threshold breached: p(95) < 2ms", bed.Error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_OutcomeFailed_Exit3WithReason()
    {
        await using var bed = await RemoteTestBed.StartAsync();
        bed.Api.On(GateRoute, bed.Api.Accepted("r-004"))
            .On("GET /api/runs/r-004", FakeYardstickApi.Finished("r-004", null, status: RunStatus.Failed));

        var exit = await bed.RunGateAsync();

        Assert.Equal(ExitCodes.RunFailed, exit);
        Assert.Contains("too few shards succeeded", bed.Error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_OrchestrationFailed_Exit3WithFailure()
    {
        await using var bed = await RemoteTestBed.StartAsync();
        bed.Api.On(GateRoute, bed.Api.Accepted("r-005"))
            .On("GET /api/runs/r-005", FakeYardstickApi.Json(200, new Orchestration.Contracts.RunStatusResponse { RunId = "r-005", RuntimeStatus = "Failed", Failure = "activity PlanRun threw" }));

        var exit = await bed.RunGateAsync();

        Assert.Equal(ExitCodes.RunFailed, exit);
        Assert.Contains("run r-005 failed: activity PlanRun threw", bed.Error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_LiteralCamelCaseJson_IsUnderstood()
    {
        // Hand-written wire format (not produced by our serializer) to pin the documented field names.
        await using var bed = await RemoteTestBed.StartAsync();
        var accepted = $$"""{"id":"r-006","runId":"r-006","workload":"remote-test","statusQueryGetUri":"{{bed.Api.StatusUrl("r-006")}}"}""";
        const string finished = """
            {"runId":"r-006","runtimeStatus":"Completed","outcome":{"runId":"r-006","workload":"remote-test","status":"completed",
             "requests":10,"errors":0,"throughputRps":5.0,"shardsSucceeded":1,"shardsTotal":1,"verdict":"regression","failedThresholds":[]}}
            """;
        bed.Api.On(GateRoute, new ScriptedAnswer(202, accepted))
            .On("GET /api/runs/r-006", new ScriptedAnswer(200, finished));

        var exit = await bed.RunGateAsync();

        Assert.Equal(ExitCodes.Regression, exit);
        Assert.Contains("regression against the baseline", bed.Error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_StillRunningAtTimeout_Exit3NamingRunId()
    {
        await using var bed = await RemoteTestBed.StartAsync();
        bed.Api.On(GateRoute, bed.Api.Accepted("r-007"))
            .On("GET /api/runs/r-007", Enumerable.Range(0, 500).Select(_ => FakeYardstickApi.Running("r-007")).ToArray());

        var exit = await bed.RunGateAsync(a => a with { Timeout = TimeSpan.FromSeconds(1) });

        Assert.Equal(ExitCodes.RunFailed, exit);
        var error = bed.Error.ToString();
        Assert.Contains("run r-007 did not finish within 1s", error, StringComparison.Ordinal);
        Assert.Contains("goes on in the app", error, StringComparison.Ordinal);
        // The short timeout asks the server for a matching budget.
        using var body = JsonDocument.Parse(bed.Api.RequestsTo(GateRoute)[0].Body);
        Assert.Equal(1, body.RootElement.GetProperty("budgetSeconds").GetInt32());
    }

    [Fact]
    public async Task RunAsync_DefaultTimeout_LeavesTheBudgetToTheServer()
    {
        await using var bed = await RemoteTestBed.StartAsync();
        bed.Api.On(GateRoute, FakeYardstickApi.Finished("r-008", "equivalent"));

        await bed.RunGateAsync();

        using var body = JsonDocument.Parse(bed.Api.RequestsTo(GateRoute)[0].Body);
        Assert.False(body.RootElement.TryGetProperty("budgetSeconds", out _));
    }

    [Fact]
    public async Task RunAsync_Out_DownloadsFourReportsAndAppendsStepSummary()
    {
        await using var bed = await RemoteTestBed.StartAsync();
        bed.Api.On(GateRoute, FakeYardstickApi.Finished("r-009", "equivalent")).ServeReports("r-009");
        var outDir = new DirectoryInfo(Path.Combine(bed.Temp.FullName, "out"));
        var summary = Path.Combine(bed.Temp.FullName, "step-summary.md");
        await File.WriteAllTextAsync(summary, "# earlier step\n");
        bed.Environment[RemoteReports.StepSummaryVariable] = summary;

        var exit = await bed.RunGateAsync(a => a with { Out = outDir });

        Assert.Equal(ExitCodes.Pass, exit);
        foreach (var (format, fileName) in RemoteReports.Files)
        {
            Assert.Equal(FakeYardstickApi.ReportBody("r-009", format), await File.ReadAllTextAsync(Path.Combine(outDir.FullName, fileName)));
        }

        var appended = await File.ReadAllTextAsync(summary);
        Assert.StartsWith("# earlier step\n", appended, StringComparison.Ordinal);
        Assert.Contains("## Yardstick: remote-test run r-009", appended, StringComparison.Ordinal);
        Assert.All(bed.Api.Requests.Where(r => r.Method == "GET"), r => Assert.Equal(RemoteTestBed.FunctionKey, r.Header("x-functions-key")));
    }

    [Fact]
    public async Task RunAsync_ReportMissing_WarnsAndKeepsTheVerdictsExitCode()
    {
        await using var bed = await RemoteTestBed.StartAsync();
        bed.Api.On(GateRoute, FakeYardstickApi.Finished("r-010", "regression"))
            .ServeReports("r-010", except: "html")
            .On("GET /api/runs/r-010/report?format=html", FakeYardstickApi.Problem(404, "Not Found", "no report.html for run r-010"));
        var outDir = new DirectoryInfo(Path.Combine(bed.Temp.FullName, "out"));

        var exit = await bed.RunGateAsync(a => a with { Out = outDir });

        Assert.Equal(ExitCodes.Regression, exit);
        Assert.True(File.Exists(Path.Combine(outDir.FullName, "junit.xml")));
        Assert.False(File.Exists(Path.Combine(outDir.FullName, "report.html")));
        Assert.Contains("warning: report.html not saved", bed.Error.ToString(), StringComparison.Ordinal);
        Assert.Contains("no report.html for run r-010", bed.Error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_StatusUrlOnAnotherOrigin_PollsTheEndpointInstead()
    {
        await using var bed = await RemoteTestBed.StartAsync();
        var foreign = bed.Api.StartedBody("r-011") with { StatusQueryGetUri = "https://elsewhere.invalid/api/runs/r-011" };
        bed.Api.On(GateRoute, FakeYardstickApi.Json(202, foreign))
            .On("GET /api/runs/r-011", FakeYardstickApi.Finished("r-011", "equivalent"));

        var exit = await bed.RunGateAsync();

        Assert.Equal(ExitCodes.Pass, exit);
        Assert.Single(bed.Api.RequestsTo("GET /api/runs/r-011"));
        Assert.DoesNotContain("elsewhere.invalid", bed.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_InvalidWorkload_Exit2WithoutAnyRequest()
    {
        await using var bed = await RemoteTestBed.StartAsync();
        await File.WriteAllTextAsync(bed.WorkloadFile.FullName, "name: remote-test\ntarget: { url: http://127.0.0.1:5080/ }\nload: { rate: fast, duration: 2s }\n");

        var exit = await bed.RunGateAsync();

        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.Contains("load.rate", bed.Error.ToString(), StringComparison.Ordinal);
        Assert.Empty(bed.Api.Requests);
    }

    [Theory]
    [InlineData("http://example.com", "plain http")]
    [InlineData("ftp://127.0.0.1", "not an absolute https URL")]
    [InlineData("https://app.example.net/api/gate?code=abc", "without user info, query or fragment")]
    public async Task RunAsync_BadEndpoint_Exit2WithoutAnyRequest(string endpoint, string expected)
    {
        await using var bed = await RemoteTestBed.StartAsync();

        var exit = await bed.RunGateAsync(a => a with { Connection = bed.Connection(endpoint: endpoint) });

        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.Contains("--endpoint", bed.Error.ToString(), StringComparison.Ordinal);
        Assert.Contains(expected, bed.Error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("abc", bed.Error.ToString(), StringComparison.Ordinal);
        Assert.Empty(bed.Api.Requests);
    }

    [Fact]
    public async Task RunAsync_InteractiveConsole_ShowsLiveProgressAndDecides()
    {
        await using var bed = await RemoteTestBed.StartAsync(interactive: true);
        bed.Api.On(GateRoute, bed.Api.Accepted("r-012"))
            .On("GET /api/runs/r-012", FakeYardstickApi.Running("r-012"), FakeYardstickApi.Finished("r-012", "inconclusive"));

        var exit = await bed.RunGateAsync(a => a with { FailOnInconclusive = true });

        Assert.Equal(ExitCodes.Inconclusive, exit);
        Assert.Contains("yardstick (remote)", bed.Output, StringComparison.Ordinal);
        bed.AssertNoSecrets();
    }
}
