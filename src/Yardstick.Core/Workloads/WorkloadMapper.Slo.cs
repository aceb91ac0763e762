using System.Globalization;
using Yardstick.Core.Load;
using Yardstick.Core.Workloads.Documents;

namespace Yardstick.Core.Workloads;

internal static partial class WorkloadMapper
{
    private static SloSpec? MapSlo(MapReader s)
    {
        if (!s.Exists)
        {
            return null;
        }

        var latency = new List<LatencyObjective>();
        foreach (var (node, path) in s.List("latency"))
        {
            var objective = s.Sub(node, path);
            latency.Add(new LatencyObjective(objective.Duration("threshold") ?? TimeSpan.Zero, ReadShare(objective, "target") ?? 0));
        }

        return new SloSpec
        {
            Window = ReadWindow(s) ?? new SloSpec().Window,
            Availability = ReadShare(s, "availability"),
            Latency = latency,
        };
    }

    /// <summary>A share: a fraction (<c>0.999</c>) or a percentage string (<c>"99.9%"</c>).</summary>
    internal static double? ReadShare(MapReader r, string key) => r.Node(key) switch
    {
        DocScalar { Kind: ScalarKind.Number } n when n.TryGetDouble(out var v) => v,
        DocScalar { Kind: ScalarKind.String } s when s.Text.Trim().EndsWith('%')
            && double.TryParse(s.Text.Trim().TrimEnd('%').Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var pct) => pct / 100,
        _ => null,
    };

    /// <summary>The SLO window: days (<c>30d</c>) or a duration (<c>12h</c>).</summary>
    private static TimeSpan? ReadWindow(MapReader s)
    {
        if (s.Node("window") is not DocScalar { Kind: ScalarKind.String } scalar)
        {
            return null;
        }

        var text = scalar.Text.Trim();
        if (text.EndsWith('d') && int.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var days))
        {
            return TimeSpan.FromDays(days);
        }

        return DurationText.TryParse(text, out var duration) ? duration : null;
    }
}
