using HdrHistogram;
using Yardstick.Core.Measurements;
using Yardstick.Core.ServerMetrics;
using Yardstick.Core.Summaries;

namespace Yardstick.Reports;

/// <summary>
/// Everything a report renderer (<see cref="MarkdownReport"/>, <see cref="HtmlReport"/>, <see cref="JUnitReport"/>)
/// needs: the candidate's <c>summary.json</c> (with its verdict, when the analysis ran), the baseline's, the
/// candidate's per-second timeline and the latency distributions. Renderers are pure functions of this record.
/// </summary>
public sealed record RunReport
{
    /// <summary>The run being reported. <see cref="RunSummary.Verdict"/> may be null (not analysed) or <c>no-baseline</c>.</summary>
    public required RunSummary Candidate { get; init; }

    /// <summary>Summary of the (first) baseline run, when there is one.</summary>
    public RunSummary? Baseline { get; init; }

    /// <summary>The candidate's measured windows, merged per second across shards.</summary>
    public IReadOnlyList<TimelineWindow> Timeline { get; init; } = [];

    /// <summary>The target's own series over the measured seconds (<c>server-metrics.json</c>), when they were sampled.</summary>
    public ServerMetricSet? ServerMetrics { get; init; }

    /// <summary>The candidate's latency distribution (see <see cref="PercentileCurve.From"/>); empty when nothing was measured.</summary>
    public IReadOnlyList<PercentilePoint> CandidateDistribution { get; init; } = [];

    /// <summary>The baseline's latency distribution, when a baseline exists.</summary>
    public IReadOnlyList<PercentilePoint>? BaselineDistribution { get; init; }

    /// <summary>Cold-start probes, when the workload ran them.</summary>
    public ColdStartView? ColdStart { get; init; }

    /// <summary>Cost per request, when the workload models or meters it.</summary>
    public CostView? Cost { get; init; }

    /// <summary>
    /// Builds a report from the run summaries, the candidate's merged timeline and the latency histograms (µs) the
    /// persist step stored. Histograms may be null (not stored, or a failed run): the distribution is then empty.
    /// </summary>
    public static RunReport Create(
        RunSummary candidate,
        HistogramBase? candidateLatency,
        IReadOnlyList<TimelineWindow>? timeline = null,
        RunSummary? baseline = null,
        HistogramBase? baselineLatency = null)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        return new RunReport
        {
            Candidate = candidate,
            Baseline = baseline,
            Timeline = timeline ?? [],
            CandidateDistribution = candidateLatency is null ? [] : PercentileCurve.From(candidateLatency),
            BaselineDistribution = baselineLatency is null ? null : PercentileCurve.From(baselineLatency),
        };
    }

    /// <summary>Location of the HTML report beside the run's other artifacts, or null when the run has no storage.</summary>
    public string? HtmlReportLocation =>
        Candidate.Storage?.Artifacts is { Length: > 0 } folder ? folder.TrimEnd('/') + "/" + ReportFormats.HtmlBlobName : null;
}

/// <summary>One point of a latency distribution: the latency at or below which <paramref name="Percentile"/> % of requests finished.</summary>
/// <param name="Percentile">0–100.</param>
/// <param name="ValueMs">Latency in milliseconds.</param>
public readonly record struct PercentilePoint(double Percentile, double ValueMs);

/// <summary>
/// Cold-start probes as a report shows them: the cold/warm figures and one row per probe. Filled by the cold-start
/// step; renderers show the section only when it is present.
/// </summary>
public sealed partial record ColdStartView
{
    /// <summary>How a cold start was forced (for example <c>restart</c>, <c>idle</c>, <c>settings-touch</c>).</summary>
    public string Strategy { get; init; } = "";

    public int ColdProbes { get; init; }

    public int WarmProbes { get; init; }

    public int UnknownProbes { get; init; }

    public double? ColdP50Ms { get; init; }

    public double? ColdP90Ms { get; init; }

    public double? ColdMaxMs { get; init; }

    /// <summary>Median of the warm requests that follow each probe's first request.</summary>
    public double? WarmP50Ms { get; init; }

    /// <summary>Cold p50 minus warm p50 (what a user pays for a cold instance).</summary>
    public double? PenaltyMs { get; init; }

    public IReadOnlyList<ColdStartProbeView> Probes { get; init; } = [];

    /// <summary>The eviction curve (<c>idle</c> strategy): share of cold probes per idle time; empty otherwise.</summary>
    public IReadOnlyList<EvictionPoint> Curve { get; init; } = [];

    public int TotalProbes => ColdProbes + WarmProbes + UnknownProbes;
}

/// <summary>One cold-start probe.</summary>
public sealed record ColdStartProbeView
{
    /// <summary>1-based probe number.</summary>
    public int Probe { get; init; }

    /// <summary><c>cold</c>, <c>warm</c> or <c>unknown</c>.</summary>
    public required string Classification { get; init; }

    /// <summary>Latency of the probe's first request (null when it failed).</summary>
    public double? FirstRequestMs { get; init; }

    /// <summary>Median of the warm requests after the first one.</summary>
    public double? WarmP50Ms { get; init; }

    /// <summary>The serving instance that answered (response header or telemetry), when known.</summary>
    public string? InstanceId { get; init; }

    public int? StatusCode { get; init; }

    /// <summary>Why the probe failed or could not be classified (redacted).</summary>
    public string? Note { get; init; }
}

/// <summary>Cost per request, modeled from the pricing catalog and (on Azure) metered, side by side.</summary>
public sealed partial record CostView
{
    /// <summary>Hosting plan (for example <c>flex-consumption</c>).</summary>
    public required string Plan { get; init; }

    public string? Region { get; init; }

    public string Currency { get; init; } = "USD";

    public CostFigure? Modeled { get; init; }

    public CostFigure? Metered { get; init; }

    /// <summary>Modeled from App Insights' server durations (Azure targets with a workspace), shown beside the others.</summary>
    public CostFigure? ServerModeled { get; init; }

    /// <summary>Server-side request count, duration p50/p95 and instances from App Insights, when read.</summary>
    public ServerTelemetrySummary? Server { get; init; }

    /// <summary>Where prices came from and when they were retrieved (one line).</summary>
    public string? PricingSource { get; init; }

    /// <summary>A caveat to show beside the figures (for example that metered cost is still being ingested).</summary>
    public string? Note { get; init; }
}

/// <summary>One cost estimate: per request with its confidence interval, and the run's total.</summary>
public sealed record CostFigure
{
    public double PerRequest { get; init; }

    public double? CiLow { get; init; }

    public double? CiHigh { get; init; }

    /// <summary>Confidence level of the interval, for example 0.95.</summary>
    public double? ConfidenceLevel { get; init; }

    /// <summary>Cost of the whole measured run.</summary>
    public double? Total { get; init; }

    public double PerMillion => PerRequest * 1_000_000;
}
