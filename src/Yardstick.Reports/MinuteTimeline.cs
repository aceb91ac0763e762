using Yardstick.Core.Measurements;
using Yardstick.Core.ServerMetrics;

namespace Yardstick.Reports;

/// <summary>
/// Azure Monitor's per-minute server series (<c>server-metrics.json</c> with <c>source: azure-monitor</c>) on the client
/// timeline's x axis (seconds since the first per-second window, as the latency chart). A point is an aggregate over
/// the minute that starts at its timestamp, so it is drawn as a step held across that minute; consecutive minutes join,
/// a missing minute breaks the line (a gap is never bridged) and is shaded.
/// </summary>
/// <param name="XMax">Right end of the x axis, the same as the latency chart's.</param>
/// <param name="IntervalSeconds">The points' grain (60).</param>
/// <param name="Series">Step segments per series name; each segment is (x, value) corners, two per minute.</param>
/// <param name="Points">Points per series name (minutes with a value).</param>
/// <param name="Gaps">Minutes without a point, as x ranges.</param>
internal sealed record MinuteTimeline(
    double XMax,
    int IntervalSeconds,
    IReadOnlyDictionary<string, IReadOnlyList<IReadOnlyList<(double X, double Value)>>> Series,
    IReadOnlyDictionary<string, int> Points,
    IReadOnlyList<(double From, double To)> Gaps)
{
    /// <summary>The step segments of <paramref name="name"/> (none when the series is absent or empty).</summary>
    public IReadOnlyList<IReadOnlyList<(double X, double Value)>> Of(string name) => Series.TryGetValue(name, out var s) ? s : [];

    /// <summary>Minutes with a value in any of <paramref name="names"/>.</summary>
    public int Count(params string[] names) => names.Sum(n => Points.GetValueOrDefault(n));

    /// <summary>The Azure Monitor series on <paramref name="timeline"/>'s axis; null without windows or for another source.</summary>
    public static MinuteTimeline? Of(IReadOnlyList<TimelineWindow> timeline, ServerMetricSet? metrics)
    {
        if (timeline.Count == 0 || metrics is not { Source: ServerMetricSet.AzureMonitorSource })
        {
            return null;
        }

        var origin = timeline[0].UnixSecond;
        double X(DateTimeOffset at) => ((at - DateTimeOffset.UnixEpoch).Ticks / (double)TimeSpan.TicksPerSecond) - origin;
        var interval = Math.Max(1, metrics.IntervalSeconds);
        var series = new Dictionary<string, IReadOnlyList<IReadOnlyList<(double, double)>>>(StringComparer.Ordinal);
        var points = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var s in metrics.Series)
        {
            var segments = new List<IReadOnlyList<(double, double)>>();
            List<(double X, double Value)>? current = null;
            double? previousStart = null;
            foreach (var point in s.Points.OrderBy(p => p.At))
            {
                var x = X(point.At);
                if (current is null || x - previousStart > interval * 1.5)
                {
                    current = [];
                    segments.Add(current);
                }

                current.Add((x, point.Value));
                current.Add((x + interval, point.Value));
                previousStart = x;
            }

            series[s.Name] = segments;
            points[s.Name] = s.Points.Count;
        }

        return new MinuteTimeline(
            Math.Max(1, timeline[^1].UnixSecond - origin),
            interval,
            series,
            points,
            metrics.Gaps.Select(g => (X(g.From), X(g.To))).ToList());
    }
}
