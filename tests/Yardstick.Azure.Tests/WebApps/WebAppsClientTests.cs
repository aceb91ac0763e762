using System.Text.Json.Nodes;
using Yardstick.Azure.Rest;
using Yardstick.Azure.Tests.Rest;
using Yardstick.Azure.WebApps;
using Yardstick.Core;
using Yardstick.Core.Ports;

namespace Yardstick.Azure.Tests.WebApps;

public sealed class WebAppsClientTests
{
    private const string SiteId = FakeArmSite.SiteId;

    [Fact]
    public async Task GetSiteAsync_SpecExample_ReadsMainProperties()
    {
        var site = FakeArmSite.FromFixtures("app-service/GetWebApp.json");
        await using var server = await LoopbackAzureServer.StartAsync(site.Handle);
        var credential = new FakeTokenCredential();
        var client = new WebAppsClient(credential, server.Configure(new WebAppsClientOptions()));

        var info = await client.GetSiteAsync(SiteId, CancellationToken.None);

        Assert.Equal("sitef6141", info.Name);
        Assert.Equal("Running", info.State);
        Assert.Equal("sitef6141.azurewebsites.net", info.DefaultHostName);
        Assert.Null(info.Scale); // a plain web app: no functionAppConfig
        Assert.Equal("2024-04-01", server.Requests[0].QueryValue("api-version"));
        Assert.Equal(["https://management.azure.com/.default"], credential.Scopes.Distinct());
    }

    [Fact]
    public async Task GetSiteAsync_404_ThrowsNotFound()
    {
        await using var server = await LoopbackAzureServer.StartAsync(_ => new FakeResponse(404));
        var client = new WebAppsClient(new FakeTokenCredential(), server.Configure(new WebAppsClientOptions()));

        var error = await Assert.ThrowsAsync<AzureApiException>(() => client.GetSiteAsync(SiteId, CancellationToken.None));

        Assert.True(error.IsNotFound);
        Assert.Contains("ARM Web Apps", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RestartAsync_PostsHardSynchronousRestart()
    {
        var site = FakeArmSite.FromFixtures();
        await using var server = await LoopbackAzureServer.StartAsync(site.Handle);
        var client = new WebAppsClient(new FakeTokenCredential(), server.Configure(new WebAppsClientOptions()));

        await client.RestartAsync(SiteId, CancellationToken.None);

        var request = Assert.Single(server.Requests);
        Assert.Equal(("POST", SiteId + "/restart"), (request.Method, request.Path));
        Assert.Equal("false", request.QueryValue("softRestart"));
        Assert.Equal("true", request.QueryValue("synchronous"));
        Assert.Equal(1, site.Restarts);
    }

    [Fact]
    public async Task BumpColdStartSettingAsync_PreservesEveryOtherSettingAndCounts()
    {
        var site = FakeArmSite.FromFixtures();
        site.AppSettings["AzureWebJobsStorage__credential"] = "managedidentity";
        site.AppSettings["EMPTY_VALUE"] = "";
        site.AppSettings[WebAppsClient.ColdStartSettingName] = "41";
        var before = (JsonObject)site.AppSettings.DeepClone();
        await using var server = await LoopbackAzureServer.StartAsync(site.Handle);
        var client = new WebAppsClient(new FakeTokenCredential(), server.Configure(new WebAppsClientOptions()));

        var first = await client.BumpColdStartSettingAsync(SiteId, CancellationToken.None);
        var second = await client.BumpColdStartSettingAsync(SiteId, CancellationToken.None);

        Assert.Equal((42, 43), (first, second));
        var expected = (JsonObject)before.DeepClone();
        expected[WebAppsClient.ColdStartSettingName] = "43";
        Assert.True(JsonNode.DeepEquals(expected, site.AppSettings), site.AppSettings.ToJsonString());
        Assert.Equal(["POST", "PUT", "POST", "PUT"], server.Requests.Select(r => r.Method));
        Assert.Equal("Value1", site.AppSettings["Setting1"]!.GetValue<string>()); // from ListAppSettings.json
    }

    [Fact]
    public async Task BumpColdStartSettingAsync_SettingAbsent_WritesOne()
    {
        var site = FakeArmSite.FromFixtures();
        await using var server = await LoopbackAzureServer.StartAsync(site.Handle);
        var client = new WebAppsClient(new FakeTokenCredential(), server.Configure(new WebAppsClientOptions()));

        Assert.Equal(1, await client.BumpColdStartSettingAsync(SiteId, CancellationToken.None));
        Assert.Equal(3, site.AppSettings.Count);
    }

    [Fact]
    public async Task UpdateScaleSettingsAsync_RoundTripsFunctionAppConfigAndKeepsTheRest()
    {
        var site = FakeArmSite.FromFixtures();
        var original = (JsonObject)site.Site.DeepClone();
        await using var server = await LoopbackAzureServer.StartAsync(site.Handle);
        var client = new WebAppsClient(new FakeTokenCredential(), server.Configure(new WebAppsClientOptions()));

        var before = await client.GetScaleSettingsAsync(SiteId, CancellationToken.None);
        await client.UpdateScaleSettingsAsync(SiteId, s => s with { AlwaysReady = [new AlwaysReadySetting("http", 2)], HttpPerInstanceConcurrency = 16 }, CancellationToken.None);
        var after = await client.GetScaleSettingsAsync(SiteId, CancellationToken.None);

        Assert.Equal(2048, before!.InstanceMemoryMB);
        Assert.Equal(100, before.MaximumInstanceCount);
        Assert.Empty(before.AlwaysReady);
        Assert.Null(before.HttpPerInstanceConcurrency);
        Assert.Equal([new AlwaysReadySetting("http", 2)], after!.AlwaysReady);
        Assert.Equal(16, after.HttpPerInstanceConcurrency);

        // The PATCH wrote scaleAndConcurrency exactly as the spec's "WithDetails" request spells it…
        var documented = Fixtures.Load("app-service/CreateOrUpdateFunctionAppFlexConsumptionWithDetails.json")["parameters"]!["siteEnvelope"]!["properties"]!["functionAppConfig"]!["scaleAndConcurrency"];
        var written = site.Site["properties"]!["functionAppConfig"]!["scaleAndConcurrency"];
        Assert.True(JsonNode.DeepEquals(documented, written), written!.ToJsonString());

        // …and everything else in the site is what the GET returned.
        var rest = (JsonObject)site.Site.DeepClone();
        var restOriginal = (JsonObject)original.DeepClone();
        rest["properties"]!["functionAppConfig"]!.AsObject().Remove("scaleAndConcurrency");
        restOriginal["properties"]!["functionAppConfig"]!.AsObject().Remove("scaleAndConcurrency");
        Assert.True(JsonNode.DeepEquals(restOriginal, rest));
        Assert.Equal(["GET", "GET", "PATCH", "GET"], server.Requests.Select(r => r.Method));
    }

    [Fact]
    public async Task UpdateScaleSettingsAsync_PatchesOnlyTheChangedMembers_NeverTheIdentity()
    {
        var site = FakeArmSite.FromFixtures();
        site.Site["identity"] = JsonNode.Parse("""{"type":"UserAssigned","userAssignedIdentities":{"/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-x":{}}}""");
        await using var server = await LoopbackAzureServer.StartAsync(site.Handle);
        var client = new WebAppsClient(new FakeTokenCredential(), server.Configure(new WebAppsClientOptions()));

        await client.UpdateScaleSettingsAsync(SiteId, s => s with { InstanceMemoryMB = 4096 }, CancellationToken.None);

        // Only GET and PATCH: a PUT of the whole site would carry the identity, and ARM then demands
        // userAssignedIdentities/assign/action of the caller.
        Assert.Equal(["GET", "PATCH"], server.Requests.Select(r => r.Method));
        var body = JsonNode.Parse(server.Requests[1].Body)!;
        Assert.True(
            JsonNode.DeepEquals(JsonNode.Parse("""{"properties":{"functionAppConfig":{"scaleAndConcurrency":{"instanceMemoryMB":4096}}}}"""), body),
            body.ToJsonString());
        Assert.NotNull(site.Site["identity"]); // the fake merged the patch; the identity stayed as it was
        Assert.Equal(4096, site.Site["properties"]!["functionAppConfig"]!["scaleAndConcurrency"]!["instanceMemoryMB"]!.GetValue<int>());
    }

    [Fact]
    public async Task UpdateScaleSettingsAsync_NothingChanges_SendsNoWrite()
    {
        var site = FakeArmSite.FromFixtures();
        await using var server = await LoopbackAzureServer.StartAsync(site.Handle);
        var client = new WebAppsClient(new FakeTokenCredential(), server.Configure(new WebAppsClientOptions()));

        await client.UpdateScaleSettingsAsync(SiteId, s => s with { InstanceMemoryMB = 2048 }, CancellationToken.None);

        Assert.Equal(["GET"], server.Requests.Select(r => r.Method));
    }

    [Fact]
    public async Task SetAppSettingsAsync_WritesOnlyTheAppSettingsResource()
    {
        var site = FakeArmSite.FromFixtures();
        await using var server = await LoopbackAzureServer.StartAsync(site.Handle);
        var client = new WebAppsClient(new FakeTokenCredential(), server.Configure(new WebAppsClientOptions()));

        await client.SetAppSettingsAsync(SiteId, new Dictionary<string, string> { ["MY_FLAG"] = "on" }, CancellationToken.None);

        // The dedicated endpoints only: list, then PUT of the settings dictionary (it replaces the set, so it carries every
        // setting); never the site itself.
        Assert.Equal([("POST", SiteId + "/config/appsettings/list"), ("PUT", SiteId + "/config/appsettings")], server.Requests.Select(r => (r.Method, r.Path)));
        var body = JsonNode.Parse(server.Requests[1].Body)!.AsObject();
        Assert.Equal(["properties"], body.Select(p => p.Key));
        Assert.Equal("on", body["properties"]!["MY_FLAG"]!.GetValue<string>());
        Assert.Equal("Value1", body["properties"]!["Setting1"]!.GetValue<string>());
    }

    [Fact]
    public async Task UpdateScaleSettingsAsync_Accepted_PollsAsyncOperationUntilSucceeded()
    {
        var site = FakeArmSite.FromFixtures();
        var polls = 0;
        await using var server = await LoopbackAzureServer.StartAsync(request =>
        {
            if (request.Path == "/operations/op1")
            {
                return FakeResponse.Json(Interlocked.Increment(ref polls) < 2 ? """{"status":"InProgress"}""" : """{"status":"Succeeded"}""");
            }

            var response = site.Handle(request);
            return request.Method == "PATCH"
                ? response with { Status = 202, Headers = new Dictionary<string, string> { ["Azure-AsyncOperation"] = $"https://{request.Header("Host")}/operations/op1" } }
                : response;
        });
        var options = server.Configure(new WebAppsClientOptions());
        options.PollInterval = TimeSpan.FromMilliseconds(10);
        var client = new WebAppsClient(new FakeTokenCredential(), options);

        await client.UpdateScaleSettingsAsync(SiteId, s => s with { InstanceMemoryMB = 4096 }, CancellationToken.None);

        Assert.Equal(2, polls);
        Assert.Equal(4096, site.Site["properties"]!["functionAppConfig"]!["scaleAndConcurrency"]!["instanceMemoryMB"]!.GetValue<int>());
    }

    [Fact]
    public async Task UpdateScaleSettingsAsync_AsyncOperationFailed_ThrowsWithTheOperationError()
    {
        var site = FakeArmSite.FromFixtures();
        await using var server = await LoopbackAzureServer.StartAsync(request => request.Path == "/operations/op2"
            ? FakeResponse.Json("""{"status":"Failed","error":{"code":"Conflict","message":"quota exceeded"}}""")
            : request.Method == "PATCH"
                ? new FakeResponse(202, "{}", new Dictionary<string, string> { ["Azure-AsyncOperation"] = $"https://{request.Header("Host")}/operations/op2" })
                : site.Handle(request));
        var options = server.Configure(new WebAppsClientOptions());
        options.PollInterval = TimeSpan.FromMilliseconds(10);
        var client = new WebAppsClient(new FakeTokenCredential(), options);

        var error = await Assert.ThrowsAsync<AzureApiException>(() => client.UpdateScaleSettingsAsync(SiteId, s => s with { InstanceMemoryMB = 512 }, CancellationToken.None));

        Assert.Equal("Conflict", error.ErrorCode);
        Assert.Contains("quota exceeded", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpdateScaleSettingsAsync_NotAFlexApp_NamesTheResourceField()
    {
        var site = FakeArmSite.FromFixtures("app-service/GetWebApp.json");
        await using var server = await LoopbackAzureServer.StartAsync(site.Handle);
        var client = new WebAppsClient(new FakeTokenCredential(), server.Configure(new WebAppsClientOptions()));

        var error = await Assert.ThrowsAsync<InputException>(() => client.UpdateScaleSettingsAsync(SiteId, s => s, CancellationToken.None));

        Assert.Equal("target.azure.resourceId", error.Field);
        Assert.DoesNotContain(server.Requests, r => r.Method is "PUT" or "PATCH");
    }

    [Fact]
    public async Task RestartAsync_Forbidden_NamesTheTargetOperatorRole()
    {
        await using var server = await LoopbackAzureServer.StartAsync(_ => FakeResponse.Json(
            """{"error":{"code":"AuthorizationFailed","message":"The client does not have authorization to perform action 'Microsoft.Web/sites/restart/action'."}}""", 403));
        var client = new WebAppsClient(new FakeTokenCredential(), server.Configure(new WebAppsClientOptions()));

        var error = await Assert.ThrowsAsync<AzureApiException>(() => client.RestartAsync(SiteId, CancellationToken.None));

        Assert.True(error.IsAuthorizationFailure);
        Assert.Contains("Yardstick target operator role", error.Message, StringComparison.Ordinal);
        Assert.Equal("AuthorizationFailed", error.ErrorCode);
    }

    [Fact]
    public async Task GetSiteAsync_NotAFunctionAppId_NamesTheResourceField()
    {
        var client = new WebAppsClient(new FakeTokenCredential());

        var error = await Assert.ThrowsAsync<InputException>(() => client.GetSiteAsync("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/x", CancellationToken.None));

        Assert.Equal("target.azure.resourceId", error.Field);
    }
}
