namespace Yardstick.Azure.Rest;

/// <summary>
/// One Azure API Yardstick calls: its name (in errors), the token scope, and the role an identity needs for it
/// (named when the API answers 401/403). Role ids are in AZURE-FACTS §5.
/// </summary>
public sealed record AzureApi(string Name, string? Scope, string? RequiredRole)
{
    public static AzureApi MonitorMetrics { get; } =
        new("Azure Monitor metrics", "https://management.azure.com/.default", "Monitoring Reader (43d0d8ad-25c7-4714-9337-8ba259a9fe05) on the function app");

    public static AzureApi MonitorMetricsBatch { get; } =
        new("Azure Monitor metrics batch", "https://metrics.monitor.azure.com/.default", "Monitoring Reader (43d0d8ad-25c7-4714-9337-8ba259a9fe05) on the resources");

    public static AzureApi LogAnalytics { get; } =
        new("Log Analytics query", "https://api.loganalytics.io/.default", "Log Analytics Reader (73c42c96-874c-492b-b04d-ab87d138a893) on the workspace");

    public static AzureApi WebApps { get; } =
        new("ARM Web Apps", "https://management.azure.com/.default", "the Yardstick target operator role (infra/app/target-rbac.bicep: Microsoft.Web/sites read, write, restart, config list/write) on the function app's resource group");

    public static AzureApi RetailPrices { get; } = new("Azure Retail Prices", null, null);
}
