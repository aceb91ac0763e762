namespace Yardstick.Azure.Metrics;

/// <summary>Aggregations Azure Monitor returns per data point.</summary>
public enum MetricAggregation
{
    Total,
    Average,
    Minimum,
    Maximum,
    Count,
}

/// <summary>One metrics response: for one resource (ARM call, or one entry of a batch).</summary>
public sealed record MetricsResponse
{
    public string? Timespan { get; init; }

    public string? Interval { get; init; }

    public string? Namespace { get; init; }

    public string? ResourceRegion { get; init; }

    /// <summary>Set by the batch API (one response per resource).</summary>
    public string? ResourceId { get; init; }

    public IReadOnlyList<MetricResult> Metrics { get; init; } = [];

    /// <summary>The metric of this name (case-insensitive), or null.</summary>
    public MetricResult? Find(string name) =>
        Metrics.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase));
}

/// <summary>One metric: its time series, or the error Azure Monitor reported for it.</summary>
public sealed record MetricResult
{
    public required string Name { get; init; }

    public string? Unit { get; init; }

    /// <summary><c>Success</c>, another code (for example <c>InvalidSamplingType</c>) or null when absent.</summary>
    public string? ErrorCode { get; init; }

    public string? ErrorMessage { get; init; }

    public IReadOnlyList<MetricTimeSeries> TimeSeries { get; init; } = [];

    public bool IsError => ErrorCode is not null && !string.Equals(ErrorCode, "Success", StringComparison.OrdinalIgnoreCase);

    /// <summary>Σ of one aggregation over every series and data point (missing or null values count as 0).</summary>
    public double Sum(MetricAggregation aggregation) =>
        TimeSeries.Sum(s => s.Data.Sum(p => p.Get(aggregation) ?? 0));

    /// <summary>Data points that carried the aggregation.</summary>
    public int PointsWith(MetricAggregation aggregation) =>
        TimeSeries.Sum(s => s.Data.Count(p => p.Get(aggregation) is not null));
}

/// <summary>One series: the dimension values it is split by and its data points.</summary>
public sealed record MetricTimeSeries
{
    public IReadOnlyDictionary<string, string> Dimensions { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<MetricPoint> Data { get; init; } = [];
}

/// <summary>One data point; aggregations that were not requested (or empty bins) are null.</summary>
public sealed record MetricPoint
{
    public DateTimeOffset TimeStamp { get; init; }

    public double? Total { get; init; }

    public double? Average { get; init; }

    public double? Minimum { get; init; }

    public double? Maximum { get; init; }

    public double? Count { get; init; }

    public double? Get(MetricAggregation aggregation) => aggregation switch
    {
        MetricAggregation.Total => Total,
        MetricAggregation.Average => Average,
        MetricAggregation.Minimum => Minimum,
        MetricAggregation.Maximum => Maximum,
        MetricAggregation.Count => Count,
        _ => null,
    };
}
