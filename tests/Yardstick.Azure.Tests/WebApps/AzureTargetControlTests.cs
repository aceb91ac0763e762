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
            await control.ApplySettingAsync(SiteId, "appSetting:FUNCTIONS_WORKER_PROCESS_COUNT", "2", CancellationToken.None);

            Assert.Equal("2", site.AppSettings["FUNCTIONS_WORKER_PROCESS_COUNT"]!.GetValue<string>());
            Assert.Equal("Value1", site.AppSettings["Setting1"]!.GetValue<string>());
            Assert.Equal("Value2", site.AppSettings["Setting2"]!.GetValue<string>());
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
