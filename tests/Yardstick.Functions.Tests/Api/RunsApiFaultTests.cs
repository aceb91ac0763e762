using System.Net;
using System.Net.Http.Json;
using Yardstick.Functions.Tests.TestSupport;
using static Yardstick.Functions.Tests.Api.RunsApiStartTests;

namespace Yardstick.Functions.Tests.Api;

/// <summary>
/// Abuse cases of fault runs over HTTP: a fault is refused with 400 naming its field, and nothing scheduled, unless it acts
/// on an allowed target, inside the run, within the count cap and without touching settings that could break the app.
/// </summary>
public sealed class RunsApiFaultTests(RunsApiFixture fixture) : IClassFixture<RunsApiFixture>
{
    private const string AzureTarget = "\n  azure: { resourceId: /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-apps/providers/Microsoft.Web/sites/my-app }";

    private RunsApiServer Server => fixture.Server;

    public static TheoryData<string, string, string> Refused => new()
    {
        { string.Join(", ", Enumerable.Range(0, 9).Select(i => $"{{ at: {5 + (i * 2)}s, kind: stall, ms: 10, for: 1s }}")), "faults", "at most 8" },
        { "{ at: 45s, kind: stall, ms: 10, for: 1s }", "faults[0].at", "not inside the measured phase" },
        { "{ at: 5s, kind: stall, ms: 10, for: 11m }", "faults[0].for", "" },
        { "{ at: 5s, kind: stall, ms: 600000, for: 2s }", "faults[0].ms", "outside 1..60000" },
        { "{ at: 5s, kind: appSetting, name: AzureWebJobsStorage, value: x, for: 5s }" + AzureTarget, "faults[0].name", "may not be changed by a fault" },
        { "{ at: 5s, kind: appSetting, name: WEBSITE_RUN_FROM_PACKAGE, value: x, for: 5s }" + AzureTarget, "faults[0].name", "may not be changed by a fault" },
        { "{ at: 5s, kind: appSetting, name: Db_Connection, value: x, for: 5s }" + AzureTarget, "faults[0].name", "may not be changed by a fault" },
        { "{ at: 5s, kind: appSetting, name: FEATURE_X, value: x, for: 5s }", "faults[0].kind", "needs target.azure" },
        { "{ at: 5s, kind: restart }", "faults[0].kind", "target.process" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task Start_BadFault_400NamingTheField_NothingScheduled(string faults, string field, string message)
    {
        var before = await fixture.CountInstancesAsync();

        using var response = await Server.Http.PostAsJsonAsync("/api/runs", new { workloadText = Workload("faults-bad", faults) });

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(problem["errors"]!.AsArray(), e => (string?)e!["field"] == field && ((string?)e["message"])!.Contains(message, StringComparison.Ordinal));
        Assert.Equal(before, await fixture.CountInstancesAsync());
    }

    [Fact]
    public async Task Start_StallAgainstAHostNotAllowed_400NamingTheTarget_NothingScheduled()
    {
        // The admin toggle goes to the target's own origin: a host off the allow-list is refused like its load would be.
        var before = await fixture.CountInstancesAsync();
        var text = Workload("faults-host", "{ at: 5s, kind: stall, ms: 10, for: 1s }").Replace(TestWorkloads.TargetUrl, "http://app.example.net/api/hello", StringComparison.Ordinal);

        using var response = await Server.Http.PostAsJsonAsync("/api/runs", new { workloadText = text });

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("target.url", (string?)problem["errors"]![0]!["field"]);
        Assert.Equal(before, await fixture.CountInstancesAsync());
    }

    [Fact]
    public async Task Start_RestartOfALocalProcess_400NamingTargetProcess()
    {
        var text = Workload("faults-process", "{ at: 5s, kind: restart }")
            .Replace("  method: GET", "  method: GET\n  process: { command: sample-target, args: [\"--admin\"] }", StringComparison.Ordinal);

        using var response = await Server.Http.PostAsJsonAsync("/api/runs", new { workloadText = text });

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("target.process", (string?)problem["errors"]![0]!["field"]);
    }

    [Fact]
    public async Task Start_StallOnAnAllowedTarget_Accepted()
    {
        using var response = await Server.Http.PostAsJsonAsync("/api/runs", new { workloadText = Workload("faults-ok", "{ at: 5s, kind: stall, ms: 10, for: 1s }") });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    /// <summary>The valid test workload measured for 40 s, with <paramref name="faults"/> (a fault's own lines may add to target:).</summary>
    private static string Workload(string name, string faults)
    {
        var (list, target) = faults.Contains(AzureTarget, StringComparison.Ordinal) ? (faults.Replace(AzureTarget, "", StringComparison.Ordinal), AzureTarget) : (faults, "");
        return TestWorkloads.Valid(name).Replace("duration: 2s", "duration: 40s", StringComparison.Ordinal).Replace("  method: GET", "  method: GET" + target, StringComparison.Ordinal)
            + $"\nfaults: [{list}]\n";
    }
}
