using ScottPlot;

namespace Yardstick.Reports;

internal static partial class ReportCharts
{
    private static readonly Color MemoryColor = Color.FromHex("#1a7f37");
    private static readonly Color GapColor = Color.FromHex("#8c959f");

    /// <summary>
    /// The target's CPU (left axis) and resident memory (right axis) on the latency chart's x axis; seconds without a
    /// sample shaded grey and left unjoined.
    /// </summary>
    public static string ServerOverTime(ServerTimeline server)
    {
        var plot = NewPlot("Target process", "seconds since start", "CPU (% of one core)");
        var first = true;
        foreach (var segment in server.Cpu)
        {
            var line = Line(plot, segment.Select(p => p.X).ToArray(), segment.Select(p => p.Value), first ? "CPU %" : "", CandidateColor);
            line.MarkerSize = segment.Count == 1 ? 5 : 0;
            first = false;
        }

        first = true;
        foreach (var segment in server.Memory)
        {
            var line = Line(plot, segment.Select(p => p.X).ToArray(), segment.Select(p => p.Value), first ? "resident memory MB (right axis)" : "", MemoryColor);
            line.MarkerSize = segment.Count == 1 ? 5 : 0;
            line.Axes.YAxis = plot.Axes.Right;
            first = false;
        }

        first = true;
        foreach (var (from, to) in server.Gaps)
        {
            var span = plot.Add.HorizontalSpan(from, to, GapColor.WithAlpha(0.2));
            span.LineWidth = 0;
            span.LegendText = first ? "no sample" : "";
            first = false;
        }

        var cpuTop = server.Cpu.SelectMany(s => s).Select(p => p.Value).DefaultIfEmpty(0).Max();
        var memoryTop = server.Memory.SelectMany(s => s).Select(p => p.Value).DefaultIfEmpty(0).Max();
        plot.Axes.Right.Label.Text = "resident memory (MB)";
        plot.Axes.Right.Label.FontSize = 13;
        plot.Axes.Right.TickLabelStyle.FontSize = 12;
        plot.Axes.SetLimitsY(0, Math.Max(10, cpuTop) * 1.1, plot.Axes.Left);
        plot.Axes.SetLimitsY(0, Math.Max(1, memoryTop) * 1.1, plot.Axes.Right);
        plot.Axes.SetLimitsX(0, server.XMax);
        var any = ServerTimeline.Count(server.Cpu) > 0;
        Finish(plot, any ? null : "No server samples", any);
        return Svg(plot, "server", "Target CPU and resident memory per second");
    }

    /// <summary>Azure Monitor's instances (left axis) and HTTP 5xx per minute (right axis), minute steps on the latency chart's x axis.</summary>
    public static string AzureScaleOverTime(MinuteTimeline server)
    {
        var plot = NewPlot("App instances and 5xx (Azure Monitor, per minute)", "seconds since start", "instances");
        var instances = Steps(plot, server.Of(Core.ServerMetrics.ServerMetricSeries.InstanceCount), "instances", CandidateColor, right: false);
        var errors = Steps(plot, server.Of(Core.ServerMetrics.ServerMetricSeries.Http5xx), "HTTP 5xx per minute (right axis)", ErrorColor, right: true);
        return FinishMinutes(plot, server, "5xx per minute", instances, errors, "azure-scale", "App instances and HTTP 5xx per minute from Azure Monitor");
    }

    /// <summary>Azure Monitor's CPU percentage (left axis) and memory working set (right axis), minute steps on the latency chart's x axis.</summary>
    public static string AzureResourcesOverTime(MinuteTimeline server)
    {
        var plot = NewPlot("App CPU and memory (Azure Monitor, per minute)", "seconds since start", "CPU (%)");
        var cpu = Steps(plot, server.Of(Core.ServerMetrics.ServerMetricSeries.InstanceCpuPercent), "CPU %", CandidateColor, right: false);
        var memory = Steps(plot, server.Of(Core.ServerMetrics.ServerMetricSeries.MemoryWorkingSetMB), "memory working set MB (right axis)", MemoryColor, right: true);
        return FinishMinutes(plot, server, "memory working set (MB)", cpu, memory, "azure-resources", "App CPU percentage and memory working set per minute from Azure Monitor");
    }

    /// <summary>Draws step segments; returns the series' largest value (0 without points).</summary>
    private static double Steps(Plot plot, IReadOnlyList<IReadOnlyList<(double X, double Value)>> segments, string name, Color color, bool right)
    {
        var first = true;
        foreach (var segment in segments)
        {
            var line = Line(plot, segment.Select(p => p.X).ToArray(), segment.Select(p => p.Value), first ? name : "", color);
            line.MarkerSize = 0;
            if (right)
            {
                line.Axes.YAxis = plot.Axes.Right;
            }

            first = false;
        }

        return segments.SelectMany(s => s).Select(p => p.Value).DefaultIfEmpty(0).Max();
    }

    private static string FinishMinutes(Plot plot, MinuteTimeline server, string rightLabel, double leftTop, double rightTop, string id, string label)
    {
        var first = true;
        foreach (var (from, to) in server.Gaps)
        {
            var span = plot.Add.HorizontalSpan(Math.Max(from, 0), Math.Min(to, server.XMax), GapColor.WithAlpha(0.2));
            span.LineWidth = 0;
            span.LegendText = first ? "no point (gap)" : "";
            first = false;
        }

        plot.Axes.Right.Label.Text = rightLabel;
        plot.Axes.Right.Label.FontSize = 13;
        plot.Axes.Right.TickLabelStyle.FontSize = 12;
        plot.Axes.SetLimitsY(0, Math.Max(1, leftTop) * 1.15, plot.Axes.Left);
        plot.Axes.SetLimitsY(0, Math.Max(1, rightTop) * 1.15, plot.Axes.Right);
        plot.Axes.SetLimitsX(0, server.XMax);
        var any = plot.GetPlottables().OfType<ScottPlot.Plottables.Scatter>().Any();
        Finish(plot, any ? null : "No Azure Monitor points", any || server.Gaps.Count > 0);
        return Svg(plot, id, label);
    }
}
