using System.Text.Json;
using Yardstick.Cli.Commands;
using Yardstick.Core.Runs;

namespace Yardstick.Cli.Tests.Remote;

/// <summary>
/// <c>yardstick submit</c> and <c>yardstick gate --endpoint</c> through the real command tree, in process. The key comes
/// from a variable with a per-test name (<c>--function-key-env</c>), so parallel tests never share process state.
/// </summary>
public sealed class RemoteCliTests
{
    [Fact]
    public async Task Submit_PrintsRunIdAndStatusUrl_FollowsToOutcome_Exit0()
    {
        await using var bed = await RemoteTestBed.StartAsync();
        var keyVariable = KeyVariable();
        bed.Api.On("POST /api/runs", bed.Api.Accepted("r-201"))
            .On("GET /api/runs/r-201", FakeYardstickApi.Running("r-201", 1, 4), FakeYardstickApi.Finished("r-201", "no-baseline"));

        var exit = await RunCliAsync(bed, keyVariable, "submit", bed.WorkloadFile.FullName, "--endpoint", bed.Api.Endpoint, "--tag", "commit=abc123", "--set", "load.rate=5/s");

        Assert.Equal(ExitCodes.Pass, exit);
        Assert.Contains("Submitted run r-201 of remote-test", bed.Output, StringComparison.Ordinal);
        Assert.Contains($"status: {bed.Api.StatusUrl("r-201")}", bed.Output, StringComparison.Ordinal);
        Assert.Contains("shards 1/4", bed.Output, StringComparison.Ordinal);
        Assert.Contains("submit passed", bed.Output, StringComparison.Ordinal);
        var post = Assert.Single(bed.Api.RequestsTo("POST /api/runs"));
        using var body = JsonDocument.Parse(post.Body);
        Assert.Equal("abc123", body.RootElement.GetProperty("tags").GetProperty("commit").GetString());
        Assert.Equal("load.rate=5/s", body.RootElement.GetProperty("overrides")[0].GetString());
        Assert.All(bed.Api.Requests, r => Assert.Equal(RemoteTestBed.FunctionKey, r.Header("x-functions-key")));
        bed.AssertNoSecrets();
    }

    [Theory]
    [InlineData("regression", RunStatus.Completed, ExitCodes.Regression)]
    [InlineData("inconclusive", RunStatus.Degraded, ExitCodes.Pass)]
    [InlineData(null, RunStatus.Failed, ExitCodes.RunFailed)]
    public async Task Submit_ExitCodeFollowsOutcome(string? verdict, RunStatus status, int expected)
    {
        await using var bed = await RemoteTestBed.StartAsync();
        bed.Api.On("POST /api/runs", bed.Api.Accepted("r-202"))
            .On("GET /api/runs/r-202", FakeYardstickApi.Finished("r-202", verdict, status: status));

        var exit = await RunCliAsync(bed, KeyVariable(), "submit", bed.WorkloadFile.FullName, "--endpoint", bed.Api.Endpoint);

        Assert.Equal(expected, exit);
    }

    [Fact]
    public async Task Submit_NoWait_ExitsAfterTheStart()
    {
        await using var bed = await RemoteTestBed.StartAsync();
        bed.Api.On("POST /api/runs", bed.Api.Accepted("r-203"));

        var exit = await RunCliAsync(bed, KeyVariable(), "submit", bed.WorkloadFile.FullName, "--endpoint", bed.Api.Endpoint, "--no-wait");

        Assert.Equal(ExitCodes.Pass, exit);
        Assert.Single(bed.Api.Requests);
        Assert.Contains("r-203", bed.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_Unauthorized_Exit2NamingTheVariableNotTheKey()
    {
        await using var bed = await RemoteTestBed.StartAsync();
        var keyVariable = KeyVariable();
        bed.Api.On("POST /api/runs", new ScriptedAnswer(401));

        var exit = await RunCliAsync(bed, keyVariable, "submit", bed.WorkloadFile.FullName, "--endpoint", bed.Api.Endpoint);

        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.Contains($"the function key was rejected (set {keyVariable}", bed.Error.ToString(), StringComparison.Ordinal);
        bed.AssertNoSecrets();
    }

    [Fact]
    public async Task Submit_WithoutEndpoint_IsAParseError()
    {
        await using var bed = await RemoteTestBed.StartAsync();

        var exit = await YardstickCli.RunAsync(["submit", bed.WorkloadFile.FullName], bed.Console, bed.Error);

        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.Contains("--endpoint", bed.Error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, ExitCodes.Pass)]
    [InlineData(true, ExitCodes.Inconclusive)]
    public async Task Gate_Inconclusive_Exit4OnlyWithFailOnInconclusive(bool failOnInconclusive, int expected)
    {
        await using var bed = await RemoteTestBed.StartAsync();
        bed.Api.On("POST /api/gate", bed.Api.Accepted("r-204"))
            .On("GET /api/runs/r-204", FakeYardstickApi.Running("r-204"), FakeYardstickApi.Finished("r-204", "inconclusive"));
        string[] args = ["gate", bed.WorkloadFile.FullName, "--endpoint", bed.Api.Endpoint, "--timeout", "2m"];

        var exit = await RunCliAsync(bed, KeyVariable(), failOnInconclusive ? [.. args, "--fail-on-inconclusive"] : args);

        Assert.Equal(expected, exit);
        bed.AssertNoSecrets();
    }

    [Fact]
    public async Task Gate_BadTimeout_Exit2BeforeAnyRequest()
    {
        await using var bed = await RemoteTestBed.StartAsync();

        var exit = await RunCliAsync(bed, KeyVariable(), "gate", bed.WorkloadFile.FullName, "--endpoint", bed.Api.Endpoint, "--timeout", "soon");

        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.Contains("--timeout: 'soon' is not a positive duration", bed.Error.ToString(), StringComparison.Ordinal);
        Assert.Empty(bed.Api.Requests);
    }

    [Fact]
    public async Task Gate_StrictWithADesignThatCannotDecide_Exit2BeforeAnyRequest()
    {
        // The test bed's workload measures 2 s single runs: too short to resample, whatever the app would measure.
        await using var bed = await RemoteTestBed.StartAsync();

        var exit = await RunCliAsync(bed, KeyVariable(), "gate", bed.WorkloadFile.FullName, "--endpoint", bed.Api.Endpoint, "--strict");

        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.Contains("--strict: this comparison can never decide", bed.Error.ToString(), StringComparison.Ordinal);
        Assert.Contains("with 2s runs and 1 run per side this gate cannot decide p50", bed.Output, StringComparison.Ordinal);
        Assert.Empty(bed.Api.Requests);
    }

    private static string KeyVariable() => "YARDSTICK_TEST_KEY_" + Guid.NewGuid().ToString("N")[..12].ToUpperInvariant();

    private static async Task<int> RunCliAsync(RemoteTestBed bed, string keyVariable, params string[] args)
    {
        Environment.SetEnvironmentVariable(keyVariable, RemoteTestBed.FunctionKey);
        try
        {
            return await YardstickCli.RunAsync([.. args, "--function-key-env", keyVariable], bed.Console, bed.Error);
        }
        finally
        {
            Environment.SetEnvironmentVariable(keyVariable, null);
        }
    }
}
