using ScottPlot;
using Yardstick.Core.Cost;
using Yardstick.Core.Summaries;

namespace Yardstick.Reports;

/// <summary>The sweep chart: each settings variant as a point of cost against p95, the Pareto front joined up.</summary>
internal static partial class ReportCharts
{
    private static readonly Color OffFrontColor = Color.FromHex("#8c959f");
    private static readonly Color RecommendedColor = Color.FromHex("#1a7f37");

    /// <summary>
    /// Cost per 1M requests (or, without cost, error rate) against p95 latency, one labelled point per measured variant:
    /// grey off the front, blue on it (joined in cost order), green for the recommended one. Lower-left is better.
    /// </summary>
    public static string Pareto(IReadOnlyList<VariantSummary> variants)
    {
        var byCost = SweepRecommendation.UsesCost(variants);
        var measured = variants.Where(v => v.Requests > 0).ToList();
        var plot = NewPlot(
            byCost ? "Cost against p95 latency per setting" : "Error rate against p95 latency per setting",
            byCost ? "cost per 1M requests (USD)" : "error rate (%)",
            "p95 latency (ms)");
        double X(VariantSummary v) => byCost ? v.Per1MRequestsUsd ?? 0 : v.ErrorRate * 100;

        if (measured.Count > 0)
        {
            var front = measured.Where(v => v.OnParetoFront).OrderBy(X).ThenBy(v => v.LatencyMs.P95).ToList();
            if (front.Count > 1)
            {
                var line = plot.Add.ScatterLine(front.Select(X).ToArray(), front.Select(v => v.LatencyMs.P95).ToArray(), CandidateColor);
                line.LineWidth = 2;
                line.LegendText = "Pareto front";
            }

            AddPoints(plot, measured.Where(v => !v.OnParetoFront).ToList(), X, OffFrontColor, MarkerShape.OpenCircle, "dominated");
            AddPoints(plot, measured.Where(v => v.OnParetoFront && !v.Recommended).ToList(), X, CandidateColor, MarkerShape.FilledCircle, "on the front");
            AddPoints(plot, measured.Where(v => v.Recommended).ToList(), X, RecommendedColor, MarkerShape.FilledDiamond, "recommended", size: 15);
            foreach (var v in measured)
            {
                var label = plot.Add.Text(v.Variant, X(v), v.LatencyMs.P95);
                label.LabelFontSize = 12;
                label.LabelFontName = Font.Measure;
                label.LabelFontColor = Color.FromHex("#1f2328");
                label.LabelAlignment = Alignment.LowerLeft;
                label.LabelOffsetX = 7;
                label.LabelOffsetY = -5;
            }

            // Pad both axes, and give a flat axis (equal costs, no errors) some width so the points do not sit on an edge.
            var (xMin, xMax) = Padded(measured.Min(X), measured.Max(X));
            var (yMin, yMax) = Padded(measured.Min(v => v.LatencyMs.P95), measured.Max(v => v.LatencyMs.P95));
            plot.Axes.SetLimits(Math.Max(0, xMin), xMax, Math.Max(0, yMin), yMax);
        }
        else
        {
            plot.Axes.SetLimits(0, 1, 0, 10);
        }

        Finish(plot, measured.Count > 0 ? null : "No variant was measured", measured.Count > 0);
        return Svg(plot, "pareto", byCost ? "Cost per request against p95 latency per sweep setting, Pareto front joined" : "Error rate against p95 latency per sweep setting");
    }

    private static void AddPoints(Plot plot, List<VariantSummary> points, Func<VariantSummary, double> x, Color color, MarkerShape shape, string legend, float size = 11)
    {
        if (points.Count == 0)
        {
            return;
        }

        var markers = plot.Add.Markers(points.Select(x).ToArray(), points.Select(v => v.LatencyMs.P95).ToArray(), shape, size, color);
        markers.LegendText = legend;
    }

    /// <summary>The data range with 15 % either side; a flat range (equal costs, no errors) shows from 0 to twice the value.</summary>
    private static (double Min, double Max) Padded(double min, double max)
    {
        var span = max - min;
        if (span <= Math.Abs(max) * ParetoFront.RelativeTolerance)
        {
            return (0, max > 0 ? max * 2 : 1);
        }

        return (min - (span * 0.15), max + (span * 0.15));
    }
}
