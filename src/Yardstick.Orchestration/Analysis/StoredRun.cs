using HdrHistogram;
using Yardstick.Core;
using Yardstick.Core.Measurements;
using Yardstick.Core.Ports;
using Yardstick.Core.Summaries;
using Yardstick.Reports;
using Yardstick.Core.Verdicts;
using Yardstick.Orchestration.Contracts;
using Yardstick.Orchestration.Hosting;

namespace Yardstick.Orchestration.Analysis;

/// <summary>What the analysis reads of a stored run: its summary, merged timeline, latency histogram and plan.</summary>
/// <param name="Summary">The run's <c>summary.json</c>.</param>
/// <param name="Timeline">Merged per-second windows (<c>timeline.json</c>); empty when not stored.</param>
/// <param name="Latency">Merged latency histogram in µs (<c>histograms/latency.hdr</c>), or null when not stored.</param>
/// <param name="Plan">The run's <c>plan.json</c> (validated workload, settings hash), or null when not stored.</param>
public sealed record StoredRun(RunSummary Summary, IReadOnlyList<TimelineWindow> Timeline, HistogramBase? Latency, StoredPlan? Plan)
{
    public string RunId => Summary.RunId;

    /// <summary>A mix's per-second windows per named request (<c>request-timelines.json</c>); empty for a single target.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<TimelineWindow>> RequestTimelines { get; init; } = new Dictionary<string, IReadOnlyList<TimelineWindow>>();

    /// <summary>A mix's merged latency histogram per named request (µs); empty for a single target or when not stored.</summary>
    public IReadOnlyDictionary<string, HistogramBase> RequestLatency { get; init; } = new Dictionary<string, HistogramBase>();

    /// <summary>The target's own series (<c>server-metrics.json</c>), or null when none were stored.</summary>
    public Core.ServerMetrics.ServerMetricSet? ServerMetrics { get; init; }

    /// <summary>The verdict engine's samples of this run (<see cref="RunMetricsFactory.FromRun"/>).</summary>
    public IReadOnlyList<RunMetrics> Samples() => RunMetricsFactory.FromRun(Summary, Timeline, requestTimelines: RequestTimelines);

    /// <summary>Whether the run measured anything a verdict can use.</summary>
    public bool IsUsable => Summary.Status is "completed" or "degraded" && Summary.Requests > 0;
}

/// <summary>Reads <see cref="StoredRun"/>s from the artifact store.</summary>
public sealed class RunArtifactReader(IArtifactStore artifacts)
{
    public const string LatencyHistogramBlobName = "histograms/latency.hdr";

    /// <summary>The run's artifacts, or null when it has no <c>summary.json</c> (not persisted, or unknown).</summary>
    /// <exception cref="System.Text.Json.JsonException">A stored document is not valid JSON of its type.</exception>
    /// <exception cref="FormatException">The stored histogram is not an encoded histogram.</exception>
    public async Task<StoredRun?> ReadAsync(string workload, string runId, CancellationToken cancellationToken)
    {
        var summaryBytes = await artifacts.GetAsync(workload, runId, ReportFormats.SummaryBlobName, cancellationToken);
        if (summaryBytes is null)
        {
            return null;
        }

        var summary = YardstickJson.Deserialize<RunSummary>(summaryBytes);
        var timelineBytes = await artifacts.GetAsync(workload, runId, Activities.PersistRunActivity.TimelineBlobName, cancellationToken);
        var timeline = timelineBytes is null ? [] : YardstickJson.Deserialize<List<TimelineWindow>>(timelineBytes);
        var histogramBytes = await artifacts.GetAsync(workload, runId, LatencyHistogramBlobName, cancellationToken);
        var latency = histogramBytes is null ? null : HistogramCodec.Decode(new EncodedHistogram(System.Text.Encoding.ASCII.GetString(histogramBytes).Trim()));
        var planBytes = await artifacts.GetAsync(workload, runId, PlanReader.PlanBlobName, cancellationToken);
        var plan = planBytes is null ? null : YardstickJson.Deserialize<StoredPlan>(planBytes);
        var requestTimelines = new Dictionary<string, IReadOnlyList<TimelineWindow>>(StringComparer.Ordinal);
        var requestLatency = new Dictionary<string, HistogramBase>(StringComparer.Ordinal);
        if (summary.PerRequest.Count > 0)
        {
            var timelinesBytes = await artifacts.GetAsync(workload, runId, Activities.PersistRunActivity.RequestTimelinesBlobName, cancellationToken);
            if (timelinesBytes is not null)
            {
                foreach (var (name, windows) in YardstickJson.Deserialize<Dictionary<string, List<TimelineWindow>>>(timelinesBytes))
                {
                    requestTimelines[name] = windows;
                }
            }

            foreach (var request in summary.PerRequest)
            {
                var bytes = await artifacts.GetAsync(workload, runId, Activities.PersistRunActivity.RequestHistogramBlobName(request.Name), cancellationToken);
                if (bytes is not null)
                {
                    requestLatency[request.Name] = HistogramCodec.Decode(new EncodedHistogram(System.Text.Encoding.ASCII.GetString(bytes).Trim()));
                }
            }
        }

        var serverBytes = await artifacts.GetAsync(workload, runId, Activities.PersistRunActivity.ServerMetricsBlobName, cancellationToken);
        var server = serverBytes is null ? null : YardstickJson.Deserialize<Core.ServerMetrics.ServerMetricSet>(serverBytes);
        return new StoredRun(summary, timeline, latency, plan) { RequestTimelines = requestTimelines, RequestLatency = requestLatency, ServerMetrics = server };
    }
}
