namespace Yardstick.Functions.Hosting;

/// <summary>
/// Names of the app settings the Functions code reads. Every name here (and every <c>%NAME%</c> in a trigger
/// attribute or host.json) must be documented in <c>infra/app-settings.json</c>; a test checks it.
/// </summary>
public static class AppSettings
{
    /// <summary>OTLP endpoint the run telemetry is exported to (<c>Yardstick.Runs</c> meter and spans); unset: no OTLP export.</summary>
    public const string OtlpEndpoint = Orchestration.Telemetry.RunTelemetryExportSettings.OtlpEndpointVariable;

    /// <summary><c>grpc</c> (default) or <c>http/protobuf</c> for <see cref="OtlpEndpoint"/>.</summary>
    public const string OtlpProtocol = Orchestration.Telemetry.RunTelemetryExportSettings.OtlpProtocolVariable;

    /// <summary>Application Insights: where the host's logs go, and the run telemetry too.</summary>
    public const string ApplicationInsights = Orchestration.Telemetry.RunTelemetryExportSettings.AzureMonitorVariable;

    /// <summary><c>Authorization=AAD[;ClientId=…]</c>: Application Insights accepts only Entra ID (local authentication off).</summary>
    public const string ApplicationInsightsAuthentication = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";

    /// <summary>Results storage: an account endpoint URI (identity-based) or a connection string (local, Azurite).</summary>
    public const string Storage = "YARDSTICK_STORAGE";

    /// <summary>Client id of the user-assigned identity that <c>DefaultAzureCredential</c> should use.</summary>
    public const string AzureClientId = "AZURE_CLIENT_ID";

    /// <summary>Comma-separated target allow-list (host names, <c>*.suffix</c> wildcards, IP addresses).</summary>
    public const string AllowedHosts = "YARDSTICK_ALLOWED_HOSTS";

    /// <summary>What <c>schedule: nightly</c> stands for (six-field NCRONTAB, UTC; default <c>0 0 2 * * *</c>); read by <see cref="Schedules.ScheduledRuns"/>.</summary>
    public const string NightlySchedule = "YARDSTICK_NIGHTLY_SCHEDULE";

    /// <summary>Durable task hub name; read by the host from host.json as <c>%YARDSTICK_TASK_HUB%</c>.</summary>
    public const string TaskHub = "YARDSTICK_TASK_HUB";

    /// <summary>Seconds to wait before reading Azure Monitor's billing metrics after a run (default 300: they land minutes late).</summary>
    public const string MeteredCostDelaySeconds = "YARDSTICK_METERED_DELAY_SECONDS";

    /// <summary>Instance memory (MB) of this benchmarking app, for the benchmark's own cost (default 2048).</summary>
    public const string InstanceMemoryMB = "YARDSTICK_INSTANCE_MEMORY_MB";

    /// <summary>ARM region of this benchmarking app, for the benchmark's own cost (default: the platform's <c>REGION_NAME</c>).</summary>
    public const string Region = "YARDSTICK_REGION";

    /// <summary>Set by the App Service platform: the app's region display name (for example <c>East US</c>).</summary>
    public const string PlatformRegionName = "REGION_NAME";

    /// <summary>The host's storage (and the Durable task hub's): a connection string, or the <c>__blobServiceUri</c> + identity form.</summary>
    public const string HostStorage = "AzureWebJobsStorage";

    /// <summary>The blob endpoint of the identity-based <see cref="HostStorage"/> (<c>AzureWebJobsStorage__blobServiceUri</c>).</summary>
    public const string HostStorageBlobUri = "AzureWebJobsStorage__blobServiceUri";

    /// <summary>The identity of the identity-based <see cref="HostStorage"/> (<c>AzureWebJobsStorage__clientId</c>).</summary>
    public const string HostStorageClientId = "AzureWebJobsStorage__clientId";

    /// <summary><c>true</c> admits targets in Yardstick's own resource group (its own app never); set by the deployment.</summary>
    public const string AllowOwnResourceGroup = Orchestration.Hosting.AzureTargetGuard.AllowOwnResourceGroupSetting;

    /// <summary>Set by the App Service platform: this app's name (written into the task hub's owner marker; a run can never target it).</summary>
    public const string PlatformSiteName = "WEBSITE_SITE_NAME";

    /// <summary>Set by the App Service platform: this app's resource group.</summary>
    public const string PlatformResourceGroup = "WEBSITE_RESOURCE_GROUP";

    /// <summary>Set by the App Service platform: <c>&lt;subscription id&gt;+&lt;webspace&gt;</c>.</summary>
    public const string PlatformOwnerName = "WEBSITE_OWNER_NAME";

    /// <summary>Default alerts for workloads without <c>alerts:</c> (the same block, as JSON; references only to <c>YARDSTICK_SECRET_*</c>).</summary>
    public const string Alerts = Core.Alerts.AlertDefaults.SettingName;

    /// <summary>The https address people open the app at; alerts link to the trend and the run under it (unset: no links).</summary>
    public const string PublicUrl = Core.Alerts.PublicUrl.SettingName;

    /// <summary>Seconds <c>POST /api/gate</c> waits for the verdict before answering 202 (1–200; default 170).</summary>
    public const string GateBudgetSeconds = "YARDSTICK_GATE_BUDGET_SECONDS";

    /// <summary>Most runs the app carries at once (1–1000; default 4); starts beyond it answer 429.</summary>
    public const string MaxConcurrentRuns = "YARDSTICK_MAX_CONCURRENT_RUNS";
}
