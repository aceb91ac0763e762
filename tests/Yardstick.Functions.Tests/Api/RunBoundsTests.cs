using System.Net;
using System.Net.Http.Json;
using Yardstick.Orchestration.Contracts;
using Yardstick.Functions.Tests.TestSupport;
using static Yardstick.Functions.Tests.Api.RunsApiStartTests;

namespace Yardstick.Functions.Tests.Api;

/// <summary>
/// How much one run started over HTTP may do: at most 16 sweep variants (values or grid cells), and a closed model only
/// with a bound on its requests (a think time, within the total-request cap). Refusals name the field and schedule nothing.
/// </summary>
public sealed class RunBoundsTests(RunsApiFixture fixture) : IClassFixture<RunsApiFixture>
{
    private const string AzureTarget = """
          method: GET
          azure:
            resourceId: /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-apps/providers/Microsoft.Web/sites/my-app
        """;

    private RunsApiServer Server => fixture.Server;

    [Theory]
    [InlineData(16, HttpStatusCode.Accepted)]
    [InlineData(17, HttpStatusCode.BadRequest)]
    public async Task StartSweep_ValuesCount_AtMost16(int count, HttpStatusCode expected)
    {
        var values = string.Join(", ", Enumerable.Range(1, count));
        var text = Sweep("bounds-values", $"""
            sweep:
              parameter: appSetting:WORKERS
              values: [{values}]
            """);
        var before = await fixture.CountInstancesAsync();

        using var response = await Server.Http.PostAsJsonAsync("/api/sweeps", new { workloadText = text });

        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.BadRequest)
        {
            var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
            Assert.Equal("sweep.values", (string?)problem["errors"]![0]!["field"]);
            Assert.Contains("16", (string?)problem["errors"]![0]!["message"], StringComparison.Ordinal);
            Assert.Equal(before, await fixture.CountInstancesAsync());
        }
    }

    [Fact]
    public async Task StartSweep_GridOf18Cells_400NamingSweepGrid()
    {
        var text = Sweep("bounds-grid", """
            sweep:
              grid:
                instanceMemoryMB: [512, 2048, 4096]
                perInstanceConcurrency: [1, 2, 4, 8, 16, 32]
            """);

        using var response = await Server.Http.PostAsJsonAsync("/api/sweeps", new { workloadText = text });

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("sweep.grid", (string?)problem["errors"]![0]!["field"]);
        Assert.Contains("3 × 6 = 18", (string?)problem["errors"]![0]!["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_ClosedModelWithoutThinkTime_400NamingLoadThinkTime_NothingScheduled()
    {
        var before = await fixture.CountInstancesAsync();

        using var response = await Server.Http.PostAsJsonAsync("/api/runs", new { workloadText = Closed("bounds-closed", thinkTime: null) });

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("load.thinkTime", (string?)problem["errors"]![0]!["field"]);
        Assert.Equal(before, await fixture.CountInstancesAsync());
    }

    [Fact]
    public async Task Start_ClosedModelThinkTimeSetToZeroByOverride_400NamingLoadThinkTime()
    {
        using var response = await Server.Http.PostAsJsonAsync("/api/runs", new { workloadText = Closed("bounds-override", thinkTime: "100ms"), overrides = new[] { "load.thinkTime=0s" } });

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("load.thinkTime", (string?)problem["errors"]![0]!["field"]);
    }

    [Fact]
    public async Task Start_ClosedModelBeyondTheRequestCap_400NamingLoadThinkTime()
    {
        // 10,000 users × (1 h / 1 ms + 1) requests ≈ 3.6e10, far above 100,000,000.
        var text = Closed("bounds-huge", thinkTime: "1ms").Replace("concurrency: 4", "concurrency: 10000", StringComparison.Ordinal).Replace("duration: 2s", "duration: 1h", StringComparison.Ordinal);

        using var response = await Server.Http.PostAsJsonAsync("/api/runs", new { workloadText = text });

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("load.thinkTime", (string?)problem["errors"]![0]!["field"]);
        Assert.Contains("100,000,000", (string?)problem["errors"]![0]!["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_ClosedModelWithThinkTime_Accepted()
    {
        using var response = await Server.Http.PostAsJsonAsync("/api/runs", new { workloadText = Closed("bounds-ok", thinkTime: "100ms") });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Theory]
    [InlineData("coldStart: { strategy: idle, probes: 100, idleTimes: [20m, 40m] }", "coldStart.idleTimes", "100h of waiting, above the cap of 48h")]
    [InlineData("coldStart: { strategy: idle, probes: 1, idleTime: 200h }", "coldStart.idleTime", "200h is above the cap of 24h")]
    [InlineData("coldStart: { strategy: idle, probes: 5 }\noverrides-probes", "coldStart.idleTime", "above the cap of 48h")]
    public async Task Start_IdleProbesHoldingTheRunOpenForDays_400NamingTheField_NothingScheduled(string coldStart, string field, string message)
    {
        // An idle wait costs nothing but keeps the run, and one of the app's concurrent-run slots, open: bounded.
        var overrides = coldStart.EndsWith("overrides-probes", StringComparison.Ordinal) ? new[] { "coldStart.idleTime=24h" } : [];
        var text = TestWorkloads.Valid("bounds-idle") + "\n" + coldStart.Replace("\noverrides-probes", "", StringComparison.Ordinal) + "\n";
        var before = await fixture.CountInstancesAsync();

        using var response = await Server.Http.PostAsJsonAsync("/api/runs", new { workloadText = text, overrides });

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(problem["errors"]!.AsArray(), e => (string?)e!["field"] == field && ((string?)e["message"])!.Contains(message, StringComparison.Ordinal));
        Assert.Equal(before, await fixture.CountInstancesAsync());
    }

    [Theory]
    [InlineData("http://10.1.2.3", "compare.against.url", "allow")]
    [InlineData("http://169.254.169.254", "compare.against.url", "link-local")]
    [InlineData("http://app.example.net", "compare.against.url", "allow")]
    [InlineData("http://localhost:1/admin", "compare.against.url", "give the reference's origin only")]
    public async Task StartPaired_ReferenceOffTheAllowListOrNotAnOrigin_400NamingTheField_NothingScheduled(string against, string field, string message)
    {
        // A paired gate sends the same load to its reference: it gets the target's allow-list and address rules.
        var before = await fixture.CountInstancesAsync();

        using var response = await Server.Http.PostAsJsonAsync("/api/runs", new
        {
            workloadText = TestWorkloads.Valid("bounds-against") + "\ncompare: { repeat: 2 }\n",
            overrides = new[] { "compare.against.url=" + against },
        });

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(problem["errors"]!.AsArray(), e => (string?)e!["field"] == field && ((string?)e["message"])!.Contains(message, StringComparison.OrdinalIgnoreCase));
        Assert.Equal(before, await fixture.CountInstancesAsync());
    }

    [Fact]
    public async Task StartPaired_ReferenceOnTheAllowList_Accepted()
    {
        using var response = await Server.Http.PostAsJsonAsync("/api/runs", new
        {
            workloadText = TestWorkloads.Valid("bounds-against-ok") + "\ncompare: { repeat: 2 }\n",
            overrides = new[] { "compare.against.url=http://localhost:9" },
        });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Theory]
    [InlineData("/api/runs", "http://10.1.2.3", "allow")]
    [InlineData("/api/runs", "http://169.254.169.254", "link-local")]
    [InlineData("/api/runs", "http://app.example.net", "allow")]
    [InlineData("/api/runs", "http://localhost:1/admin", "give the reference's origin only")]
    [InlineData("/api/runs", "not a url", "absolute")]
    [InlineData("/api/runs", "   ", "is empty")]
    [InlineData("/api/gate", "http://169.254.169.254", "link-local")]
    [InlineData("/api/gate", "http://10.1.2.3", "allow")]
    [InlineData("/api/gate", "http://localhost:1/admin", "give the reference's origin only")]
    public async Task StartPaired_AgainstFieldOffTheAllowListOrNotAnOrigin_400NamingAgainst_NothingScheduled(string endpoint, string against, string message)
    {
        // The body's own field passes exactly the override's checks; the refusal names the field the caller wrote.
        var before = await fixture.CountInstancesAsync();

        using var response = await Server.Http.PostAsJsonAsync(endpoint, new
        {
            workloadText = TestWorkloads.Valid("bounds-against-field") + "\ncompare: { repeat: 2 }\n",
            against,
        });

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        var errors = problem["errors"]!.AsArray();
        Assert.Contains(errors, e => (string?)e!["field"] == "against" && ((string?)e["message"])!.Contains(message, StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(errors, e => ((string?)e!["field"])!.StartsWith("compare.against", StringComparison.Ordinal));
        Assert.Equal(before, await fixture.CountInstancesAsync());
    }

    [Fact]
    public async Task StartPaired_AgainstFieldAndTheOverrideBoth_400NamingAgainst_NothingScheduled()
    {
        var before = await fixture.CountInstancesAsync();

        using var response = await Server.Http.PostAsJsonAsync("/api/gate", new
        {
            workloadText = TestWorkloads.Valid("bounds-against-twice") + "\ncompare: { repeat: 2 }\n",
            overrides = new[] { "compare.against.url=http://localhost:9" },
            against = "http://localhost:9",
        });

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("against", (string?)problem["errors"]![0]!["field"]);
        Assert.Contains("given twice", (string?)problem["errors"]![0]!["message"], StringComparison.Ordinal);
        Assert.Equal(before, await fixture.CountInstancesAsync());
    }

    [Fact]
    public async Task StartPaired_AgainstFieldWithOneRepeat_400NamingComparePairs()
    {
        // The same rules as the override beyond the URL: a paired gate needs at least two pairs.
        using var response = await Server.Http.PostAsJsonAsync("/api/runs", new
        {
            workloadText = TestWorkloads.Valid("bounds-against-one"),
            against = "http://localhost:9",
        });

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(problem["errors"]!.AsArray(), e => (string?)e!["field"] == "compare.repeat");
    }

    [Fact]
    public async Task StartPaired_AgainstFieldOnTheAllowList_AcceptedAsTheOverride()
    {
        using var response = await Server.Http.PostAsJsonAsync("/api/runs", new
        {
            workloadText = TestWorkloads.Valid("bounds-against-field-ok") + "\ncompare: { repeat: 2 }\n",
            overrides = new[] { "load.rate=5/s" },
            against = " http://localhost:9 ",
        });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var runId = (string)(await ReadJsonAsync(response))["runId"]!;
        var request = (await Server.Client.GetInstanceAsync(runId, getInputsAndOutputs: true))!.ReadInputAs<RunRequest>()!;
        Assert.Equal(["load.rate=5/s", "compare.against.url=http://localhost:9"], request.Overrides);
    }

    [Fact]
    public async Task StartPaired_YamlBodyAgainstQuery_AcceptedAsTheOverride()
    {
        using var content = new StringContent(TestWorkloads.Valid("bounds-against-yaml") + "\ncompare: { repeat: 2 }\n", System.Text.Encoding.UTF8, "application/yaml");

        using var response = await Server.Http.PostAsync("/api/runs?against=http%3A%2F%2Flocalhost%3A9", content);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var runId = (string)(await ReadJsonAsync(response))["runId"]!;
        var request = (await Server.Client.GetInstanceAsync(runId, getInputsAndOutputs: true))!.ReadInputAs<RunRequest>()!;
        Assert.Equal(["compare.against.url=http://localhost:9"], request.Overrides);
    }

    private static string Sweep(string name, string sweep) =>
        TestWorkloads.Valid(name).Replace("  method: GET", AzureTarget.TrimEnd(), StringComparison.Ordinal) + "\n" + sweep;

    private static string Closed(string name, string? thinkTime) =>
        TestWorkloads.Valid(name).Replace("  model: open\n  rate: 10/s", "  model: closed\n  concurrency: 4" + (thinkTime is null ? "" : "\n  thinkTime: " + thinkTime), StringComparison.Ordinal);
}
