using System.Globalization;
using Yardstick.Core.Alerts;
using Yardstick.Core.Runs;
using Yardstick.Core.Summaries;
using Yardstick.Core.Workloads;
using Yardstick.Orchestration.Contracts;
using Yardstick.Reports;

namespace Yardstick.Orchestration.Alerts;

/// <summary>Which conditions a run raised, and the message each carries (numbers from the outcome, sentences from the verdict).</summary>
public static class AlertMessages
{
    /// <summary>The conditions of <paramref name="on"/> that hold for <paramref name="outcome"/>, in the order written.</summary>
    public static IReadOnlyList<AlertCondition> Firing(RunOutcome outcome, IReadOnlyList<AlertCondition> on) =>
        on.Where(c => c switch
        {
            AlertCondition.Failed => outcome.Status == RunStatus.Failed,
            AlertCondition.Regression => outcome.Status != RunStatus.Failed && outcome.Verdict == "regression",
            AlertCondition.Threshold => outcome.Status != RunStatus.Failed && outcome.FailedThresholds.Count > 0,
            AlertCondition.Drift => outcome.Status != RunStatus.Failed && outcome.Drift.Count > 0,
            _ => false,
        }).ToList();

    /// <summary>The message of <paramref name="condition"/>; with <paramref name="publicUrl"/> (<c>YARDSTICK_PUBLIC_URL</c>) it links to the trend and the run.</summary>
    public static AlertMessage Build(AlertCondition condition, RunOutcome outcome, VerdictSummary? verdict, Uri? publicUrl = null)
    {
        var facts = new List<AlertFact>();
        if (condition == AlertCondition.Regression && verdict is not null)
        {
            foreach (var metric in verdict.Metrics.Where(m => m.Kind == "regression" && m.Ratio is not null))
            {
                var change = metric.Metric == "errorRate" ? Pct(metric.Ratio!.Value) : Pct(metric.Ratio!.Value - 1);
                var interval = metric.CiLow is { } low && metric.CiHigh is { } high
                    ? metric.Metric == "errorRate" ? $" (CI {Pct(low)} .. {Pct(high)})" : $" (CI {Pct(low - 1)} .. {Pct(high - 1)})"
                    : "";
                facts.Add(new AlertFact($"{metric.Metric} change", change + interval));
            }
        }

        if (condition == AlertCondition.Drift && verdict?.Drift is { } drift)
        {
            foreach (var metric in drift.Metrics)
            {
                var change = metric.Relative ? Pct(metric.Change) : metric.Change.ToString("0.####", CultureInfo.InvariantCulture);
                facts.Add(new AlertFact($"{metric.Metric} drift", $"{change} since run {metric.ChangeRunId} ({metric.RunsAfter} runs)"));
            }
        }

        if (outcome.P50Ms is { } p50)
        {
            facts.Add(new AlertFact("p50", Ms(p50)));
        }

        if (outcome.P95Ms is { } p95)
        {
            facts.Add(new AlertFact("p95", Ms(p95)));
        }

        if (outcome.P99Ms is { } p99)
        {
            facts.Add(new AlertFact("p99", Ms(p99)));
        }

        facts.Add(new AlertFact("requests", outcome.Requests.ToString("N0", CultureInfo.InvariantCulture)));
        facts.Add(new AlertFact("errors", outcome.Requests > 0 ? Pct((double)outcome.Errors / outcome.Requests, signed: false) : "0"));
        facts.Add(new AlertFact("throughput", outcome.ThroughputRps.ToString("0.#", CultureInfo.InvariantCulture) + " req/s"));

        var sentence = condition switch
        {
            AlertCondition.Failed => "The run failed: " + (outcome.FailureReason ?? "no reason was recorded") + ".",
            AlertCondition.Drift => verdict?.Drift?.Explanation is { Length: > 0 } drifted ? drifted : "Drift on " + string.Join(", ", outcome.Drift) + ".",
            AlertCondition.Threshold => $"{outcome.FailedThresholds.Count} threshold(s) breached. "
                + string.Join(' ', verdict?.Thresholds.Where(t => !t.Passed).Select(t => t.Explanation) ?? []),
            _ => verdict?.Explanation is { Length: > 0 } explanation ? explanation : "The verdict is regression.",
        };

        var folder = outcome.Artifacts;
        return new AlertMessage
        {
            Workload = outcome.Workload,
            RunId = outcome.RunId,
            Condition = condition,
            Status = outcome.Status.ToString().ToLowerInvariant(),
            Verdict = outcome.Verdict,
            Sentence = sentence.Trim(),
            Facts = facts,
            FailedThresholds = condition == AlertCondition.Threshold ? outcome.FailedThresholds : [],
            ReportUrl = folder is null ? null : folder.TrimEnd('/') + "/" + ReportFormats.HtmlBlobName,
            ArtifactsUrl = folder,
            TrendUrl = publicUrl is null ? null : PublicUrl.TrendLink(publicUrl, outcome.Workload),
            RunUrl = publicUrl is null ? null : PublicUrl.RunLink(publicUrl, outcome.RunId),
        };
    }

    private static string Ms(double ms) => ms.ToString("0.#", CultureInfo.InvariantCulture) + " ms";

    private static string Pct(double fraction, bool signed = true) =>
        (signed && fraction > 0 ? "+" : "") + (fraction * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";
}
