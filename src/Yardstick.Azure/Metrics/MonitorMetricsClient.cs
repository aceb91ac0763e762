using Azure.Core;
using Yardstick.Azure.Rest;
using Yardstick.Core;
using Yardstick.Core.Ports;

namespace Yardstick.Azure.Metrics;

/// <summary>
/// Azure Monitor metrics over REST (Azure.Monitor.Query is not used): the ARM metrics API for one resource and
/// the regional data-plane batch API for up to 50 resources of one subscription and region (AZURE-FACTS §2).
/// </summary>
public sealed class MonitorMetricsClient : IMetricsSource
{
    public const string WebSitesNamespace = "Microsoft.Web/sites";

    /// <summary>The batch API's limit (same subscription and region).</summary>
    public const int MaxBatchResources = 50;

    private readonly MonitorMetricsClientOptions _options;
    private readonly AzureRestPipeline _arm;
    private readonly AzureRestPipeline _batch;

    public MonitorMetricsClient(TokenCredential credential, MonitorMetricsClientOptions? options = null)
    {
        _options = options ?? new MonitorMetricsClientOptions();
        _arm = new AzureRestPipeline(AzureApi.MonitorMetrics, credential, _options);
        _batch = new AzureRestPipeline(AzureApi.MonitorMetricsBatch, credential, _options);
    }

    /// <summary>
    /// <c>GET {resourceId}/providers/Microsoft.Insights/metrics?api-version=2023-10-01&amp;metricnamespace=…&amp;metricnames=…&amp;timespan=…&amp;interval=PT1M&amp;aggregation=Total</c>.
    /// </summary>
    public async Task<MetricsResponse> GetMetricsAsync(
        string resourceId,
        IReadOnlyList<string> metricNames,
        DateTimeOffset from,
        DateTimeOffset to,
        CancellationToken cancellationToken,
        string metricNamespace = WebSitesNamespace,
        string interval = "PT1M",
        string aggregation = "Total")
    {
        CheckWindow(metricNames, from, to);
        var uri = AzureUris.Build(
            _options.Endpoint,
            AzureUris.ResourcePath(resourceId) + "/providers/Microsoft.Insights/metrics",
            ("api-version", _options.ApiVersion),
            ("metricnamespace", metricNamespace),
            ("metricnames", string.Join(',', metricNames)),
            ("timespan", $"{AzureUris.Iso(from)}/{AzureUris.Iso(to)}"),
            ("interval", interval),
            ("aggregation", aggregation));
        var response = await _arm.SendAsync(RequestMethod.Get, uri, null, cancellationToken);
        using var json = response.Json();
        return MetricsParser.ParseResponse(json.RootElement, response);
    }

    /// <summary>
    /// <c>POST https://{region}.metrics.monitor.azure.com/subscriptions/{sub}/metrics:getBatch?api-version=2024-02-01…</c>
    /// with <c>{"resourceids":[…]}</c>: one <see cref="MetricsResponse"/> per resource.
    /// </summary>
    public async Task<IReadOnlyList<MetricsResponse>> GetMetricsBatchAsync(
        string region,
        string subscriptionId,
        IReadOnlyList<string> resourceIds,
        IReadOnlyList<string> metricNames,
        DateTimeOffset from,
        DateTimeOffset to,
        CancellationToken cancellationToken,
        string metricNamespace = WebSitesNamespace,
        string interval = "PT1M",
        string aggregation = "total")
    {
        CheckWindow(metricNames, from, to);
        if (resourceIds.Count is 0 or > MaxBatchResources)
        {
            throw new ArgumentException($"a metrics batch takes 1 to {MaxBatchResources} resource ids, got {resourceIds.Count}", nameof(resourceIds));
        }

        if (string.IsNullOrWhiteSpace(region) || !region.All(char.IsAsciiLetterOrDigit))
        {
            throw new InputException("cost.region", $"'{region}' is not an ARM region name (for example eastus)");
        }

        foreach (var id in resourceIds)
        {
            var path = AzureUris.ResourcePath(id);
            if (!path.StartsWith($"/subscriptions/{subscriptionId}/", StringComparison.OrdinalIgnoreCase))
            {
                throw new ArgumentException($"resource {id} is not in subscription {subscriptionId}: a batch must stay in one subscription and region", nameof(resourceIds));
            }
        }

        var endpoint = new Uri(_options.BatchEndpointTemplate.Replace("{region}", region.ToLowerInvariant(), StringComparison.Ordinal));
        var uri = AzureUris.Build(
            endpoint,
            $"/subscriptions/{Uri.EscapeDataString(subscriptionId)}/metrics:getBatch",
            ("api-version", _options.BatchApiVersion),
            ("metricnamespace", metricNamespace),
            ("metricnames", string.Join(',', metricNames)),
            ("starttime", AzureUris.Iso(from)),
            ("endtime", AzureUris.Iso(to)),
            ("interval", interval),
            ("aggregation", aggregation));
        var body = BinaryData.FromObjectAsJson(new { resourceids = resourceIds });
        var response = await _batch.SendAsync(RequestMethod.Post, uri, body, cancellationToken);
        using var json = response.Json();
        return MetricsParser.ParseBatch(json.RootElement, response);
    }

    /// <inheritdoc />
    public async Task<MetricTotals> GetTotalsAsync(string resourceId, IReadOnlyList<string> metricNames, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var response = await GetMetricsAsync(resourceId, metricNames, from, to, cancellationToken);
        var totals = new Dictionary<string, double>(StringComparer.Ordinal);
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in metricNames)
        {
            var metric = response.Find(name);
            if (metric is null)
            {
                continue;
            }

            if (metric.IsError)
            {
                errors[name] = metric.ErrorMessage is null ? metric.ErrorCode! : $"{metric.ErrorCode}: {metric.ErrorMessage}";
                continue;
            }

            totals[name] = metric.Sum(MetricAggregation.Total);
        }

        return new MetricTotals { Totals = totals, Errors = errors };
    }

    private static void CheckWindow(IReadOnlyList<string> metricNames, DateTimeOffset from, DateTimeOffset to)
    {
        if (metricNames.Count == 0 || metricNames.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("at least one metric name is needed, none blank", nameof(metricNames));
        }

        if (to <= from)
        {
            throw new ArgumentException($"the window must end after it starts ({from:o} … {to:o})", nameof(to));
        }
    }
}
