using Yardstick.Core.Measurements;
using Yardstick.Core.Summaries;

namespace Yardstick.Core.Verdicts;

/// <summary>
/// Builds the verdict engine's units of replication from a stored run: its <c>summary.json</c> and merged timeline.
/// <list type="bullet">
/// <item>With two or more measured rounds (<c>compare.repeat ≥ 2</c>) every round is one run-level sample, from its
/// <see cref="RoundSummary"/> (percentiles, throughput, request and error counts). The rounds share the run's timeline, so
/// they carry no windows.</item>
/// <item>Otherwise the run is one sample: its run-level values and its per-second windows.</item>
/// </list>
/// Metrics measured once per run (cold-start p50, cost per request) go on the first sample only: copying them onto every
/// round would claim a spread of zero.
/// </summary>
public static class RunMetricsFactory
{
    /// <summary>The samples of one stored run (see the type remarks).</summary>
    /// <param name="summary">The run's <c>summary.json</c>.</param>
    /// <param name="timeline">The run's merged per-second windows (<c>timeline.json</c>); may be empty.</param>
    /// <param name="variant">The sweep variant whose rounds are used (<c>""</c> without a sweep).</param>
    /// <param name="requestTimelines">A mix's per-request windows by request name (<c>request-timelines.json</c>); may be null.</param>
    public static IReadOnlyList<RunMetrics> FromRun(
        RunSummary summary, IReadOnlyList<TimelineWindow> timeline, string variant = "", IReadOnlyDictionary<string, IReadOnlyList<TimelineWindow>>? requestTimelines = null)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(timeline);
        var rounds = summary.Rounds.Where(r => r.Variant == variant && r.Requests > 0).OrderBy(r => r.Round).ToList();
        if (rounds.Count >= 2)
        {
            return rounds.Select((round, i) => FromRound(summary, round, withRunOnlyValues: i == 0)).ToList();
        }

        return
        [
            new RunMetrics(summary.RunId, RunValues(summary), WindowSamples.From(timeline))
            {
                Requests = summary.PerRequest.Where(r => r.Requests > 0).ToDictionary(
                    r => r.Name,
                    r => new RunMetrics(
                        $"{summary.RunId}/{r.Name}",
                        CountValues(r.LatencyMs, r.Requests, r.Errors, r.ThroughputRps),
                        requestTimelines?.GetValueOrDefault(r.Name) is { } windows ? WindowSamples.From(windows) : []),
                    StringComparer.Ordinal),
            },
        ];
    }

    /// <summary>
    /// The pairs of a paired A/B gate (<c>compare.against</c>): per measured round, the reference's round (variant
    /// <paramref name="referenceVariant"/>) and the candidate's (variant <c>""</c>); a round that either side lost (no
    /// requests) is left out. Run-only metrics (cold start, cost) belong to neither pair.
    /// </summary>
    public static IReadOnlyList<PairedRound> Pairs(RunSummary summary, string referenceVariant)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var reference = summary.Rounds.Where(r => r.Variant == referenceVariant && r.Requests > 0).ToDictionary(r => r.Round);
        return summary.Rounds
            .Where(r => r.Variant.Length == 0 && r.Requests > 0 && reference.ContainsKey(r.Round))
            .OrderBy(r => r.Round)
            .Select(r => new PairedRound(FromRound(summary, reference[r.Round], withRunOnlyValues: false, "/" + referenceVariant), FromRound(summary, r, withRunOnlyValues: false)))
            .ToList();
    }

    /// <summary>One measured round as a sample: its percentiles, throughput, counts and per-request figures.</summary>
    private static RunMetrics FromRound(RunSummary summary, RoundSummary round, bool withRunOnlyValues, string idSuffix = "")
    {
        var values = LatencyValues(round.LatencyMs, round.Requests);
        values[MetricKeys.Throughput] = round.ThroughputRps;
        values[MetricKeys.Requests] = round.Requests;
        values[MetricKeys.Errors] = round.Errors;
        values[MetricKeys.ErrorRate] = (double)round.Errors / round.Requests;
        if (withRunOnlyValues)
        {
            AddRunOnlyValues(values, summary);
        }

        var id = $"{summary.RunId}/r{round.Round}{idSuffix}";
        return new RunMetrics(id, values, [])
        {
            Requests = round.PerRequest.Where(r => r.Requests > 0).ToDictionary(
                r => r.Name,
                r => new RunMetrics($"{id}/{r.Name}", CountValues(r.LatencyMs, r.Requests, r.Errors, r.ThroughputRps), []),
                StringComparer.Ordinal),
        };
    }

    /// <summary>A request's values: percentiles, throughput, counts and error rate.</summary>
    private static Dictionary<string, double> CountValues(LatencySummary latency, long requests, long errors, double throughput)
    {
        var values = LatencyValues(latency, requests);
        values[MetricKeys.Requests] = requests;
        values[MetricKeys.Errors] = errors;
        if (requests > 0)
        {
            values[MetricKeys.ErrorRate] = (double)errors / requests;
            values[MetricKeys.Throughput] = throughput;
        }

        return values;
    }

    /// <summary>Whole-run values of a summary in the engine's units (ms, fraction, req/s, USD); missing ones left out.</summary>
    public static Dictionary<string, double> RunValues(RunSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var values = LatencyValues(summary.LatencyMs, summary.Requests);
        values[MetricKeys.Requests] = summary.Requests;
        values[MetricKeys.Errors] = summary.Errors;
        if (summary.Requests > 0)
        {
            values[MetricKeys.ErrorRate] = (double)summary.Errors / summary.Requests;
            values[MetricKeys.Throughput] = summary.ThroughputRps;
        }

        AddRunOnlyValues(values, summary);
        return values;
    }

    private static Dictionary<string, double> LatencyValues(LatencySummary latency, long requests)
    {
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        if (requests <= 0)
        {
            return values;
        }

        // A zero percentile means "nothing recorded" (all requests failed before timing): leave it out.
        AddPositive(values, MetricKeys.P50, latency.P50);
        AddPositive(values, MetricKeys.P90, latency.P90);
        AddPositive(values, MetricKeys.P95, latency.P95);
        AddPositive(values, MetricKeys.P99, latency.P99);
        return values;
    }

    private static void AddRunOnlyValues(Dictionary<string, double> values, RunSummary summary)
    {
        if (summary.ColdStart?.ColdP50Ms is { } cold)
        {
            AddPositive(values, MetricKeys.ColdStartP50, cold);
        }

        if (summary.Cost?.PerRequestUsd is { } cost)
        {
            AddPositive(values, MetricKeys.CostPerRequest, cost);
        }
    }

    private static void AddPositive(Dictionary<string, double> values, string metric, double value)
    {
        if (value > 0 && double.IsFinite(value))
        {
            values[metric] = value;
        }
    }
}
