using ScottPlot;

namespace Yardstick.Reports;

/// <summary>The paired timeline: the reference's and the candidate's rounds on one time axis.</summary>
internal static partial class ReportCharts
{
    /// <summary>
    /// p50 (solid) and p95 (dashed) of every round, one marker per round at its middle, reference grey squares and
    /// candidate blue circles, on seconds since the first measured round: drift shows as both series moving together.
    /// </summary>
    public static string PairedRounds(IReadOnlyList<PairedRoundPoint> points)
    {
        var plot = NewPlot("Reference and candidate per round", "seconds since the first measured round", "latency (ms)");
        foreach (var reference in new[] { true, false })
        {
            var side = points.Where(p => p.Reference == reference).ToList();
            if (side.Count == 0)
            {
                continue;
            }

            var color = reference ? BaselineColor : CandidateColor;
            var shape = reference ? MarkerShape.FilledSquare : MarkerShape.FilledCircle;
            var name = reference ? "reference" : "candidate";
            var xs = side.Select(p => p.MidSeconds).ToArray();
            RoundSeries(plot, xs, side.Select(p => p.LatencyMs.P50), name + " p50", color, shape, LinePattern.Solid);
            RoundSeries(plot, xs, side.Select(p => p.LatencyMs.P95), name + " p95", color, shape, LinePattern.Dashed);
        }

        if (points.Count > 0)
        {
            var right = points.Max(p => p.MidSeconds);
            var pad = Math.Max(0.5, right * 0.04);
            plot.Axes.SetLimits(-pad, right + pad, 0, Math.Max(0.001, points.Max(p => p.LatencyMs.P95)) * 1.1);
        }
        else
        {
            plot.Axes.SetLimits(0, 30, 0, 10);
        }

        Finish(plot, points.Count > 0 ? null : "No timed rounds", points.Count > 0);
        return Svg(plot, "paired", "p50 and p95 latency of each round, reference and candidate on one time axis");
    }

    private static void RoundSeries(Plot plot, double[] xs, IEnumerable<double> ys, string name, Color color, MarkerShape shape, LinePattern pattern)
    {
        var line = plot.Add.Scatter(xs, ys.ToArray(), color);
        line.LegendText = name;
        line.LineWidth = 2;
        line.LinePattern = pattern;
        line.MarkerShape = shape;
        line.MarkerSize = 8;
    }
}
