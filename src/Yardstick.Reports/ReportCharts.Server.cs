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
}
