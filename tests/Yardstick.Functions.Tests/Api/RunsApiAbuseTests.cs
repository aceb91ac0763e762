using System.Net;
using System.Net.Http.Json;
using System.Text;
using Yardstick.Functions.Tests.TestSupport;
using Yardstick.Testing;
using static Yardstick.Functions.Tests.Api.RunsApiStartTests;

namespace Yardstick.Functions.Tests.Api;

/// <summary>
/// Hostile input to <c>POST /api/runs</c> from a caller holding a function key: each abuse case is refused with a
/// problem naming what is wrong, and nothing is scheduled.
/// </summary>
public sealed class RunsApiAbuseTests(RunsApiFixture fixture) : IClassFixture<RunsApiFixture>
{
    private RunsApiServer Server => fixture.Server;

    [Fact]
    public async Task Start_BillionLaughsAsWorkloadText_Returns400NamingTheAnchorAndSchedulesNothing()
    {
        var before = await fixture.CountInstancesAsync();

        using var response = await Server.Http.PostAsJsonAsync("/api/runs", new { workloadText = HostileDocuments.BillionLaughs() });

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        var error = Assert.Single(problem["errors"]!.AsArray());
        Assert.Contains("YAML anchors (&a) are not accepted", (string?)error!["message"], StringComparison.Ordinal);
        Assert.Equal(2, (int?)error["line"]);
        Assert.Equal(before, await fixture.CountInstancesAsync());
    }

    [Fact]
    public async Task Start_BillionLaughsAsYamlBody_Returns400NamingTheAnchor()
    {
        using var content = new StringContent(HostileDocuments.BillionLaughs(), Encoding.UTF8, "application/yaml");

        using var response = await Server.Http.PostAsync("/api/runs", content);

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("YAML anchors (&a) are not accepted", (string?)problem["errors"]![0]!["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_DeeplyNestedWorkloadText_Returns400NamingTheDepth()
    {
        using var response = await Server.Http.PostAsJsonAsync("/api/runs", new { workloadText = HostileDocuments.DeeplyNested(200) });

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("nested more than 32 levels deep", (string?)problem["errors"]![0]!["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_EnvReferenceOutsideSecretPrefix_SameRefusalWhetherOrNotTheSettingExists()
    {
        // YARDSTICK_STORAGE is an app setting of this host; NO_SUCH_SETTING_ANYWHERE is not. The caller cannot tell.
        var existing = await RefusalForReferenceAsync("YARDSTICK_STORAGE");
        var missing = await RefusalForReferenceAsync("NO_SUCH_SETTING_ANYWHERE");

        Assert.Equal(existing.Replace("YARDSTICK_STORAGE", "NAME", StringComparison.Ordinal), missing.Replace("NO_SUCH_SETTING_ANYWHERE", "NAME", StringComparison.Ordinal));
        Assert.Contains("resolves only YARDSTICK_SECRET_* names", existing, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_EnvReferenceWithSecretPrefix_Accepted()
    {
        var text = WithHeader(TestWorkloads.Valid("secret-ref-api"), "x-functions-key", $"${{env:{RunsApiServer.SecretSettingName}}}");

        using var response = await Server.Http.PostAsJsonAsync("/api/runs", new { workloadText = text });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Theory]
    [InlineData("http://169.254.169.254/metadata/instance")]
    [InlineData("http://2852039166/latest/meta-data")]
    [InlineData("http://[::ffff:169.254.169.254]/")]
    [InlineData("http://[64:ff9b::a9fe:a9fe]/")]
    [InlineData("http://10.0.0.4/internal")]
    [InlineData("http://[::1]:5999/api/hello")]
    public async Task Start_MetadataOrPrivateTarget_Returns400NamingTargetUrl(string url)
    {
        var before = await fixture.CountInstancesAsync();

        using var response = await Server.Http.PostAsJsonAsync("/api/runs", new { workloadText = TestWorkloads.Valid("ssrf-api", url: url) });

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(problem["errors"]!.AsArray(), e => (string?)e!["field"] == "target.url");
        Assert.Equal(before, await fixture.CountInstancesAsync());
    }

    [Theory]
    [InlineData("{ type: webhook, url: \"https://169.254.169.254/metadata/identity\" }", "link-local")]
    [InlineData("{ type: webhook, url: \"https://10.0.0.4/hooks/s3cr3t\" }", "loopback or private")]
    [InlineData("{ type: webhook, url: \"https://[::1]:5999/hooks/s3cr3t\" }", "loopback or private")]
    [InlineData("{ type: webhook, url: \"http://hooks.example.net/s3cr3t\" }", "not https")]
    [InlineData("{ type: slack, url: \"https://hooks.slack.example/services/s3cr3t\" }", "is a secret")]
    [InlineData("{ type: slack, url: \"${env:YARDSTICK_STORAGE}\" }", "resolves only YARDSTICK_SECRET_* names")]
    [InlineData("{ type: github, repo: o/r, token: ghp_s3cr3t }", "is a secret")]
    public async Task Start_HostileAlertChannel_Returns400NamingTheField_NeverEchoingIt(string channel, string message)
    {
        var before = await fixture.CountInstancesAsync();
        var text = TestWorkloads.Valid("alerts-api").TrimEnd() + "\nalerts:\n  send:\n    - " + channel + "\n";

        using var response = await Server.Http.PostAsJsonAsync("/api/runs", new { workloadText = text });

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        var body = problem.ToJsonString();
        Assert.Contains("alerts.send[0]", body, StringComparison.Ordinal);
        Assert.Contains(message, body, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", body, StringComparison.Ordinal);
        Assert.Equal(before, await fixture.CountInstancesAsync());
    }

    [Theory]
    [InlineData("data: { file: ../../../../etc/passwd.csv }", "data.file", "leaves the workload file's folder")]
    [InlineData("data: { file: appsettings.csv }", "data.file", "never reads")]
    [InlineData("data: { file: /home/site/wwwroot/host.csv }", "data.file", "is absolute")]
    [InlineData("data: { blob: ../secrets/x.csv }", "data.blob", "is not in datasets/")]
    [InlineData("data: { blob: datasets/../yardstick-runs/hello-api/plan.csv }", "data.blob", "'..' segment")]
    [InlineData("data: { blob: yardstick-runs/hello-api/x.csv }", "data.blob", "is not in datasets/")]
    [InlineData("data: { blob: azure-webjobs-secrets/host.csv }", "data.blob", "is not in datasets/")]
    [InlineData("data: { blob: \"https://attacker.blob.core.windows.net/datasets/x.csv\" }", "data.blob", "is a URL")]
    [InlineData("data: { blob: \"datasets/..%2Fyardstick-runs%2Fx.csv\" }", "data.blob", "holds '%'")]
    [InlineData("data: { blob: \"datasets/x.csv?sig=abc\" }", "data.blob", "holds '?'")]
    [InlineData("data: { blob: datasets/host.json }", "data.blob", "neither .csv nor .jsonl")]
    public async Task Start_Dataset_Returns400NamingTheField_TheAppsDiskIsNeverRead(string data, string field, string message)
    {
        var before = await fixture.CountInstancesAsync();
        var text = TestWorkloads.Valid("data-api").TrimEnd() + "\n" + data + "\n";

        using var response = await Server.Http.PostAsJsonAsync("/api/runs", new { workloadText = text });

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(problem["errors"]!.AsArray(), e => (string?)e!["field"] == field && ((string?)e["message"])!.Contains(message, StringComparison.Ordinal));
        Assert.Equal(before, await fixture.CountInstancesAsync());
    }

    [Theory]
    [InlineData(300, "at most 256 characters")]
    [InlineData(50_000, "at most 400 characters")]
    public async Task Start_HugeDatasetBlobName_Returns400NamingDataBlob(int length, string message)
    {
        var before = await fixture.CountInstancesAsync();
        var text = TestWorkloads.Valid("data-api").TrimEnd() + "\ndata: { blob: datasets/" + new string('a', length) + ".csv }\n";

        using var response = await Server.Http.PostAsJsonAsync("/api/runs", new { workloadText = text });

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(problem["errors"]!.AsArray(), e => (string?)e!["field"] == "data.blob" && ((string?)e["message"])!.Contains(message, StringComparison.Ordinal));
        Assert.True(problem.ToJsonString().Length < 4000);
        Assert.Equal(before, await fixture.CountInstancesAsync());
    }

    [Theory]
    [InlineData("{ slo: [\"p(99) < 300ms\"], maxRate: 100000/s }", "capacity.maxRate", "cap of 5000/s")]
    [InlineData("{ slo: [\"p(99) < 300ms\"], maxRate: 1000000000/s }", "capacity.maxRate", "above the cap")]
    [InlineData("{ slo: [\"p(99) < 300ms\"], maxRate: 100/s, maxSteps: 30 }", "capacity.maxSteps", "at most 12 steps")]
    [InlineData("{ slo: [\"p(99) < 300ms\"], maxRate: 100/s, maxSteps: 100000 }", "capacity.maxSteps", "outside 1..30")]
    [InlineData("{ slo: [\"p(99) < 300ms\"], maxRate: 100/s, growth: 1 }", "capacity.growth", "outside (1, 10]")]
    [InlineData("{ slo: [\"rps > 1\"], maxRate: 100/s }", "capacity.slo[0]", "cannot judge a capacity step")]
    public async Task Start_AbsurdCapacitySearch_Returns400NamingTheField(string capacity, string field, string message)
    {
        var before = await fixture.CountInstancesAsync();
        var text = TestWorkloads.Valid("capacity-api").TrimEnd() + "\ncapacity: " + capacity + "\n";

        using var response = await Server.Http.PostAsJsonAsync("/api/runs", new { workloadText = text });

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(problem["errors"]!.AsArray(), e => (string?)e!["field"] == field && ((string?)e["message"])!.Contains(message, StringComparison.Ordinal));
        Assert.Equal(before, await fixture.CountInstancesAsync());
    }

    internal static string WithHeader(string workload, string name, string value) =>
        workload.Replace("  method: GET", $"  method: GET\n  headers:\n    {name}: \"{value}\"", StringComparison.Ordinal);

    private async Task<string> RefusalForReferenceAsync(string name)
    {
        var text = WithHeader(TestWorkloads.Valid("env-probe-api"), "x-functions-key", $"${{env:{name}}}");
        using var response = await Server.Http.PostAsJsonAsync("/api/runs", new { workloadText = text });
        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        var error = Assert.Single(problem["errors"]!.AsArray());
        Assert.Equal("target.headers.x-functions-key", (string?)error!["field"]);
        return (string)error["message"]!;
    }
}
