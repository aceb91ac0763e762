namespace Yardstick.Core.Verdicts;

/// <summary>
/// What the verdict engine knows about one run (or one measured round, the unit of replication): its run-level values
/// and its per-second windows.
/// </summary>
/// <param name="RunId">The run (or round) identifier, for explanations and traces.</param>
/// <param name="Values">Run-level values keyed by <see cref="MetricKeys"/> (<c>p50</c>, <c>p95</c>, <c>errorRate</c>,
/// <c>throughput</c>, …) in their canonical units: milliseconds, fractions, requests/s, USD. Any may be missing.
/// Optional <c>requests</c> and <c>errors</c> counts stand in for windows when comparing error rates.</param>
/// <param name="Windows">Per-second windows in time order; may be empty when only run-level values are known.</param>
public sealed record RunMetrics(string RunId, IReadOnlyDictionary<string, double> Values, IReadOnlyList<WindowSample> Windows)
{
    /// <summary>
    /// The named requests of a mix, each as its own sample (values in the same keys — <c>p95</c>, <c>errorRate</c> — and
    /// the request's own windows): what <c>checkout.p95</c> is judged on.
    /// </summary>
    public IReadOnlyDictionary<string, RunMetrics> Requests { get; init; } = new Dictionary<string, RunMetrics>();

    /// <summary>The sample of request <paramref name="name"/>, or an empty one when the run did not send it.</summary>
    public RunMetrics ForRequest(string name) =>
        Requests.TryGetValue(name, out var request) ? request : new RunMetrics($"{RunId}/{name}", new Dictionary<string, double>(), []);

    /// <summary>The value of <paramref name="metric"/> when present and finite.</summary>
    public double? Value(string metric) =>
        Values.TryGetValue(metric, out var v) && double.IsFinite(v) ? v : null;

    /// <summary>Requests and errors of the run: summed over windows, else the <c>requests</c>/<c>errors</c> values.</summary>
    public (long Requests, long Errors)? Counts()
    {
        if (Windows.Count > 0)
        {
            long requests = 0, errors = 0;
            foreach (var w in Windows)
            {
                requests += w.Requests;
                errors += w.Errors;
            }

            return requests > 0 ? (requests, errors) : null;
        }

        return Value(MetricKeys.Requests) is { } r && r > 0 && Value(MetricKeys.Errors) is { } e
            ? ((long)r, (long)e)
            : null;
    }
}

/// <summary>One per-second window of a run.</summary>
/// <param name="Requests">Requests completed in the window (successes and errors).</param>
/// <param name="Errors">Of which errors.</param>
/// <param name="Latency">The window's latency distribution as (value, count) buckets.</param>
public sealed record WindowSample(long Requests, long Errors, IReadOnlyList<LatencyBucket> Latency);

/// <summary>A latency histogram bucket: <paramref name="Count"/> requests took <paramref name="ValueMs"/> milliseconds.</summary>
public readonly record struct LatencyBucket(double ValueMs, long Count);
