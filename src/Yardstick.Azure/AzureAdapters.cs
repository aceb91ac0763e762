using Azure.Core;
using Azure.Identity;
using Yardstick.Azure.LogAnalytics;
using Yardstick.Azure.Metrics;
using Yardstick.Azure.Pricing;
using Yardstick.Azure.Rest;
using Yardstick.Azure.WebApps;
using Yardstick.Core.Load.Safety;
using Yardstick.Core.Ports;

namespace Yardstick.Azure;

/// <summary>
/// The Azure adapters wired together for a host: one credential (DefaultAzureCredential unless given) and
/// default endpoints. The identity needs Monitoring Reader, Log Analytics Reader and the custom target operator role
/// (AZURE-FACTS §5, infra/app/target-rbac.bicep); the Retail Prices API needs none.
/// </summary>
public sealed class AzureAdapters
{
    public AzureAdapters(TokenCredential? credential = null, TimeProvider? timeProvider = null)
    {
        var time = timeProvider ?? TimeProvider.System;
        Credential = credential ?? new DefaultAzureCredential();
        Metrics = new MonitorMetricsClient(Credential, new MonitorMetricsClientOptions());
        LogAnalytics = new LogAnalyticsClient(Credential, new LogAnalyticsClientOptions());
        WebApps = new WebAppsClient(Credential, new WebAppsClientOptions(), time);
        RetailPrices = new RetailPricesClient(new RetailPricesClientOptions());
        MeteredCost = new AzureMeteredCostSource(Metrics);
        ServerMetrics = new AzureServerMetricsSource(Metrics, time);
        PricingCatalogBuilder = new PricingCatalogBuilder(RetailPrices, time);
        Time = time;
    }

    public TokenCredential Credential { get; }

    public TimeProvider Time { get; }

    /// <summary><see cref="IMetricsSource"/>.</summary>
    public MonitorMetricsClient Metrics { get; }

    /// <summary><see cref="IServerTelemetrySource"/>.</summary>
    public LogAnalyticsClient LogAnalytics { get; }

    public WebAppsClient WebApps { get; }

    public RetailPricesClient RetailPrices { get; }

    public IMeteredCostSource MeteredCost { get; }

    /// <summary>The Flex server metrics for <c>server-metrics.json</c> (<see cref="MonitorServerMetrics"/>).</summary>
    public IServerMetricsSource ServerMetrics { get; }

    /// <summary>For <c>yardstick pricing refresh --region &lt;r&gt;</c>.</summary>
    public PricingCatalogBuilder PricingCatalogBuilder { get; }

    /// <summary>
    /// <see cref="ITargetControl"/>; its readiness probes connect through <see cref="TargetConnector"/> under the host's
    /// <paramref name="policy"/>, like the load itself (a probe is a request to the target too).
    /// </summary>
    public ITargetControl TargetControl(TargetPolicy policy) =>
        new AzureTargetControl(WebApps, TargetConnector.CreateProbeClient(policy, TimeSpan.FromSeconds(30)), Time);
}
