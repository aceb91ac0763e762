using Yardstick.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Yardstick.Core;
using Yardstick.Core.Load;
using Yardstick.Core.Ports;
using Yardstick.Core.Runs;
using Yardstick.Functions.Functions;
using Yardstick.Functions.Hosting;
using Yardstick.Functions.Tests.TestSupport;
using Yardstick.Orchestration;
using Yardstick.Orchestration.Contracts;
using Yardstick.Orchestration.Hosting;

namespace Yardstick.Functions.Tests.Hosting;

/// <summary>The Functions host's service registration, and the activity wrappers running the shared classes through it.</summary>
public sealed class FunctionsServicesTests
{
    [Fact]
    public void AddYardstickFunctions_EveryRegistryActivity_ResolvesWithItsDependencies()
    {
        using var provider = BuildServices(out _, out _);

        foreach (var task in TaskRegistry.Activities)
        {
            Assert.IsType(task.Type, provider.GetRequiredService(task.Type));
        }

        Assert.IsType<ThrottledLoadProgress>(provider.GetRequiredService<ILoadProgress>());
    }

    [Fact]
    public void AddYardstickFunctions_HostOptions_AreTheAzureHostsOptions()
    {
        using var provider = BuildServices(out _, out _);

        var options = provider.GetRequiredService<YardstickHostOptions>();

        Assert.Equal("functions", options.Host);
        Assert.False(options.AllowLocalProcesses);
        Assert.False(options.AllowPricingFiles);
        Assert.Equal(["127.0.0.1", "app.example.net"], options.TargetPolicy.AllowedHosts);
        Assert.False(options.TargetPolicy.AllowPrivateNetworks);
        Assert.Equal("resolved-from-settings", options.Environment("YARDSTICK_SECRET_TARGET_KEY"));
        // Set as an app setting, but outside the secret prefix: a workload cannot read it.
        Assert.Null(options.Environment("TARGET_KEY"));
    }

    [Fact]
    public void AddYardstickFunctions_StorageSettingMissing_ThrowsNamingTheSetting()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [AppSettings.AllowedHosts] = "127.0.0.1" }).Build();

        var e = Assert.Throws<InputException>(() => new ServiceCollection().AddYardstickFunctions(configuration));

        Assert.Equal("YARDSTICK_STORAGE", e.Field);
    }

    [Theory]
    [InlineData("ab")]
    [InlineData("1yardstick")]
    [InlineData("yard-stick")]
    [InlineData("yardstick_hub")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")] // 46
    public void AddYardstickFunctions_TaskHubNameInvalid_ThrowsNamingTheSetting(string hub)
    {
        var configuration = Settings(new() { [AppSettings.TaskHub] = hub });

        var e = Assert.Throws<InputException>(() => new ServiceCollection().AddYardstickFunctions(configuration));

        Assert.Equal("YARDSTICK_TASK_HUB", e.Field);
    }

    [Theory]
    [InlineData("yardstick")]
    [InlineData("Nightly2026")]
    [InlineData("abc")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")] // 45
    public void AddYardstickFunctions_TaskHubNameValid_Accepted(string hub)
    {
        new ServiceCollection().AddYardstickFunctions(Settings(new() { [AppSettings.TaskHub] = hub }));
    }

    [Fact]
    public void CreateHostOptions_PlatformVariables_KnowYardsticksOwnSite_AndTheResourceGroupSetting()
    {
        var options = FunctionsServices.CreateHostOptions(Settings(new()
        {
            [AppSettings.PlatformSiteName] = "func-yardstick",
            [AppSettings.PlatformResourceGroup] = "rg-yardstick",
            [AppSettings.PlatformOwnerName] = "11111111-2222-3333-4444-555555555555+rg-yardstick-EastUSwebspace-Linux",
            [AppSettings.AllowOwnResourceGroup] = "true",
            [AppSettings.InstanceMemoryMB] = "4096",
            [AppSettings.Region] = "swedencentral",
        }));

        Assert.Equal(new SelfSite("11111111-2222-3333-4444-555555555555", "rg-yardstick", "func-yardstick"), options.Self);
        Assert.True(options.AllowOwnResourceGroup);
        Assert.Equal(4096, options.BenchmarkInstanceMemoryMB);
        Assert.Equal("swedencentral", options.BenchmarkRegion);
        Assert.False(FunctionsServices.CreateHostOptions(Settings(new())).AllowOwnResourceGroup);
        Assert.Throws<InputException>(() => FunctionsServices.CreateHostOptions(Settings(new() { [AppSettings.AllowOwnResourceGroup] = "yes" })));
    }

    [Fact]
    public void CreateHostOptions_DefaultAlerts_ResolveOnlyYardstickSecretSettings_AndPublicHttpsOnly()
    {
        var options = FunctionsServices.CreateHostOptions(Settings(new()
        {
            [AppSettings.Alerts] = """{"on": ["failed"], "send": [{"type": "slack", "url": "${env:YARDSTICK_SECRET_SLACK}"}]}""",
            ["YARDSTICK_SECRET_SLACK"] = "https://hooks.slack.example/services/x",
        }));

        Assert.Equal(Core.Workloads.AlertChannelType.Slack, Assert.Single(options.DefaultAlerts!.Send).Type);
        Assert.Same(Core.Alerts.AlertDestinations.PublicHttpsOnly, options.AlertDestinations);
        Assert.Null(FunctionsServices.CreateHostOptions(Settings(new())).DefaultAlerts);

        // Abuse case: the block may not pull another app setting (here the storage connection) in as a webhook URL.
        var e = Assert.Throws<InputException>(() => FunctionsServices.CreateHostOptions(Settings(new()
        {
            [AppSettings.Alerts] = """{"send": [{"type": "slack", "url": "${env:AzureWebJobsStorage}"}]}""",
            ["AzureWebJobsStorage"] = "https://acct.example/secret-connection",
        })));
        Assert.Equal(AppSettings.Alerts, e.Field);
        Assert.DoesNotContain("secret-connection", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlanRunWrapper_ThroughFunctionsServices_PlansAndStoresTheRun()
    {
        using var provider = BuildServices(out var runs, out var artifacts);
        var runId = RunIds.Create(new DateTimeOffset(2026, 5, 6, 7, 8, 9, TimeSpan.Zero), Guid.NewGuid());
        var request = new RunRequest { RunId = runId, WorkloadText = TestWorkloads.Valid("wrapped-plan"), Host = "functions", Overrides = ["load.shards=2"] };
        var context = new TestFunctionContext(provider, new Dictionary<string, object?> { ["instanceId"] = runId });

        var plan = await ActivityFunctions.PlanRun(request, context);

        Assert.Equal(runId, plan.RunId);
        Assert.Equal("wrapped-plan", plan.Workload);
        Assert.Equal(2, plan.Shards);
        Assert.Contains($"wrapped-plan/{runId}/{PlanReader.PlanBlobName}", artifacts.Names);
        var row = await runs.GetAsync(runId, CancellationToken.None);
        Assert.NotNull(row);
        Assert.Equal(RunStatus.Running, row.Status);
        Assert.Equal("functions", row.Host);
    }

    [Fact]
    public void ActivityContext_FromBindingData_CarriesNameAndInstanceId()
    {
        using var provider = new ServiceCollection().BuildServiceProvider();
        var context = new TestFunctionContext(provider, new Dictionary<string, object?> { ["instanceId"] = "20260101-000000-abcdef" });

        var activityContext = FunctionsActivityContext.From("PlanRunActivity", context);

        Assert.Equal("PlanRunActivity", activityContext.Name.Name);
        Assert.Equal("20260101-000000-abcdef", activityContext.InstanceId);
    }

    [Fact]
    public void ActivityContext_NoInstanceIdInBindingData_Throws()
    {
        using var provider = new ServiceCollection().BuildServiceProvider();
        var context = new TestFunctionContext(provider, new Dictionary<string, object?> { ["input"] = "{}" });

        var e = Assert.Throws<InvalidOperationException>(() => FunctionsActivityContext.From("PlanRunActivity", context));

        Assert.Contains("instanceId", e.Message, StringComparison.Ordinal);
    }

    private static IConfiguration Settings(Dictionary<string, string?> settings)
    {
        settings.TryAdd(AppSettings.Storage, "https://results.blob.core.windows.net/");
        settings.TryAdd(AppSettings.AllowedHosts, "127.0.0.1");
        return new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
    }

    private static ServiceProvider BuildServices(out InMemoryRunStore runs, out InMemoryArtifactStore artifacts)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                [AppSettings.Storage] = "https://results.blob.core.windows.net/",
                [AppSettings.AllowedHosts] = "127.0.0.1, app.example.net",
                ["TARGET_KEY"] = "resolved-from-settings",
                ["YARDSTICK_SECRET_TARGET_KEY"] = "resolved-from-settings",
            })
            .Build();
        runs = new InMemoryRunStore();
        artifacts = new InMemoryArtifactStore();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddYardstickFunctions(configuration);
        services.AddSingleton<IRunStore>(runs);
        services.AddSingleton<IArtifactStore>(artifacts);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
