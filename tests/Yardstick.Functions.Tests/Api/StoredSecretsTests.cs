using System.Net;
using System.Net.Http.Json;
using System.Text;
using Yardstick.Functions.Tests.TestSupport;
using static Yardstick.Functions.Tests.Api.RunsApiAbuseTests;
using static Yardstick.Functions.Tests.Api.RunsApiStartTests;

namespace Yardstick.Functions.Tests.Api;

/// <summary>
/// Literal secrets are refused where they would be stored: in the workload text as sent (even when an override
/// replaces them), in the body, in each override, under the wider set of secret-looking names; references pass.
/// </summary>
public sealed class StoredSecretsTests(RunsApiFixture fixture) : IClassFixture<RunsApiFixture>
{
    private const string Reference = "${env:" + RunsApiServer.SecretSettingName + "}";

    private RunsApiServer Server => fixture.Server;

    [Fact]
    public async Task Start_LiteralHeaderAnOverrideReplaces_400NamingTheHeader_NothingScheduled()
    {
        var text = WithHeader(TestWorkloads.Valid("secret-replaced"), "Authorization", "Bearer eyJhbGciOi-literal");
        var before = await fixture.CountInstancesAsync();

        using var response = await Server.Http.PostAsJsonAsync("/api/runs", new { workloadText = text, overrides = new[] { $"target.headers.Authorization={Reference}" } });

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("target.headers.Authorization", (string?)problem["errors"]![0]!["field"]);
        Assert.DoesNotContain("eyJhbGciOi", problem.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(before, await fixture.CountInstancesAsync());
    }

    [Fact]
    public async Task Start_LiteralPasswordInTheBody_400NamingTargetBody()
    {
        var text = WithBody(TestWorkloads.Valid("secret-body"), """{"user": "alice", "password": "hunter2"}""");

        using var response = await Server.Http.PostAsJsonAsync("/api/runs", new { workloadText = text });

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("target.body", (string?)problem["errors"]![0]!["field"]);
        Assert.Contains("password", (string?)problem["errors"]![0]!["message"], StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", problem.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_OverrideSettingABodyWithALiteralSecret_400NamingTheOverride()
    {
        using var response = await Server.Http.PostAsJsonAsync("/api/runs", new
        {
            workloadText = TestWorkloads.Valid("secret-override"),
            overrides = new[] { "load.rate=5/s", """target.body={"client_secret": "s3cr3t-literal"}""" },
        });

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("overrides[1]", (string?)problem["errors"]![0]!["field"]);
        Assert.DoesNotContain("s3cr3t-literal", problem.ToJsonString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("X-Auth-User")]
    [InlineData("apikey")]
    [InlineData("X-Password")]
    [InlineData("X-Session-Cookie")]
    [InlineData("X-Upstream-Authorization")]
    public async Task Start_LiteralValueInASecretLookingHeader_400NamingIt(string header)
    {
        var text = WithHeader(TestWorkloads.Valid("secret-names"), header, "literal-value");

        using var response = await Server.Http.PostAsJsonAsync("/api/runs", new { workloadText = text });

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal($"target.headers.{header}", (string?)problem["errors"]![0]!["field"]);
    }

    [Fact]
    public async Task PushWorkload_LiteralPasswordInTheBody_400_NothingRegistered()
    {
        var text = WithBody(TestWorkloads.Valid("secret-push"), "user=alice&password=hunter2");
        using var content = new StringContent(text, Encoding.UTF8, "application/yaml");

        using var response = await Server.Http.PutAsync("/api/workloads/secret-push", content);

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("target.body", (string?)problem["errors"]![0]!["field"]);
    }

    [Fact]
    public async Task Start_ReferencesAndNonSecretNames_Accepted()
    {
        var text = WithHeader(WithBody(TestWorkloads.Valid("secret-ok"), $$"""{"password": "{{Reference}}", "maxTokens": 100, "user": "alice"}"""), "X-Auth-Token", Reference);

        using var response = await Server.Http.PostAsJsonAsync("/api/runs", new { workloadText = text, overrides = new[] { $"target.headers.X-Api-Key={Reference}" } });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    private static string WithBody(string workload, string body) =>
        workload.Replace("  method: GET", "  method: POST\n  body: '" + body.Replace("'", "''", StringComparison.Ordinal) + "'", StringComparison.Ordinal);
}
