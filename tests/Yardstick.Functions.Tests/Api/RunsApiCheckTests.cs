using System.Net;
using System.Net.Http.Json;
using Yardstick.Core;
using Yardstick.Core.Workloads;
using Yardstick.Functions.Tests.TestSupport;
using Yardstick.Orchestration.Contracts;
using static Yardstick.Functions.Tests.Api.RunsApiStartTests;

namespace Yardstick.Functions.Tests.Api;

/// <summary><c>POST /api/runs</c> with response checks: accepted as the CLI accepts them, refused naming the field otherwise.</summary>
public sealed class RunsApiCheckTests(RunsApiFixture fixture) : IClassFixture<RunsApiFixture>
{
    private RunsApiServer Server => fixture.Server;

    private static string WithChecks(string name, string checks) =>
        TestWorkloads.Valid(name).Replace("  method: GET\n", "  method: GET\n  checks:\n" + checks, StringComparison.Ordinal);

    [Fact]
    public async Task Start_WorkloadWithChecks_Returns202AndTheHostMapsThemAsTheCliDoes()
    {
        var text = WithChecks("checks-api", "    - status in [200]\n    - { name: ok, expect: 'json $.status == \"ok\"' }\n") + "\nthresholds: ['checks > 99.9%']\n";

        using var response = await Server.Http.PostAsJsonAsync("/api/runs", new { workloadText = text });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var runId = (string)(await ReadJsonAsync(response))["runId"]!;
        var request = (await Server.Client.GetInstanceAsync(runId, getInputsAndOutputs: true))!.ReadInputAs<RunRequest>()!;
        var workload = WorkloadLoader.LoadText(request.WorkloadText!, "api");
        Assert.Equal(["status in [200]", "json $.status == \"ok\""], workload.Target.Checks.Select(c => c.Expression));
        Assert.Equal("ok", workload.Target.Checks[1].Name);
    }

    [Theory]
    [InlineData("    - json $.x >\n", "target.checks[0]")]
    [InlineData("    - { expect: status == 200, name: a }\n    - { expect: status == 201, name: a }\n", "target.checks[1]")]
    [InlineData("    - { name: only-a-name }\n", "target.checks[0].expect")]
    public async Task Start_BadCheck_Returns400NamingTheField(string checks, string field)
    {
        var before = await fixture.CountInstancesAsync();

        using var response = await Server.Http.PostAsJsonAsync("/api/runs", new { workloadText = WithChecks("bad-checks", checks) });

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(problem["errors"]!.AsArray(), e => (string?)e!["field"] == field);
        Assert.Equal(before, await fixture.CountInstancesAsync());
    }

    [Fact]
    public async Task Start_HostileChecks_AbsurdlyLongOrTooMany_Refused()
    {
        var longCheck = WithChecks("long-check", "    - body contains " + new string('x', 200_000) + "\n");
        var many = WithChecks("many-checks", string.Concat(Enumerable.Range(0, 500).Select(i => $"    - size < {i + 1}\n")));

        using var first = await Server.Http.PostAsJsonAsync("/api/runs", new { workloadText = longCheck });
        using var second = await Server.Http.PostAsJsonAsync("/api/runs", new { workloadText = many });

        var tooLong = await ReadProblemAsync(first, HttpStatusCode.BadRequest);
        Assert.Contains(tooLong["errors"]!.AsArray(), e => ((string?)e!["field"])?.StartsWith("target.checks[0]", StringComparison.Ordinal) == true);
        var tooMany = await ReadProblemAsync(second, HttpStatusCode.BadRequest);
        Assert.Contains(tooMany["errors"]!.AsArray(), e => (string?)e!["field"] == "target.checks");
    }
}
