using Azure.Core;

namespace Yardstick.Azure.Rest;

/// <summary>
/// Options shared by Yardstick's Azure REST clients: the endpoint (tests point it at a loopback server) plus
/// Azure.Core's retry, transport and diagnostics settings. Retries: exponential backoff on 408, 429, 500, 502,
/// 503, 504 and network errors, honouring <c>Retry-After</c> (Azure.Core's default retry policy).
/// </summary>
public abstract class YardstickAzureClientOptions : ClientOptions
{
    protected YardstickAzureClientOptions(Uri endpoint)
    {
        Endpoint = endpoint;
        Retry.MaxRetries = 4;
        Retry.Delay = TimeSpan.FromSeconds(1);
        Retry.MaxDelay = TimeSpan.FromSeconds(60);
        Retry.Mode = RetryMode.Exponential;
    }

    /// <summary>Base URI of the API.</summary>
    public Uri Endpoint { get; set; }
}

/// <summary>ARM Web Apps (<c>Microsoft.Web/sites</c>), api-version 2024-04-01.</summary>
public sealed class WebAppsClientOptions : YardstickAzureClientOptions
{
    public const string DefaultApiVersion = "2024-04-01";

    public WebAppsClientOptions()
        : base(new Uri("https://management.azure.com"))
    {
        // A synchronous restart blocks until the app is back up: give it longer than the 100 s default.
        Retry.NetworkTimeout = TimeSpan.FromMinutes(5);
    }

    public string ApiVersion { get; set; } = DefaultApiVersion;

    /// <summary>Poll interval for long-running ARM operations (a 202 with Azure-AsyncOperation/Location) without Retry-After.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Give up waiting for a long-running ARM operation after this long.</summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromMinutes(10);
}

/// <summary>Azure Monitor metrics: ARM (<c>…/providers/Microsoft.Insights/metrics</c>, 2023-10-01) and the regional batch data plane (2024-02-01).</summary>
public sealed class MonitorMetricsClientOptions : YardstickAzureClientOptions
{
    public MonitorMetricsClientOptions()
        : base(new Uri("https://management.azure.com"))
    {
    }

    public string ApiVersion { get; set; } = "2023-10-01";

    public string BatchApiVersion { get; set; } = "2024-02-01";

    /// <summary>Batch endpoint; <c>{region}</c> is replaced by the resources' region.</summary>
    public string BatchEndpointTemplate { get; set; } = "https://{region}.metrics.monitor.azure.com";
}

/// <summary>Log Analytics query API v1.</summary>
public sealed class LogAnalyticsClientOptions : YardstickAzureClientOptions
{
    /// <summary>How much longer than <see cref="QueryTimeout"/> the client waits for the answer on the wire.</summary>
    public static readonly TimeSpan NetworkTimeoutMargin = TimeSpan.FromSeconds(30);

    private TimeSpan _queryTimeout;

    public LogAnalyticsClientOptions()
        : base(new Uri("https://api.loganalytics.io"))
    {
        QueryTimeout = TimeSpan.FromMinutes(3);
    }

    /// <summary>
    /// Server-side query timeout asked for with the <c>Prefer: wait=N</c> header. Setting it also sets
    /// <c>Retry.NetworkTimeout</c> to this plus <see cref="NetworkTimeoutMargin"/>: Azure.Core's default of 100 s would
    /// otherwise drop (and retry) a query the service is still allowed to be running.
    /// </summary>
    public TimeSpan QueryTimeout
    {
        get => _queryTimeout;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, TimeSpan.Zero);
            _queryTimeout = value;
            Retry.NetworkTimeout = value + NetworkTimeoutMargin;
        }
    }
}

/// <summary>Azure Retail Prices API (no authentication).</summary>
public sealed class RetailPricesClientOptions : YardstickAzureClientOptions
{
    public RetailPricesClientOptions()
        : base(new Uri("https://prices.azure.com"))
    {
    }

    /// <summary>Stop following <c>NextPageLink</c> after this many pages (a guard against a looping API).</summary>
    public int MaxPages { get; set; } = 200;
}
