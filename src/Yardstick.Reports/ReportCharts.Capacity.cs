using ScottPlot;
using Yardstick.Core.Capacity;

namespace Yardstick.Reports;

/// <summary>The capacity chart: latency against the offered rate, one point per step, the capacity and knee marked.</summary>
internal static partial class ReportCharts
{
    private static readonly Color PassColor = Color.FromHex("#1a7f37");

    /// <summary>
    /// p50 and p99 latency (ms) against each step's rate, joined in rate order; passing steps green, failing or
    /// autostopped ones red, generator-limited ones grey (not the target's answer); dashed verticals at the maximum
    /// sustainable rate and at the knee (first failing rate).
    /// </summary>
    public static string Capacity(CapacityResult capacity)
    {
        var plot = NewPlot("Latency against offered rate per capacity step", "offered rate (requests/s)", "latency (ms)");
        var steps = capacity.Steps.Where(s => s.Measurement.Latency.ContainsKey("p99")).OrderBy(s => s.Measurement.Rate).ToList();
        if (steps.Count > 0)
        {
            var xs = steps.Select(s => s.Measurement.Rate).ToArray();
            Line(plot, xs, steps.Select(s => s.Measurement.Latency.GetValueOrDefault("p50")), "p50", CandidateColor);
            Line(plot, xs, steps.Select(s => s.Measurement.Latency["p99"]), "p99", P99Color);
            StepMarkers(plot, steps.Where(s => s.Outcome == CapacityStepOutcome.Pass).ToList(), PassColor, MarkerShape.FilledCircle, "pass");
            StepMarkers(plot, steps.Where(s => s.Outcome is CapacityStepOutcome.Fail or CapacityStepOutcome.AutoStop).ToList(), ErrorColor, MarkerShape.FilledSquare, "fail");
            StepMarkers(plot, steps.Where(s => s.Outcome == CapacityStepOutcome.GeneratorLimited).ToList(), OffFrontColor, MarkerShape.OpenCircle, "generator-limited");
            if (capacity.MaxSustainableRate is { } sustainable)
            {
                Marker(plot, sustainable, PassColor, $"capacity {sustainable:0.#}/s");
            }

            if (capacity.Knee is { } knee)
            {
                Marker(plot, knee, ErrorColor, $"knee {knee:0.#}/s");
            }

            var top = steps.Max(s => s.Measurement.Latency["p99"]);
            plot.Axes.SetLimits(0, xs.Max() * 1.1, 0, Math.Max(top, 0.001) * 1.1);
        }
        else
        {
            plot.Axes.SetLimits(0, 10, 0, 10);
        }

        Finish(plot, steps.Count > 0 ? null : "No step measured any latency", steps.Count > 0);
        return Svg(plot, "capacity", "p50 and p99 latency against the offered rate per capacity step, capacity and knee marked");
    }

    private static void StepMarkers(Plot plot, List<CapacityStep> steps, Color color, MarkerShape shape, string legend)
    {
        if (steps.Count == 0)
        {
            return;
        }

        var markers = plot.Add.Markers(steps.Select(s => s.Measurement.Rate).ToArray(), steps.Select(s => s.Measurement.Latency["p99"]).ToArray(), shape, 11, color);
        markers.LegendText = legend;
    }

    private static void Marker(Plot plot, double rate, Color color, string text)
    {
        var line = plot.Add.VerticalLine(rate, 1.5f, color, LinePattern.Dashed);
        line.LegendText = text;
    }
}
