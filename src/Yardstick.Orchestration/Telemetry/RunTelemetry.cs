using System.Diagnostics;
using System.Diagnostics.Metrics;
using Yardstick.Core.Summaries;
using Yardstick.Orchestration.Contracts;

namespace Yardstick.Orchestration.Telemetry;

/// <summary>
/// A finished run as OpenTelemetry sees it, through the runtime's own instrumentation APIs (no exporter here; a host
/// that wants them out registers the meter and the source with its OpenTelemetry providers):
/// <list type="bullet">
/// <item>meter <c>Yardstick.Runs</c>: gauges <c>yardstick.run.latency</c> (ms, attribute <c>quantile</c> p50/p95/p99),
/// <c>yardstick.run.error_rate</c>, <c>yardstick.run.throughput</c> (requests/s), and when measured
/// <c>yardstick.run.cost_per_request</c> (USD) and <c>yardstick.run.cold_start_p50</c> (ms); counter <c>yardstick.runs</c>
/// with <c>status</c> and <c>verdict</c>. Every one carries <c>workload</c>, <c>settings_key</c> and the run's tags as
/// <c>tag.&lt;name&gt;</c> — never the run id, which would make every run its own time series.</item>
/// <item>activity source <c>Yardstick.Runs</c>: a <c>yardstick.run</c> span over the run (run id, workload, status,
/// verdict) with one child span per orchestration phase (plan, warmup, measured, persist, analyze…), laid end to end
/// from the phase durations the orchestration recorded.</item>
/// </list>
/// </summary>
public static class RunTelemetry
{
    public const string Name = "Yardstick.Runs";

    private static readonly Meter Meter = new(Name, typeof(RunTelemetry).Assembly.GetName().Version?.ToString());
    private static readonly ActivitySource Source = new(Name, typeof(RunTelemetry).Assembly.GetName().Version?.ToString());
    private static readonly Gauge<double> Latency = Meter.CreateGauge<double>("yardstick.run.latency", "ms", "Latency quantile of the run's measured requests (from their intended start).");
    private static readonly Gauge<double> ErrorRate = Meter.CreateGauge<double>("yardstick.run.error_rate", "1", "Failed requests over all requests of the run.");
    private static readonly Gauge<double> Throughput = Meter.CreateGauge<double>("yardstick.run.throughput", "{request}/s", "Completed requests per second of the run.");
    private static readonly Gauge<double> CostPerRequest = Meter.CreateGauge<double>("yardstick.run.cost_per_request", "USD", "The run's cost per request (metered when available, else modeled).");
    private static readonly Gauge<double> ColdStart = Meter.CreateGauge<double>("yardstick.run.cold_start_p50", "ms", "Median cold-start time of the run's probes.");
    private static readonly Counter<long> Runs = Meter.CreateCounter<long>("yardstick.runs", "{run}", "Finished runs by status and verdict.");

    /// <summary>Records <paramref name="summary"/>'s headline figures and the run's phases (call once, when the run has finished).</summary>
    public static void Record(RunSummary summary, RunOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(outcome);
        var tags = new TagList { { "workload", summary.Workload }, { "settings_key", summary.SettingsKey } };
        foreach (var (name, value) in summary.Tags)
        {
            tags.Add("tag." + name, value);
        }

        if (summary.Requests > 0)
        {
            foreach (var (quantile, value) in new[] { ("p50", summary.LatencyMs.P50), ("p95", summary.LatencyMs.P95), ("p99", summary.LatencyMs.P99) })
            {
                var withQuantile = tags;
                withQuantile.Add("quantile", quantile);
                Latency.Record(value, withQuantile);
            }

            ErrorRate.Record(summary.ErrorRate, tags);
            Throughput.Record(summary.ThroughputRps, tags);
        }

        if (summary.Cost?.PerRequestUsd is { } cost)
        {
            CostPerRequest.Record(cost, tags);
        }

        if (summary.ColdStart?.ColdP50Ms is { } coldStart)
        {
            ColdStart.Record(coldStart, tags);
        }

        var counted = tags;
        counted.Add("status", summary.Status);
        counted.Add("verdict", summary.Verdict?.Overall ?? "none");
        Runs.Add(1, counted);
        Trace(summary, outcome);
    }

    private static void Trace(RunSummary summary, RunOutcome outcome)
    {
        var started = summary.StartedAt;
        using var run = Source.StartActivity("yardstick.run", ActivityKind.Internal, parentContext: default, startTime: started);
        if (run is null)
        {
            return; // nobody listens
        }

        run.SetTag("yardstick.run_id", summary.RunId);
        run.SetTag("yardstick.workload", summary.Workload);
        run.SetTag("yardstick.status", summary.Status);
        run.SetTag("yardstick.verdict", summary.Verdict?.Overall);
        run.SetTag("yardstick.requests", summary.Requests);
        var at = started;
        foreach (var (phase, seconds) in outcome.PhaseSeconds)
        {
            using var span = Source.StartActivity("yardstick.phase." + phase, ActivityKind.Internal, run.Context, startTime: at);
            at += TimeSpan.FromSeconds(seconds);
            span?.SetEndTime(at.UtcDateTime);
        }

        run.SetEndTime((summary.CompletedAt > at ? summary.CompletedAt : at).UtcDateTime);
        if (summary.Status == "failed")
        {
            run.SetStatus(ActivityStatusCode.Error, summary.FailureReason);
        }
    }
}
