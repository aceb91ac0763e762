using Yardstick.Core.Measurements;
using Yardstick.Core.ServerMetrics;

namespace Yardstick.Reports;

/// <summary>
/// The server's series (<c>server-metrics.json</c>) placed on the client timeline's x axis: seconds since the first
/// per-second window, the origin the throughput and latency charts use, so a latency step lines up with a CPU or
/// memory climb. Points are split into segments at gaps (a line never bridges a second without a sample).
/// </summary>
/// <param name="XMax">Right end of the x axis, the same as the latency chart's.</param>
/// <param name="Cpu">CPU segments (x seconds, % of one core).</param>
/// <param name="Memory">Resident memory segments (x seconds, MB).</param>
/// <param name="Gaps">Gaps as x ranges.</param>
internal sealed record ServerTimeline(
    double XMax,
    IReadOnlyList<IReadOnlyList<(double X, double Value)>> Cpu,
    IReadOnlyList<IReadOnlyList<(double X, double Value)>> Memory,
    IReadOnlyList<(double From, double To)> Gaps)
{
    /// <summary>Points of all segments of a series.</summary>
    public static int Count(IReadOnlyList<IReadOnlyList<(double X, double Value)>> segments) => segments.Sum(s => s.Count);

    /// <summary>The series on <paramref name="timeline"/>'s axis; null without windows or without server metrics.</summary>
    public static ServerTimeline? Of(IReadOnlyList<TimelineWindow> timeline, ServerMetricSet? metrics)
    {
        if (timeline.Count == 0 || metrics is null)
        {
            return null;
        }

        var origin = timeline[0].UnixSecond;
        double X(DateTimeOffset at) => (at - DateTimeOffset.UnixEpoch).Ticks / (double)TimeSpan.TicksPerSecond - origin;
        var limit = metrics.IntervalSeconds * 1.5;

        IReadOnlyList<IReadOnlyList<(double, double)>> Segments(string name)
        {
            var segments = new List<IReadOnlyList<(double, double)>>();
            List<(double X, double Value)>? current = null;
            foreach (var point in metrics.Find(name)?.Points ?? [])
            {
                var x = X(point.At);
                if (current is null || x - current[^1].X > limit)
                {
                    current = [];
                    segments.Add(current);
                }

                current.Add((x, point.Value));
            }

            return segments;
        }

        return new ServerTimeline(
            Math.Max(1, timeline[^1].UnixSecond - origin),
            Segments(ServerMetricSeries.CpuPercent),
            Segments(ServerMetricSeries.ResidentMemoryMB),
            metrics.Gaps.Select(g => (X(g.From), X(g.To))).ToList());
    }
}
