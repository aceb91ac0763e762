using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Yardstick.Azure.Rest;
using Yardstick.Azure.Tests.Rest;
using Yardstick.Azure.WebApps;
using Yardstick.Core;
using Yardstick.Core.Ports;
using Yardstick.Core.Runs;
using Yardstick.Functions.Functions;
using Yardstick.Functions.Hosting;
using Yardstick.Functions.Tests.TestSupport;
using Yardstick.Orchestration.Contracts;
using Yardstick.Orchestration.Hosting;
using Yardstick.Testing;

namespace Yardstick.Functions.Tests.Hosting;

/// <summary>
/// Planning on the Functions host binds <c>target.azure.resourceId</c> to the allow-listed URL: the real
/// <see cref="AzureTargetControl"/> reads the site from the loopback ARM fake (HTTPS, bearer token), through the same
/// services and activity wrapper as in Azure.
/// </summary>
public sealed class ArmTargetBindingTests
{
    private const string SiteId = "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-targets/providers/Microsoft.Web/sites/func-target";

    [Fact]
    public async Task PlanRun_ResourceIdOfASiteOnAnotherHost_FailsNamingTheResourceId_NothingStored()
    {
        await using var arm = await LoopbackAzureServer.StartAsync(_ => FakeResponse.Json(Site("func-victim.azurewebsites.net")));
        using var provider = BuildServices(arm, out var artifacts);

        var e = await Assert.ThrowsAnyAsync<InputException>(() => PlanAsync(provider));

        Assert.Equal("target.azure.resourceId", e.Field);
        Assert.Contains("func-victim.azurewebsites.net", e.Message, StringComparison.Ordinal);
        Assert.Equal([("GET", SiteId)], arm.Requests.Select(r => (r.Method, r.Path)));
        Assert.Empty(artifacts.Names);
    }

    [Fact]
    public async Task PlanRun_SiteAnswersOnTheUrlsHost_Plans()
    {
        await using var arm = await LoopbackAzureServer.StartAsync(_ => FakeResponse.Json(Site("func-target.azurewebsites.net", "bench.contoso.com")));
        using var provider = BuildServices(arm, out _);

        var plan = await PlanAsync(provider);

        Assert.Equal("bound", plan.Workload);
        // Planning only reads: the host-name check first, then (best effort) the site's scale settings and its app
        // settings fingerprint for the run's environment — the list is a POST, but ARM's read action
        // (…/config/appsettings/list), never a write; every call carries the managed identity's ARM token.
        Assert.Equal(("GET", SiteId), (arm.Requests[0].Method, arm.Requests[0].Path));
        Assert.All(arm.Requests, r => Assert.True(r.Method == "GET" || (r.Method == "POST" && r.Path == SiteId + "/config/appsettings/list"), $"{r.Method} {r.Path}"));
        Assert.Contains(arm.Requests, r => r.Path == SiteId + "/config/appsettings/list");
        Assert.All(arm.Requests, r => Assert.Equal("Bearer " + FakeTokenCredential.TokenFor("https://management.azure.com/.default"), r.Header("Authorization")));
    }

    private static string Site(params string[] hosts) => new JsonObject
    {
        ["id"] = SiteId,
        ["name"] = "func-target",
        ["kind"] = "functionapp,linux",
        ["properties"] = new JsonObject
        {
            ["state"] = "Running",
            ["defaultHostName"] = hosts[0],
            ["hostNames"] = new JsonArray(hosts.Select(h => (JsonNode?)h).ToArray()),
        },
    }.ToJsonString();

    private static Task<RunPlan> PlanAsync(IServiceProvider provider)
    {
        var runId = RunIds.Create(new DateTimeOffset(2026, 5, 6, 7, 8, 9, TimeSpan.Zero), Guid.NewGuid());
        var request = new RunRequest
        {
            RunId = runId,
            Host = "functions",
            WorkloadText = $"""
                name: bound
                target:
                  url: https://func-target.azurewebsites.net/api/hello
                  azure:
                    resourceId: {SiteId}
                load:
                  rate: 1/s
                  duration: 1s
                """,
        };
        return ActivityFunctions.PlanRun(request, new TestFunctionContext(provider, new Dictionary<string, object?> { ["instanceId"] = runId }));
    }

    private static ServiceProvider BuildServices(LoopbackAzureServer arm, out InMemoryArtifactStore artifacts)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                [AppSettings.Storage] = "https://results.blob.core.windows.net/",
                [AppSettings.AllowedHosts] = "func-target.azurewebsites.net",
            })
            .Build();
        artifacts = new InMemoryArtifactStore();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddYardstickFunctions(configuration);
        services.AddSingleton<IRunStore>(new InMemoryRunStore());
        services.AddSingleton<IArtifactStore>(artifacts);
        // The host's ARM client, pointed at the loopback fake with a fake token instead of the managed identity.
        services.AddSingleton<ITargetControl>(new AzureTargetControl(new WebAppsClient(new FakeTokenCredential(), arm.Configure(new WebAppsClientOptions())), new HttpClient()));
        return services.BuildServiceProvider();
    }
}
