using System.Globalization;
using Yardstick.Core.Runs;
using Yardstick.Core.Statistics.ChangePoints;
using Yardstick.Core.Summaries;

namespace Yardstick.Core.Trends;

/// <summary>
/// The <c>drift</c> verdict: does a run confirm a new change point in its workload's history? Uses the trend's change
/// points (<see cref="TrendReader.Build"/>, E-divisive means with the default options), computed twice — over the
/// history up to the run before, and with the run — and reports each gated metric whose series gained a change point:
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><b>New</b>: no change point of the detection without this run lies within the minimum segment length of it (a
/// change point that only moved a little as data arrived is the same change, already reported).</item>
/// <item><b>Sustained</b>: E-divisive only splits with at least <see cref="ChangePointOptions.MinSegmentLength"/> runs on
/// each side, so one slow night (or four) is never drift. While few runs follow a step, the split may be placed a run or two off
/// (the later, better-placed split is the same change, not a new one).</item>
/// <item><b>For the worse, and beyond the margin</b>: latency, error rate and cost up, throughput down; a relative change
/// at least the workload's equivalence margin (<c>compare.margin</c>); an absolute one (error rate) at all.</item>
/// </list>
/// Pure: the caller reads the history (same workload, settings key and settings hash; created no later than the run).
/// </remarks>
public static class DriftCheck
{
    /// <summary>Days of history examined before the run.</summary>
    public const int WindowDays = TrendRequest.DefaultDays;

    /// <summary>The drift <paramref name="run"/> confirms in <paramref name="history"/>; null when none.</summary>
    /// <param name="history">Runs of the workload (any order, <paramref name="run"/> itself may be among them); only those of the run's settings key created before it are used.</param>
    /// <param name="run">The run just analysed (completed or degraded).</param>
    /// <param name="gatedMetrics">The workload's gated metrics; those that are trend metrics (p50, p95, p99, errorRate, throughput…) are checked.</param>
    /// <param name="margin">The equivalence margin (fraction) a relative change must reach.</param>
    public static DriftSummary? Check(IReadOnlyList<RunRecord> history, RunRecord run, IReadOnlyList<string> gatedMetrics, double margin)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(gatedMetrics);
        var metrics = TrendMetric.All.Where(m => gatedMetrics.Contains(m.Name, StringComparer.OrdinalIgnoreCase)).ToList();
        if (metrics.Count == 0 || run.Status is not (RunStatus.Completed or RunStatus.Degraded))
        {
            return null;
        }

        var earlier = history
            .Where(r => r.SettingsKey == run.SettingsKey && r.RunId != run.RunId
                && (r.CreatedAt < run.CreatedAt || (r.CreatedAt == run.CreatedAt && string.CompareOrdinal(r.RunId, run.RunId) < 0)))
            .ToList();
        var request = new TrendRequest(run.Workload, metrics, WindowDays, null);
        var without = TrendReader.Build(request, run.CreatedAt, run.CreatedAt, earlier, []);
        var with = TrendReader.Build(request, run.CreatedAt, run.CreatedAt, [.. earlier, run], []);
        var minSegment = new ChangePointOptions().MinSegmentLength;
        var found = new List<DriftMetricSummary>();
        var examined = 0;
        foreach (var metric in metrics)
        {
            var series = with.Series.Single(s => s.Metric == metric.Name && s.SettingsKey == run.SettingsKey);
            if (series.Points.Count == 0 || series.Points[^1].RunId != run.RunId)
            {
                continue; // the run lacks this metric: it confirms nothing about it
            }

            examined = Math.Max(examined, series.Points.Count);
            var before = without.Series.FirstOrDefault(s => s.Metric == metric.Name && s.SettingsKey == run.SettingsKey)?.ChangePoints.OrderBy(c => c.Index).ToList() ?? [];
            var now = series.ChangePoints.OrderBy(c => c.Index).ToList();
            for (var k = 0; k < now.Count; k++)
            {
                if (Beyond(now, k, metric.HigherIsBetter, margin) is not { } drift)
                {
                    continue;
                }

                // The same change (a split within a segment's length of it) already beyond the margin before this run:
                // confirmed then, not again. A change that grew past the margin with this run is confirmed now.
                var c = now[k];
                var already = Enumerable.Range(0, before.Count)
                    .Any(j => Math.Abs(before[j].Index - c.Index) < minSegment && Beyond(before, j, metric.HigherIsBetter, margin) is not null);
                if (!already)
                {
                    found.Add(drift with { Metric = metric.Name, RunsAfter = series.Points.Count - now[k - (drift.Steps - 1)].Index });
                }
            }
        }

        return found.Count == 0 ? null : new DriftSummary
        {
            Explanation = string.Join(' ', found.Select(d => Sentence(d, metrics.First(m => m.Name == d.Metric)))),
            Metrics = found,
            RunsExamined = examined,
        };
    }

    /// <summary>
    /// The drift change point <paramref name="k"/> of <paramref name="points"/> (oldest first) stands for, when it is one
    /// for the worse beyond the margin: by itself (a shift: errors and other absolute metrics count by any size), or as
    /// the step that carries a staircase beyond it — a creep splits into consecutive steps for the worse, each inside
    /// the margin, so the step is measured from the level before the first of them. Null otherwise.
    /// </summary>
    private static DriftMetricSummary? Beyond(List<TrendChangePoint> points, int k, bool higherIsBetter, double margin)
    {
        bool Worse(TrendChangePoint p) => higherIsBetter ? p.After < p.Before : p.After > p.Before;
        var c = points[k];
        if (!Worse(c))
        {
            return null;
        }

        if (!c.Relative || Math.Abs(c.Change) >= margin)
        {
            return new DriftMetricSummary("", c.RunId, c.At, c.Before, c.After, c.Change, c.CiLow, c.CiHigh, c.Relative, c.PValue, c.RunsBefore, c.RunsAfter);
        }

        var first = k;
        while (first > 0 && Worse(points[first - 1]))
        {
            first--;
        }

        var start = points[first];
        var sinceBefore = c.Before / start.Before - 1;
        var sinceAfter = c.After / start.Before - 1;
        return first < k && Math.Abs(sinceAfter) >= margin && Math.Abs(sinceBefore) < margin
            ? new DriftMetricSummary("", start.RunId, start.At, start.Before, c.After, sinceAfter, null, null, true, c.PValue, start.RunsBefore, c.RunsAfter) { Steps = k - first + 1 }
            : null;
    }

    /// <summary><c>Drift: p95 shifted +12.0% (95% CI +9.8% .. +14.1%), 100.2 ms → 112.2 ms, from run X on, held 6 runs (E-divisive means, p = 0.005).</c></summary>
    public static string Sentence(DriftMetricSummary d, TrendMetric metric)
    {
        ArgumentNullException.ThrowIfNull(d);
        ArgumentNullException.ThrowIfNull(metric);
        string Change(double v) => d.Relative ? Pct(v) : (v > 0 ? "+" : "") + Number(v, metric.Unit);
        var interval = d.CiLow is { } low && d.CiHigh is { } high ? $" (95% CI {Change(low)} .. {Change(high)})" : "";
        if (d.Steps > 1)
        {
            return $"Drift: {d.Metric} crept {Change(d.Change)}, {Number(d.Before, metric.Unit)} → {Number(d.After, metric.Unit)}, from run {d.ChangeRunId} on, "
                + $"in {d.Steps} steps each inside the margin, over {d.RunsAfter} runs after {d.RunsBefore} (E-divisive means, newest step p = {d.PValue.ToString("0.###", CultureInfo.InvariantCulture)}).";
        }

        return $"Drift: {d.Metric} shifted {Change(d.Change)}{interval}, {Number(d.Before, metric.Unit)} → {Number(d.After, metric.Unit)}, "
            + $"from run {d.ChangeRunId} on, held {d.RunsAfter} runs after {d.RunsBefore} (E-divisive means, p = {d.PValue.ToString("0.###", CultureInfo.InvariantCulture)}).";
    }

    private static string Pct(double fraction) =>
        (fraction > 0 ? "+" : "") + (fraction * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    private static string Number(double value, string unit) => unit switch
    {
        "fraction" => (value * 100).ToString("0.00", CultureInfo.InvariantCulture) + "%",
        "USD" => value.ToString("0.####", CultureInfo.InvariantCulture) + " USD",
        _ => value.ToString("0.#", CultureInfo.InvariantCulture) + " " + unit,
    };
}
