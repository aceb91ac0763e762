using Microsoft.DurableTask;
using Yardstick.Core;
using Yardstick.Core.Load.Safety;
using Yardstick.Core.Ports;
using Yardstick.Core.Workloads;
using Yardstick.Orchestration.Activities;
using Yardstick.Orchestration.Contracts;
using Yardstick.Orchestration.Hosting;
using Yardstick.Testing;

namespace Yardstick.Orchestration.Tests.Hosting;

/// <summary>
/// <c>target.azure.resourceId</c> is bound to the allow-list: the site must answer on <c>target.url</c>'s host (as ARM
/// reports its host names; the ARM reading itself is tested against the loopback ARM fake in Yardstick.Azure.Tests), and
/// Yardstick's own app, and its resource group unless allowed, are refused.
/// </summary>
public sealed class AzureTargetGuardTests
{
    private const string Subscription = "11111111-2222-3333-4444-555555555555";
    private const string TargetId = $"/subscriptions/{Subscription}/resourceGroups/rg-targets/providers/Microsoft.Web/sites/func-target";
    private const string SelfId = $"/subscriptions/{Subscription}/resourceGroups/rg-yardstick/providers/Microsoft.Web/sites/func-yardstick";
    private const string NeighbourId = $"/subscriptions/{Subscription}/resourceGroups/RG-YARDSTICK/providers/Microsoft.Web/sites/func-other";

    private static readonly YardstickHostOptions FunctionsHost = new()
    {
        Host = "functions",
        AzureAccess = true,
        AllowPricingFiles = false,
        TargetPolicy = TargetPolicy.ForDeployedHost("func-target.azurewebsites.net,func-other.azurewebsites.net,func-yardstick.azurewebsites.net"),
        Self = SelfSite.FromEnvironment(name => name switch
        {
            "WEBSITE_SITE_NAME" => "func-yardstick",
            "WEBSITE_RESOURCE_GROUP" => "rg-yardstick",
            "WEBSITE_OWNER_NAME" => Subscription + "+rg-yardstick-EastUSwebspace-Linux",
            _ => null,
        }),
    };

    private static Workload Load(string resourceId, string host = "func-target.azurewebsites.net", string coldStartUrl = "") => WorkloadLoader.LoadText($"""
        name: bound
        target:
          url: https://{host}/api/hello
          azure:
            resourceId: {resourceId}
        load:
          rate: 1/s
          duration: 1s
        {(coldStartUrl.Length > 0 ? $"coldStart:\n  strategy: restart\n  url: {coldStartUrl}\n" : "")}
        """, "bound.yaml", [], _ => null);

    [Fact]
    public void SelfSite_FromPlatformVariables_ReadsSubscriptionGroupAndName()
    {
        Assert.Equal(new SelfSite(Subscription, "rg-yardstick", "func-yardstick"), FunctionsHost.Self);
        Assert.Null(SelfSite.FromEnvironment(_ => null));
    }

    [Fact]
    public void Preflight_YardsticksOwnApp_RefusedNamingTheResourceId_EvenWhenItsGroupIsAllowed()
    {
        var e = Assert.Throws<InputException>(() => RunPreflight.Check(Load(SelfId, "func-yardstick.azurewebsites.net"), FunctionsHost with { AllowOwnResourceGroup = true }));

        Assert.Equal("target.azure.resourceId", e.Field);
        Assert.Contains("Yardstick's own function app", e.Message, StringComparison.Ordinal);
        Assert.StartsWith("target.azure.resourceId ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Preflight_SiteInYardsticksResourceGroup_RefusedUnlessTheSettingAllowsIt()
    {
        var e = Assert.Throws<InputException>(() => RunPreflight.Check(Load(NeighbourId, "func-other.azurewebsites.net"), FunctionsHost));

        Assert.Equal("target.azure.resourceId", e.Field);
        Assert.Contains(AzureTargetGuard.AllowOwnResourceGroupSetting, e.Message, StringComparison.Ordinal);
        RunPreflight.Check(Load(NeighbourId, "func-other.azurewebsites.net"), FunctionsHost with { AllowOwnResourceGroup = true });
    }

    [Fact]
    public void Preflight_SameGroupNameInAnotherSubscription_Allowed()
    {
        var elsewhere = NeighbourId.Replace(Subscription, "99999999-2222-3333-4444-555555555555", StringComparison.Ordinal);

        RunPreflight.Check(Load(elsewhere, "func-other.azurewebsites.net"), FunctionsHost);
    }

    [Fact]
    public void Preflight_MalformedResourceIdOnTheFunctionsHost_RefusedNamingIt()
    {
        var e = Assert.Throws<InputException>(() => AzureTargetGuard.EnsureNotSelf("/subscriptions/x/resourceGroups//providers/Microsoft.Web/sites/a", FunctionsHost));

        Assert.Equal("target.azure.resourceId", e.Field);
    }

    [Fact]
    public async Task EnsureBoundToUrl_SiteAnswersOnTheUrlsHost_Accepted()
    {
        await AzureTargetGuard.EnsureBoundToUrlAsync(Load(TargetId), FunctionsHost, new HostNames("func-target.azurewebsites.net", "www.contoso.com"), CancellationToken.None);
        await AzureTargetGuard.EnsureBoundToUrlAsync(Load(TargetId, "WWW.Contoso.com"), FunctionsHost, new HostNames("func-target.azurewebsites.net", "www.contoso.com"), CancellationToken.None);
    }

    [Fact]
    public async Task EnsureBoundToUrl_AllowedUrlButAnotherSitesId_RefusedNamingTheResourceId()
    {
        // The abuse case: load goes to an allowed host, while the id names some other app the identity can restart.
        var e = await Assert.ThrowsAsync<InputException>(() =>
            AzureTargetGuard.EnsureBoundToUrlAsync(Load(TargetId), FunctionsHost, new HostNames("func-victim.azurewebsites.net"), CancellationToken.None));

        Assert.Equal("target.azure.resourceId", e.Field);
        Assert.Contains("func-victim.azurewebsites.net", e.Message, StringComparison.Ordinal);
        Assert.StartsWith("target.azure.resourceId ", e.Message, StringComparison.Ordinal); // also where only the message travels (a failed plan)
        Assert.Contains("target.url", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnsureBoundToUrl_ColdStartUrlOnAnotherHost_Refused()
    {
        var workload = Load(TargetId, coldStartUrl: "https://func-other.azurewebsites.net/api/hello");

        var e = await Assert.ThrowsAsync<InputException>(() =>
            AzureTargetGuard.EnsureBoundToUrlAsync(workload, FunctionsHost, new HostNames("func-target.azurewebsites.net"), CancellationToken.None));

        Assert.Contains("coldStart.url", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlanRun_SiteNotOnTheUrlsHost_FailsBeforeAnythingIsStored()
    {
        var artifacts = new InMemoryArtifactStore();
        var runs = new InMemoryRunStore();
        var activity = new PlanRunActivity(artifacts, runs, FunctionsHost, TimeProvider.System, new HostNames("func-victim.azurewebsites.net"));
        var request = new RunRequest
        {
            RunId = "20260101-000000-abcdef",
            WorkloadText = $"""
                name: bound
                target:
                  url: https://func-target.azurewebsites.net/api/hello
                  azure:
                    resourceId: {TargetId}
                load:
                  rate: 1/s
                  duration: 1s
                """,
        };

        var e = await Assert.ThrowsAnyAsync<InputException>(() => activity.RunAsync(new PlanContext(), request));

        Assert.Equal("target.azure.resourceId", e.Field);
        Assert.Empty(artifacts.Names);
        var bound = new PlanRunActivity(artifacts, runs, FunctionsHost, TimeProvider.System, new HostNames("func-target.azurewebsites.net"));
        Assert.Equal("bound", (await bound.RunAsync(new PlanContext(), request)).Workload);
    }

    [Fact]
    public async Task PlanRun_AzureTarget_StoresTheScaleSettingsArmReports_ForTheEnvironment()
    {
        var artifacts = new InMemoryArtifactStore();
        var scale = new FlexScaleSettings { InstanceMemoryMB = 4096, MaximumInstanceCount = 40, HttpPerInstanceConcurrency = 8, AlwaysReady = [new AlwaysReadySetting("http", 2), new AlwaysReadySetting("durable", 1)] };
        var activity = new PlanRunActivity(artifacts, new InMemoryRunStore(), FunctionsHost, TimeProvider.System, new HostNames(scale, "func-target.azurewebsites.net"));
        var request = new RunRequest
        {
            RunId = "20260101-000000-abcdef",
            WorkloadText = $"""
                name: scaled
                target:
                  url: https://func-target.azurewebsites.net/api/hello
                  azure:
                    resourceId: {TargetId}
                load:
                  rate: 1/s
                  duration: 1s
                """,
        };

        await activity.RunAsync(new PlanContext(), request);

        var stored = Core.YardstickJson.Deserialize<StoredPlan>((await artifacts.GetAsync("scaled", request.RunId, PlanReader.PlanBlobName, CancellationToken.None))!);
        Assert.Equal(4096, stored.TargetScale!.InstanceMemoryMB);
        var target = Core.Environments.RunEnvironments.Target(stored.Workload, null, stored.TargetScale);
        Assert.Equal(("azure", (int?)4096, (int?)40, (int?)8, (int?)2, "arm"), (target.Kind, target.InstanceMemoryMB, target.MaximumInstances, target.PerInstanceConcurrency, target.AlwaysReadyInstances, target.Source));
    }

    private sealed class PlanContext : TaskActivityContext
    {
        public override TaskName Name => new(nameof(PlanRunActivity));

        public override string InstanceId => "20260101-000000-abcdef";
    }

    /// <summary>An ARM view of a site that only knows its host names.</summary>
    private sealed class HostNames(FlexScaleSettings? scale, params string[] hosts) : ITargetControl
    {
        /// <summary>A site whose scale settings cannot be read (the plan still succeeds: environment capture is best effort).</summary>
        public HostNames(params string[] hosts)
            : this(null, hosts)
        {
        }

        public Task<IReadOnlyList<string>> GetHostNamesAsync(string resourceId, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string>>(hosts);

        public Task RestartAsync(string resourceId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<long> BumpColdStartSettingAsync(string resourceId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task ApplySettingAsync(string resourceId, string parameter, string value, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<string?> ReadSettingAsync(string resourceId, string parameter, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task RestoreSettingAsync(string resourceId, string parameter, string? value, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<Core.Environments.AppSettingsFingerprint> GetAppSettingsFingerprintAsync(string resourceId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<FlexScaleSettings?> GetScaleSettingsAsync(string resourceId, CancellationToken cancellationToken) =>
            scale is null ? throw new NotSupportedException() : Task.FromResult<FlexScaleSettings?>(scale);

        public Task<bool> WaitUntilServingAsync(string resourceId, Uri? probeUrl, TimeSpan timeout, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
