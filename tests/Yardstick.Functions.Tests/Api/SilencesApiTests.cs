using System.Net;
using System.Net.Http.Json;
using System.Text;
using Yardstick.Functions.Tests.TestSupport;

namespace Yardstick.Functions.Tests.Api;

/// <summary><c>POST|GET /api/workloads/{name}/silences</c> over real HTTP: store and list windows, and the abuse cases.</summary>
public sealed class SilencesApiTests(RunsApiFixture fixture) : IClassFixture<RunsApiFixture>
{
    private RunsApiServer Server => fixture.Server;

    [Fact]
    public async Task Post_ThenGet_TheWindowIsStoredAndListed()
    {
        using var posted = await Server.Http.PostAsJsonAsync("/api/workloads/hello-api/silences", new { @for = "2h", reason = "deploy freeze", from = "2099-01-01T22:00:00Z" });
        using var listed = await Server.Http.GetAsync("/api/workloads/hello-api/silences");

        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        var window = await RunsApiStartTests.ReadJsonAsync(posted);
        Assert.Equal(new DateTimeOffset(2099, 1, 1, 22, 0, 0, TimeSpan.Zero), DateTimeOffset.Parse((string)window["from"]!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(new DateTimeOffset(2099, 1, 2, 0, 0, 0, TimeSpan.Zero), DateTimeOffset.Parse((string)window["to"]!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        var body = await RunsApiStartTests.ReadJsonAsync(listed);
        Assert.Equal("hello-api", (string?)body["workload"]);
        Assert.Contains(body["silences"]!.AsArray(), s => (string?)s!["reason"] == "deploy freeze");
    }

    [Theory]
    [InlineData("""{"for": "40d", "reason": "x"}""", "for", "between 1 s and 31 days")]
    [InlineData("""{"for": "0s", "reason": "x"}""", "for", "between 1 s and 31 days")]
    [InlineData("""{"for": "2h", "reason": "two\nlines"}""", "reason", "1-200 characters on one line")]
    [InlineData("""{"for": "2h"}""", "reason", "1-200 characters")]
    [InlineData("""{"for": "2h", "reason": "x", "from": "tomorrow"}""", "from", "not an ISO 8601 instant with a zone")]
    [InlineData("""{"for": "2h", "reason": "x", "conditions": "all"}""", "conditions", "is not a field of this request")]
    [InlineData("""{"for": 2, "reason": "x"}""", "for", "must be a string")]
    [InlineData("""["for"]""", "body", "must be a JSON object")]
    [InlineData("""{"for": """, "body", "is not JSON")]
    public async Task Post_BadBody_400NamingTheField_NothingStored(string json, string field, string message)
    {
        var before = (await Server.Http.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>("/api/workloads/other-api/silences"))!["silences"]!.AsArray().Count;

        using var response = await Server.Http.PostAsync("/api/workloads/other-api/silences", new StringContent(json, Encoding.UTF8, "application/json"));

        var problem = await RunsApiStartTests.ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(problem["errors"]!.AsArray(), e => (string?)e!["field"] == field && ((string?)e["message"])!.Contains(message, StringComparison.Ordinal));
        Assert.Equal(before, (await Server.Http.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>("/api/workloads/other-api/silences"))!["silences"]!.AsArray().Count);
    }

    [Fact]
    public async Task Post_UnknownWorkloadOrBadName_RefusedAndNothingStored()
    {
        using var unknown = await Server.Http.PostAsJsonAsync("/api/workloads/no-such-workload/silences", new { @for = "1h", reason = "x" });
        using var badName = await Server.Http.PostAsJsonAsync("/api/workloads/Bad_Name/silences", new { @for = "1h", reason = "x" });
        using var text = await Server.Http.PostAsync("/api/workloads/hello-api/silences", new StringContent("for=1h", Encoding.UTF8, "text/plain"));
        using var huge = await Server.Http.PostAsync("/api/workloads/hello-api/silences", new StringContent($$"""{"for": "1h", "reason": "{{new string('r', 5000)}}"}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("name", (string?)(await RunsApiStartTests.ReadProblemAsync(badName, HttpStatusCode.BadRequest))["errors"]![0]!["field"]);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, text.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        Assert.Empty(await Server.Alerts.ListSilencesAsync("no-such-workload", DateTimeOffset.MinValue, CancellationToken.None));
    }

    [Fact]
    public async Task Post_MoreThan32OpenWindows_400AndTheFirst32Kept()
    {
        // A function-key holder cannot fill the Alerts table: 32 windows that have not ended, then refusals.
        await Server.Registry.PushAsync("silence-cap", TestWorkloads.Valid("silence-cap"), null, "test", CancellationToken.None);
        for (var i = 0; i < 32; i++)
        {
            using var ok = await Server.Http.PostAsJsonAsync("/api/workloads/silence-cap/silences", new { @for = "1h", reason = $"window {i}" });
            Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        }

        using var refused = await Server.Http.PostAsJsonAsync("/api/workloads/silence-cap/silences", new { @for = "1h", reason = "one too many" });

        var problem = await RunsApiStartTests.ReadProblemAsync(refused, HttpStatusCode.BadRequest);
        Assert.Contains("at most 32", (string?)problem["errors"]![0]!["message"], StringComparison.Ordinal);
        Assert.Equal(32, (await Server.Alerts.ListSilencesAsync("silence-cap", DateTimeOffset.UtcNow, CancellationToken.None)).Count);
    }
}
