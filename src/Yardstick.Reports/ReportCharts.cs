using ScottPlot;
using Yardstick.Core.Measurements;
using Yardstick.Core.Summaries;

namespace Yardstick.Reports;

/// <summary>
/// The HTML report's charts, drawn with ScottPlot and returned as inline SVG markup (see <see cref="ChartSvg"/>).
/// Each chart copes with empty data by drawing its axes and a note instead of series.
/// </summary>
internal static partial class ReportCharts
{
    public const int Width = 960;
    public const int Height = 400;

    private static readonly Color CandidateColor = Color.FromHex("#1f6feb");
    private static readonly Color BaselineColor = Color.FromHex("#8c959f");
    private static readonly Color P99Color = Color.FromHex("#8250df");
    private static readonly Color ErrorColor = Color.FromHex("#cf222e");
    private static readonly Color DroppedColor = Color.FromHex("#bc4c00");
    private static readonly Color FaultColor = Color.FromHex("#d4a72c");
    private static readonly Color RecoveredColor = Color.FromHex("#1a7f37");

    /// <summary>The font measured while laying out (must exist on this machine) and the list the browser picks from.</summary>
    private static readonly (string Measure, string Css) Font = ChooseFont();

    /// <summary>Latency against percentile on a "nines" axis (0, 90, 99, 99.9, …), baseline and candidate.</summary>
    public static string Percentiles(IReadOnlyList<PercentilePoint> candidate, IReadOnlyList<PercentilePoint>? baseline)
    {
        var plot = NewPlot("Latency by percentile", "percentile", "latency (ms)");
        var curves = new List<(IReadOnlyList<PercentilePoint> Points, string Name, Color Color)>();
        if (baseline is { Count: > 0 })
        {
            curves.Add((baseline, "baseline", BaselineColor));
        }

        if (candidate.Count > 0)
        {
            curves.Add((candidate, "candidate", CandidateColor));
        }

        // The right edge is one "nine" past the deepest finite percentile (at least 99.99 %); maxima sit on it.
        var deepest = curves.SelectMany(c => c.Points).Where(p => p.Percentile < 100).Select(p => PercentileCurve.Nines(p.Percentile)).DefaultIfEmpty(0).Max();
        var edge = Math.Clamp(Math.Floor(deepest) + 1, 5, 7);
        foreach (var (points, name, color) in curves)
        {
            var xs = points.Select(p => Math.Min(PercentileCurve.Nines(p.Percentile), edge)).ToArray();
            var ys = points.Select(p => p.ValueMs).ToArray();
            var line = plot.Add.Scatter(xs, ys, color);
            line.LegendText = name;
            line.LineWidth = 2;
            line.MarkerSize = 0;
            line.ConnectStyle = ConnectStyle.StepVertical;
        }

        var ticks = new ScottPlot.TickGenerators.NumericManual();
        for (var nines = 0; nines < edge; nines++)
        {
            ticks.AddMajor(nines, nines == 0 ? "0%" : (100 - (100 / Math.Pow(10, nines))).ToString("0.#####", System.Globalization.CultureInfo.InvariantCulture) + "%");
        }

        ticks.AddMajor(edge, "max");
        plot.Axes.Bottom.TickGenerator = ticks;
        var top = curves.SelectMany(c => c.Points).Select(p => p.ValueMs).DefaultIfEmpty(1).Max();
        plot.Axes.SetLimits(-0.05, edge + 0.05, 0, Math.Max(top, 0.001) * 1.08);
        Finish(plot, curves.Count > 0 ? null : "No latency recorded", curves.Count > 0);
        return Svg(plot, "percentiles", "Latency distribution by percentile, baseline and candidate");
    }

    /// <summary>
    /// Requests per second on the left axis; errors and dropped arrivals per second on the right, on their own scale,
    /// since a few errors a second would otherwise lie flat on the zero line under hundreds of requests.
    /// </summary>
    public static string Throughput(IReadOnlyList<TimelineWindow> timeline, IReadOnlyList<Core.Faults.FaultRecovery>? faults = null)
    {
        var plot = NewPlot("Requests and errors per second", "seconds since start", "requests/s");
        if (timeline.Count > 0)
        {
            var xs = SecondsSinceStart(timeline);
            Line(plot, xs, timeline.Select(w => (double)w.Requests), "requests/s", CandidateColor);
            Line(plot, xs, timeline.Select(w => (double)w.Errors), "errors/s (right axis)", ErrorColor).Axes.YAxis = plot.Axes.Right;
            if (timeline.Any(w => w.Dropped > 0))
            {
                Line(plot, xs, timeline.Select(w => (double)w.Dropped), "dropped/s (right axis)", DroppedColor).Axes.YAxis = plot.Axes.Right;
            }

            plot.Axes.SetLimitsY(0, Math.Max(1, timeline.Max(w => w.Requests)) * 1.15);
            plot.Axes.SetLimitsY(0, Math.Max(5, timeline.Max(w => Math.Max(w.Errors, w.Dropped))) * 1.15, plot.Axes.Right);
            plot.Axes.Right.Label.Text = "errors/s, dropped/s";
            plot.Axes.Right.Label.FontSize = 13;
            plot.Axes.Right.Label.ForeColor = ErrorColor;
            plot.Axes.Right.TickLabelStyle.FontSize = 12;
            plot.Axes.Right.TickLabelStyle.ForeColor = ErrorColor;
        }
        else
        {
            plot.Axes.SetLimitsY(0, 10);
        }

        plot.Axes.SetLimitsX(0, Math.Max(1, timeline.Count > 0 ? timeline[^1].UnixSecond - timeline[0].UnixSecond : 30));
        MarkFaults(plot, timeline, faults);
        Finish(plot, timeline.Count > 0 ? null : "No per-second data", timeline.Count > 0);
        return Svg(plot, "throughput", "Requests, errors and dropped arrivals per second");
    }

    /// <summary>p50 and p99 latency per second.</summary>
    public static string LatencyOverTime(IReadOnlyList<TimelineWindow> timeline, IReadOnlyList<Core.Faults.FaultRecovery>? faults = null)
    {
        var plot = NewPlot("Latency per second", "seconds since start", "latency (ms)");
        var measured = timeline.Where(w => w.Requests > 0).ToList();
        if (measured.Count > 0)
        {
            var xs = SecondsSinceStart(measured, timeline[0].UnixSecond);
            Line(plot, xs, measured.Select(w => w.LatencyP50Ms), "p50", CandidateColor);
            Line(plot, xs, measured.Select(w => w.LatencyP99Ms), "p99", P99Color);
            plot.Axes.SetLimitsY(0, Math.Max(0.001, measured.Max(w => w.LatencyP99Ms)) * 1.1);
        }
        else
        {
            plot.Axes.SetLimitsY(0, 10);
        }

        plot.Axes.SetLimitsX(0, Math.Max(1, timeline.Count > 0 ? timeline[^1].UnixSecond - timeline[0].UnixSecond : 30));
        MarkFaults(plot, timeline, faults);
        Finish(plot, measured.Count > 0 ? null : "No per-second latency", measured.Count > 0);
        return Svg(plot, "latency", "p50 and p99 latency per second");
    }

    /// <summary>Failed requests by class.</summary>
    public static string Errors(ErrorBreakdown errors)
    {
        var plot = NewPlot("Errors by class", "", "failed requests");
        var classes = ReportText.ErrorClasses(errors);
        var bars = plot.Add.Bars(classes.Select(c => (double)c.Count).ToArray());
        for (var i = 0; i < bars.Bars.Count; i++)
        {
            bars.Bars[i].FillColor = ErrorColor;
            bars.Bars[i].LineWidth = 0;
            bars.Bars[i].Label = ReportText.Count(classes[i].Count);
        }

        bars.ValueLabelStyle.FontSize = 13;
        bars.ValueLabelStyle.FontName = Font.Measure;
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, classes.Count).Select(i => (double)i).ToArray(), classes.Select(c => c.Name).ToArray());
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        var top = Math.Max(1, classes.Max(c => c.Count));
        plot.Axes.SetLimits(-0.6, classes.Count - 0.4, 0, top * 1.15);
        Finish(plot, classes.Sum(c => c.Count) == 0 ? "No errors" : null, legend: false);
        return Svg(plot, "errors", "Failed requests by error class");
    }

    private static Plot NewPlot(string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        plot.Font.Set(Font.Measure);
        plot.Title(title, size: 16);
        plot.XLabel(xLabel, size: 13);
        plot.YLabel(yLabel, size: 13);
        plot.Axes.Bottom.TickLabelStyle.FontSize = 12;
        plot.Axes.Left.TickLabelStyle.FontSize = 12;
        plot.Grid.MajorLineColor = Color.FromHex("#d0d7de").WithAlpha(0.6);
        return plot;
    }

    private static ScottPlot.Plottables.Scatter Line(Plot plot, double[] xs, IEnumerable<double> ys, string name, Color color)
    {
        var line = plot.Add.ScatterLine(xs, ys.ToArray(), color);
        line.LegendText = name;
        line.LineWidth = 2;
        return line;
    }

    /// <summary>
    /// A fault run's faults on a per-second chart: a shaded span for each fault's planned length (a restart, a thin one), an
    /// amber line where it was set off and a green one where the target had recovered; one legend entry for each kind of mark.
    /// </summary>
    private static void MarkFaults(Plot plot, IReadOnlyList<TimelineWindow> timeline, IReadOnlyList<Core.Faults.FaultRecovery>? faults)
    {
        if (timeline.Count == 0 || faults is null)
        {
            return;
        }

        var origin = timeline[0].UnixSecond;
        var first = true;
        foreach (var fault in faults.Where(f => f.AppliedAt is not null))
        {
            var at = ((fault.AppliedAt!.Value - DateTimeOffset.UnixEpoch).Ticks / (double)TimeSpan.TicksPerSecond) - origin;
            var span = plot.Add.HorizontalSpan(at, at + Math.Max(fault.ForSeconds ?? 0, 0.2), FaultColor.WithAlpha(0.12));
            span.LineWidth = 0;
            // Solid lines: the SVG canvas cannot draw dash effects (it prints "Unsupported path effect" and draws them solid).
            var line = plot.Add.VerticalLine(at, 1.5f, FaultColor);
            line.LegendText = first ? "fault set off" : "";
            if (fault.TimeToRecoverSeconds is { } recover)
            {
                var back = plot.Add.VerticalLine(at + recover, 1.5f, RecoveredColor);
                back.LegendText = first ? "recovered" : "";
            }

            first = false;
        }
    }

    private static double[] SecondsSinceStart(IReadOnlyList<TimelineWindow> windows, long? origin = null)
    {
        var start = origin ?? windows[0].UnixSecond;
        return windows.Select(w => (double)(w.UnixSecond - start)).ToArray();
    }

    private static void Finish(Plot plot, string? note, bool legend)
    {
        if (note is not null)
        {
            var annotation = plot.Add.Annotation(note, Alignment.MiddleCenter);
            annotation.LabelFontSize = 15;
            annotation.LabelFontName = Font.Measure;
            annotation.LabelFontColor = Color.FromHex("#59636e");
            annotation.LabelBackgroundColor = Colors.White;
            annotation.LabelBorderColor = Color.FromHex("#d1d9e0");
            annotation.LabelShadowColor = Colors.Transparent;
            annotation.LabelPadding = 8;
        }

        if (legend)
        {
            // Below the data area, in one row: a legend inside it would hide part of a series.
            plot.ShowLegend(Edge.Bottom);
            plot.Legend.Orientation = Orientation.Horizontal;
            plot.Legend.FontName = Font.Measure;
            plot.Legend.FontSize = 12;
            plot.Legend.OutlineWidth = 0;
            plot.Legend.ShadowColor = Colors.Transparent;
        }
    }

    private static string Svg(Plot plot, string id, string label) =>
        ChartSvg.Inline(plot.GetSvgXml(Width, Height), "chart-" + id + "-", label, Font.Css);

    private static (string Measure, string Css) ChooseFont()
    {
        // Text is laid out with a font SkiaSharp finds on this machine; the browser gets that font first and common
        // sans-serif fallbacks after it, so labels keep their size where the report is opened.
        string[] preferred = ["DejaVu Sans", "Liberation Sans", "Noto Sans", "Arial", "Helvetica"];
        var installed = SkiaSharp.SKFontManager.Default.GetFontFamilies().ToHashSet(StringComparer.OrdinalIgnoreCase);
        var measure = preferred.FirstOrDefault(installed.Contains) ?? Fonts.Default;
        return (measure, $"'{measure}', 'DejaVu Sans', Arial, Helvetica, sans-serif");
    }
}
