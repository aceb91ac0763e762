using System.Globalization;
using System.Text.Json;
using Yardstick.Azure.Rest;

namespace Yardstick.Azure.Metrics;

/// <summary>
/// Reads Azure Monitor metric responses defensively: aggregations that were not requested come back null or
/// absent, empty bins have no value, a metric may carry an <c>errorCode</c> instead of data (GetMetricError.json).
/// </summary>
internal static class MetricsParser
{
    /// <summary>The ARM response <c>{cost, timespan, interval, namespace, resourceregion, value:[metric…]}</c>.</summary>
    public static MetricsResponse ParseResponse(JsonElement root, AzureRestResponse source)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw source.Malformed("expected an object with a 'value' array");
        }

        if (JsonRead.Property(root, "value") is not { ValueKind: JsonValueKind.Array } metrics)
        {
            throw source.Malformed("the 'value' array of metrics is missing");
        }

        return new MetricsResponse
        {
            Timespan = JsonRead.String(root, "timespan"),
            Interval = JsonRead.String(root, "interval"),
            Namespace = JsonRead.String(root, "namespace"),
            ResourceRegion = JsonRead.String(root, "resourceregion"),
            ResourceId = JsonRead.String(root, "resourceid"),
            Metrics = metrics.EnumerateArray().Select(m => ParseMetric(m, source)).ToList(),
        };
    }

    /// <summary>The batch response <c>{values:[{starttime, endtime, interval, namespace, resourceregion, resourceid, value:[…]}]}</c>.</summary>
    public static IReadOnlyList<MetricsResponse> ParseBatch(JsonElement root, AzureRestResponse source)
    {
        if (JsonRead.Property(root, "values") is not { ValueKind: JsonValueKind.Array } values)
        {
            throw source.Malformed("the 'values' array of the batch response is missing");
        }

        return values.EnumerateArray()
            .Select(v =>
            {
                var response = ParseResponse(v, source);
                var start = JsonRead.String(v, "starttime");
                var end = JsonRead.String(v, "endtime");
                return response.Timespan is null && start is not null && end is not null
                    ? response with { Timespan = $"{start}/{end}" }
                    : response;
            })
            .ToList();
    }

    private static MetricResult ParseMetric(JsonElement metric, AzureRestResponse source)
    {
        var nameElement = JsonRead.Property(metric, "name");
        var name = nameElement switch
        {
            { ValueKind: JsonValueKind.Object } n => JsonRead.String(n, "value"),
            { ValueKind: JsonValueKind.String } s => s.GetString(),
            _ => null,
        };
        if (string.IsNullOrEmpty(name))
        {
            throw source.Malformed("a metric has no name.value");
        }

        return new MetricResult
        {
            Name = name,
            Unit = JsonRead.String(metric, "unit"),
            ErrorCode = JsonRead.String(metric, "errorCode"),
            ErrorMessage = JsonRead.String(metric, "errorMessage"),
            TimeSeries = JsonRead.Array(metric, "timeseries").Select(ParseSeries).ToList(),
        };
    }

    private static MetricTimeSeries ParseSeries(JsonElement series)
    {
        var dimensions = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var metadata in JsonRead.Array(series, "metadatavalues"))
        {
            var key = JsonRead.Property(metadata, "name") is { ValueKind: JsonValueKind.Object } n ? JsonRead.String(n, "value") : JsonRead.String(metadata, "name");
            if (key is not null)
            {
                dimensions[key] = JsonRead.String(metadata, "value") ?? "";
            }
        }

        return new MetricTimeSeries
        {
            Dimensions = dimensions,
            Data = JsonRead.Array(series, "data").Select(ParsePoint).ToList(),
        };
    }

    private static MetricPoint ParsePoint(JsonElement point) => new()
    {
        TimeStamp = DateTimeOffset.TryParse(JsonRead.String(point, "timeStamp"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : default,
        Total = JsonRead.Double(point, "total"),
        Average = JsonRead.Double(point, "average"),
        Minimum = JsonRead.Double(point, "minimum"),
        Maximum = JsonRead.Double(point, "maximum"),
        Count = JsonRead.Double(point, "count"),
    };
}
