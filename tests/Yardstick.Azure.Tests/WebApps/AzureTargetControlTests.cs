using System.Text.Json.Nodes;
using Yardstick.Azure.Rest;
using Yardstick.Azure.Tests.Rest;
using Yardstick.Azure.WebApps;
using Yardstick.Core;
using Yardstick.Core.Ports;

namespace Yardstick.Azure.Tests.WebApps;

public sealed class AzureTargetControlTests
{
    private const string SiteId = FakeArmSite.SiteId;

    [Theory]
    [InlineData("instanceMemoryMB", "4096", "instanceMemoryMB", 4096)]
    [InlineData("maximumInstanceCount", "40", "maximumInstanceCount", 40)]
    public async Task ApplySettingAsync_ScaleParameter_WritesIt(string parameter, string value, string property, int expected)
    {
        var (site, server, control) = await StartAsync();
        await using (server)
        {
            await control.ApplySettingAsync(SiteId, parameter, value, CancellationToken.None);

            Assert.Equal(expected, site.Site["properties"]!["functionAppConfig"]!["scaleAndConcurrency"]![property]!.GetValue<int>());
        }
    }

    [Fact]
    public async Task ApplySettingAsync_AlwaysReadyGroups_SetsListedKeepsOthersRemovesZero()
    {
        var (site, server, control) = await StartAsync();
        await using (server)
        {
            await control.ApplySettingAsync(SiteId, "alwaysReady", "http=1,durable=1", CancellationToken.None);
            await control.ApplySettingAsync(SiteId, "alwaysReady", "0", CancellationToken.None);
            var scale = await control.GetScaleSettingsAsync(SiteId, CancellationToken.None);

            Assert.Equal([new AlwaysReadySetting("durable", 1)], scale!.AlwaysReady);
        }
    }

    [Fact]
    public async Task ApplySettingAsync_AppSetting_PreservesTheOthers()
    {
        var (site, server, control) = await StartAsync();
        await using (server)
        {
            await control.ApplySettingAsync(SiteId, "appSetting:DOTNET_GCHeapHardLimitPercent", "50", CancellationToken.None);

            Assert.Equal("50", site.AppSettings["DOTNET_GCHeapHardLimitPercent"]!.GetValue<string>());
            Assert.Equal("Value1", site.AppSettings["Setting1"]!.GetValue<string>());
            Assert.Equal("Value2", site.AppSettings["Setting2"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task GetAppSettingsFingerprintAsync_FromArm_NamesAndHashOfTheListedSettings_ChangesWithAValue()
    {
        var (site, server, control) = await StartAsync();
        await using (server)
        {
            var before = await control.GetAppSettingsFingerprintAsync(SiteId, CancellationToken.None);
            await control.ApplySettingAsync(SiteId, "appSetting:Setting2", "Value2-changed", CancellationToken.None);
            var after = await control.GetAppSettingsFingerprintAsync(SiteId, CancellationToken.None);

            // ListAppSettings.json: Setting1=Value1, Setting2=Value2 — listed over POST …/config/appsettings/list.
            Assert.Equal(["Setting1", "Setting2"], before.Names);
            Assert.Equal(Core.Environments.AppSettingsFingerprint.Of(new Dictionary<string, string?> { ["Setting1"] = "Value1", ["Setting2"] = "Value2" }).Sha256, before.Sha256);
            Assert.NotEqual(before.Sha256, after.Sha256);
            Assert.Equal("values changed", after.DescribeChangeFrom(before));
            Assert.Equal("Value2-changed", site.AppSettings["Setting2"]!.GetValue<string>());
        }
    }

    [Theory]
    [InlineData("instanceMemoryMB", "1024", "sweep.values")]
    [InlineData("maximumInstanceCount", "5", "sweep.values")]
    [InlineData("perInstanceConcurrency", "many", "sweep.values")]
    [InlineData("alwaysReady", "http=-1", "sweep.values")]
    [InlineData("cpuCores", "2", "sweep.parameter")]
    public async Task ApplySettingAsync_BadValue_FailsBeforeAnyCall(string parameter, string value, string field)
    {
        var (_, server, control) = await StartAsync();
        await using (server)
        {
            var error = await Assert.ThrowsAsync<InputException>(() => control.ApplySettingAsync(SiteId, parameter, value, CancellationToken.None));

            Assert.Equal(field, error.Field);
            Assert.Empty(server.Requests);
        }
    }

    [Theory]
    [InlineData("appSetting:FUNCTIONS_WORKER_PROCESS_COUNT")]
    [InlineData("appSetting:AzureWebJobsStorage__accountName")]
    [InlineData("appSetting:azurewebjobsstorage")]
    [InlineData("appSetting:website_run_from_package")]
    [InlineData("appSetting:APPLICATIONINSIGHTS_CONNECTION_STRING")]
    [InlineData("appSetting:YARDSTICK_ALLOWED_HOSTS")]
    [InlineData("appSetting:My_Api_Key")]
    [InlineData("appSetting:ClientSecret")]
    [InlineData("appSetting:DbConnectionString")]
    public async Task ApplySettingAsync_ReservedAppSetting_RefusedBeforeAnyCall(string parameter)
    {
        var (_, server, control) = await StartAsync();
        await using (server)
        {
            var error = await Assert.ThrowsAsync<InputException>(() => control.ApplySettingAsync(SiteId, parameter, "x", CancellationToken.None));

            Assert.Equal("sweep.parameter", error.Field);
            Assert.Contains("reserved", error.Message, StringComparison.Ordinal);
            Assert.Empty(server.Requests);
        }
    }

    [Fact]
    public async Task GetHostNamesAsync_SiteFromArm_DefaultAndCustomHostNamesLowerCase()
    {
        var (site, server, control) = await StartAsync();
        await using (server)
        {
            site.Site["properties"]!["hostNames"] = new JsonArray("sitef6141.azurewebsites.net", "Bench.Contoso.com");

            var hosts = await control.GetHostNamesAsync(SiteId, CancellationToken.None);

            Assert.Equal(["sitef6141.azurewebsites.net", "bench.contoso.com"], hosts);
            Assert.Equal(("GET", SiteId), (server.Requests.Single().Method, server.Requests.Single().Path));
        }
    }

    [Theory]
    [InlineData("instanceMemoryMB", "2048")]
    [InlineData("maximumInstanceCount", "100")]
    [InlineData("perInstanceConcurrency", null)]
    [InlineData("alwaysReady", "")]
    [InlineData("appSetting:Setting1", "Value1")]
    [InlineData("appSetting:NOT_THERE", null)]
    public async Task ReadSettingAsync_FromArm_SweepValueText(string parameter, string? expected)
    {
        var (_, server, control) = await StartAsync();
        await using (server)
        {
            Assert.Equal(expected, await control.ReadSettingAsync(SiteId, parameter, CancellationToken.None));
        }
    }

    [Fact]
    public async Task RestoreSettingAsync_AfterSweepValues_PutsBackExactlyWhatWasRead()
    {
        var (site, server, control) = await StartAsync();
        await using (server)
        {
            site.Site["properties"]!["functionAppConfig"]!["scaleAndConcurrency"]!["alwaysReady"] = JsonNode.Parse("""[{"name":"durable","instanceCount":1}]""");
            string[] parameters = ["instanceMemoryMB", "alwaysReady", "appSetting:Setting1", "appSetting:NEW_FLAG"];
            var originals = new Dictionary<string, string?>();
            foreach (var parameter in parameters)
            {
                originals[parameter] = await control.ReadSettingAsync(SiteId, parameter, CancellationToken.None);
            }

            var settingsBefore = (JsonObject)site.AppSettings.DeepClone();
            var scaleBefore = site.Site["properties"]!["functionAppConfig"]!["scaleAndConcurrency"]!.DeepClone();
            await control.ApplySettingAsync(SiteId, "instanceMemoryMB", "512", CancellationToken.None);
            await control.ApplySettingAsync(SiteId, "alwaysReady", "http=2,durable=3", CancellationToken.None);
            await control.ApplySettingAsync(SiteId, "appSetting:Setting1", "changed", CancellationToken.None);
            await control.ApplySettingAsync(SiteId, "appSetting:NEW_FLAG", "on", CancellationToken.None);

            foreach (var parameter in parameters)
            {
                await control.RestoreSettingAsync(SiteId, parameter, originals[parameter], CancellationToken.None);
            }

            Assert.Equal("durable=1", originals["alwaysReady"]);
            Assert.Null(originals["appSetting:NEW_FLAG"]);
            Assert.True(JsonNode.DeepEquals(settingsBefore, site.AppSettings), site.AppSettings.ToJsonString());
            var scaleAfter = site.Site["properties"]!["functionAppConfig"]!["scaleAndConcurrency"]!;
            Assert.True(JsonNode.DeepEquals(scaleBefore, scaleAfter), scaleAfter.ToJsonString());

            // Restoring again changes nothing, and sends no write.
            var writes = server.Requests.Count(r => r.Method is "PUT" or "PATCH");
            foreach (var parameter in parameters)
            {
                await control.RestoreSettingAsync(SiteId, parameter, originals[parameter], CancellationToken.None);
            }

            Assert.Equal(writes, server.Requests.Count(r => r.Method is "PUT" or "PATCH"));
        }
    }

    [Fact]
    public async Task WaitUntilServingAsync_RunningSiteAndProbeTurnsHealthy_ReturnsTrue()
    {
        var site = FakeArmSite.FromFixtures();
        var probes = 0;
        site.Intercept = r => r.Path == "/ready" ? new FakeResponse(Interlocked.Increment(ref probes) < 3 ? 503 : 200) : null;
        await using var server = await LoopbackAzureServer.StartAsync(site.Handle);
        using var http = new HttpClient(server.CreateHandler());
        var control = new AzureTargetControl(new WebAppsClient(new FakeTokenCredential(), server.Configure(new WebAppsClientOptions())), http)
        {
            PollInterval = TimeSpan.FromMilliseconds(10),
        };

        var serving = await control.WaitUntilServingAsync(SiteId, new Uri(server.Endpoint, "/ready"), TimeSpan.FromSeconds(30), CancellationToken.None);

        Assert.True(serving);
        Assert.Equal(3, probes);
    }

    [Fact]
    public async Task WaitUntilServingAsync_SiteStopped_TimesOutFalse()
    {
        var site = FakeArmSite.FromFixtures();
        site.Site["properties"]!["state"] = "Stopped";
        await using var server = await LoopbackAzureServer.StartAsync(site.Handle);
        using var http = new HttpClient(server.CreateHandler());
        var control = new AzureTargetControl(new WebAppsClient(new FakeTokenCredential(), server.Configure(new WebAppsClientOptions())), http)
        {
            PollInterval = TimeSpan.FromMilliseconds(20),
        };

        Assert.False(await control.WaitUntilServingAsync(SiteId, null, TimeSpan.FromMilliseconds(300), CancellationToken.None));
        Assert.All(server.Requests, r => Assert.Equal(("GET", SiteId), (r.Method, r.Path)));
        Assert.NotEmpty(server.Requests);
    }

    private static async Task<(FakeArmSite Site, LoopbackAzureServer Server, AzureTargetControl Control)> StartAsync()
    {
        var site = FakeArmSite.FromFixtures();
        var server = await LoopbackAzureServer.StartAsync(site.Handle);
        var control = new AzureTargetControl(new WebAppsClient(new FakeTokenCredential(), server.Configure(new WebAppsClientOptions())), new HttpClient());
        return (site, server, control);
    }
}
