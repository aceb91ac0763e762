using Yardstick.Core.ServerMetrics;
using Yardstick.Reports;

namespace Yardstick.Reports.Tests;

/// <summary>
/// The server's series in the reports: a chart on the latency chart's time axis in report.html (one point per sample,
/// gaps shaded, never joined) and one line in report.md (peaks and gaps); neither without server metrics.
/// </summary>
public sealed class ServerMetricsReportTests
{
    /// <summary>The fixture's 30-second timeline with a sample mid-second in each second but 10–12 (a 3 s gap).</summary>
    private static RunReport WithServerMetrics()
    {
        var report = ReportFixtures.NoBaseline();
        var start = DateTimeOffset.FromUnixTimeSeconds(report.Timeline[0].UnixSecond);
        var seconds = Enumerable.Range(0, 30).Where(s => s is < 10 or > 12).ToList();
        var set = new ServerMetricSet
        {
            Source = ServerMetricSet.ProcessSource,
            IntervalSeconds = 1,
            From = start,
            To = start.AddSeconds(30),
            Series =
            [
                new ServerMetricSeries { Name = ServerMetricSeries.CpuPercent, Unit = "%", Points = seconds.Select(s => new ServerMetricPoint(start.AddSeconds(s + 0.5), s == 20 ? 91.5 : 40)).ToList() },
                new ServerMetricSeries { Name = ServerMetricSeries.ResidentMemoryMB, Unit = "MB", Points = seconds.Select(s => new ServerMetricPoint(start.AddSeconds(s + 0.5), 100 + s)).ToList() },
            ],
            Gaps = [new ServerMetricGap(start.AddSeconds(10), start.AddSeconds(13))],
        };
        return report with { ServerMetrics = set };
    }

    [Fact]
    public void ServerTimeline_OnTheLatencyChartsAxis_OnePointPerSample_SplitAtTheGap()
    {
        var report = WithServerMetrics();

        var server = ServerTimeline.Of(report.Timeline, report.ServerMetrics)!;

        // The latency chart's x axis runs from the first window (0) to the last window's second (29).
        Assert.Equal(report.Timeline[^1].UnixSecond - report.Timeline[0].UnixSecond, server.XMax);
        Assert.Equal(27, ServerTimeline.Count(server.Cpu));
        Assert.Equal(27, ServerTimeline.Count(server.Memory));
        Assert.Equal(2, server.Cpu.Count);
        Assert.Equal(0.5, server.Cpu[0][0].X, 6);
        Assert.Equal(9.5, server.Cpu[0][^1].X, 6);
        Assert.Equal(13.5, server.Cpu[1][0].X, 6);
        Assert.Equal((10.0, 13.0), Assert.Single(server.Gaps));
    }

    [Fact]
    public void Html_WithServerMetrics_DrawsTheServerChartInTheTimelineSection()
    {
        var html = HtmlReport.Render(WithServerMetrics());

        var timeline = html[html.IndexOf("<section id=\"timeline\">", StringComparison.Ordinal)..];
        timeline = timeline[..timeline.IndexOf("</section>", StringComparison.Ordinal)];
        Assert.Contains("data-chart=\"server\" data-points=\"27\"", timeline, StringComparison.Ordinal);
        Assert.Contains("<svg", timeline[timeline.IndexOf("data-chart=\"server\"", StringComparison.Ordinal)..], StringComparison.Ordinal);
        Assert.Contains("peak CPU 91.5 % of one core", timeline, StringComparison.Ordinal);
        Assert.Contains("no sample", timeline, StringComparison.Ordinal);
    }

    [Fact]
    public void Markdown_WithServerMetrics_OneLineWithPeaksAndGaps()
    {
        var md = MarkdownReport.Render(WithServerMetrics());

        Assert.Contains("- **Server** process, every 1 s: 27 of 30 seconds sampled · peak CPU 91.5 % of one core · peak resident memory 129.0 MB · gaps: 3 s in 1 gap.", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Markdown_AzureMonitorMetrics_PeaksPerSeries_AndTheIngestionDelay()
    {
        var report = ReportFixtures.NoBaseline();
        var minute = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var set = ServerMetricSets.FromIntervals(
            ServerMetricSet.AzureMonitorSource,
            TimeSpan.FromMinutes(1),
            [
                new ServerMetricSeries { Name = ServerMetricSeries.InstanceCount, Unit = "count", Points = [new(minute, 1), new(minute.AddMinutes(2), 4)] },
                new ServerMetricSeries { Name = ServerMetricSeries.Http5xx, Unit = "count", Points = [new(minute, 0), new(minute.AddMinutes(2), 12)] },
            ],
            minute.AddSeconds(10),
            minute.AddSeconds(170),
            readAt: minute.AddMinutes(8));

        var md = MarkdownReport.Render(report with { ServerMetrics = set });
        var html = HtmlReport.Render(report with { ServerMetrics = set });

        Assert.Contains("- **Server** azure-monitor, every 60 s: 2 of 3 intervals sampled · peak instanceCount 4 count · peak http5xx 12 count · gaps: 60 s in 1 gap · read 5 min 0 s after the window \\(ingestion delay\\).", md, StringComparison.Ordinal);
        // The HTML draws the per-minute series (not the process chart) and states them in the caption.
        Assert.Contains("data-server=\"azure-monitor\">Server: azure-monitor, every 60 s: 2 of 3 intervals sampled", html, StringComparison.Ordinal);
        Assert.Contains("data-chart=\"server-azure-scale\" data-points=\"4\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-chart=\"server\"", html, StringComparison.Ordinal);
    }

    /// <summary>
    /// The fixture's run stretched to five minutes (its 30 windows repeated) with Azure Monitor points for every minute
    /// the window touches but the fourth: instances 1, 2, 4, –, 3 …, 5xx 0, 0, 7, –, 1 …, read 5 minutes after the window.
    /// </summary>
    internal static RunReport WithAzureMonitorMetrics()
    {
        var report = ReportFixtures.NoBaseline();
        var windows = Enumerable.Range(0, 300).Select(i => report.Timeline[i % 30] with { UnixSecond = report.Timeline[0].UnixSecond + i }).ToList();
        var start = DateTimeOffset.FromUnixTimeSeconds(windows[0].UnixSecond);
        var end = start.AddSeconds(300);
        var firstMinute = new DateTimeOffset(start.UtcTicks / TimeSpan.TicksPerMinute * TimeSpan.TicksPerMinute, TimeSpan.Zero);
        var minutes = Enumerable.Range(0, (int)Math.Ceiling((end - firstMinute).TotalMinutes)).Where(m => m != 3).ToList();
        double[] instances = [1, 2, 4, 0, 3, 3];
        double[] errors = [0, 0, 7, 0, 1, 0];
        ServerMetricSeries Series(string name, string unit, Func<int, double> value) =>
            new() { Name = name, Unit = unit, Points = minutes.Select(m => new ServerMetricPoint(firstMinute.AddMinutes(m), value(m))).ToList() };
        var set = ServerMetricSets.FromIntervals(
            ServerMetricSet.AzureMonitorSource,
            TimeSpan.FromMinutes(1),
            [
                Series(ServerMetricSeries.InstanceCount, "count", m => instances[m]),
                Series(ServerMetricSeries.InstanceCpuPercent, "%", m => 20 + (10 * m)),
                Series(ServerMetricSeries.MemoryWorkingSetMB, "MB", m => 180 + m),
                Series(ServerMetricSeries.Http5xx, "count", m => errors[m]),
            ],
            firstMinute,
            firstMinute.AddMinutes(minutes[^1] + 1),
            readAt: end.AddMinutes(5));
        return report with { Timeline = windows, ServerMetrics = set };
    }

    [Fact]
    public void MinuteTimeline_AzurePoints_StepsAcrossTheirMinuteOnTheLatencyAxis_SplitAtTheMissingMinute()
    {
        var report = WithAzureMonitorMetrics();
        var origin = report.Timeline[0].UnixSecond;
        var firstMinuteX = (double)(origin / 60 * 60) - origin; // ≤ 0: the minute the run started in

        var minutes = MinuteTimeline.Of(report.Timeline, report.ServerMetrics)!;

        Assert.Equal(299, minutes.XMax); // the latency chart's axis
        var instances = minutes.Of(ServerMetricSeries.InstanceCount);
        Assert.Equal(2, instances.Count); // minutes 0–2, then from minute 4
        Assert.Equal([(firstMinuteX, 1), (firstMinuteX + 60, 1), (firstMinuteX + 60, 2), (firstMinuteX + 120, 2), (firstMinuteX + 120, 4), (firstMinuteX + 180, 4)], instances[0]);
        Assert.Equal((firstMinuteX + 240, 3), instances[1][0]);
        Assert.Contains((firstMinuteX + 180, firstMinuteX + 240), minutes.Gaps);
        Assert.Equal(report.ServerMetrics!.Find(ServerMetricSeries.Http5xx)!.Points.Count, minutes.Points[ServerMetricSeries.Http5xx]);
        Assert.Null(MinuteTimeline.Of(report.Timeline, WithServerMetrics().ServerMetrics)); // a process set is not per-minute
    }

    [Fact]
    public void Html_AzureMonitorMetrics_TwoChartsOnTheTimelineWithTheGrainDelayAndGapsStated()
    {
        var report = WithAzureMonitorMetrics();
        var points = report.ServerMetrics!.Series.Sum(s => s.Points.Count);

        var html = HtmlReport.Render(report);

        var timeline = html[html.IndexOf("<section id=\"timeline\">", StringComparison.Ordinal)..];
        timeline = timeline[..timeline.IndexOf("</section>", StringComparison.Ordinal)];
        var scale = timeline[timeline.IndexOf("data-chart=\"server-azure-scale\"", StringComparison.Ordinal)..];
        Assert.StartsWith($"data-chart=\"server-azure-scale\" data-points=\"{points / 2}\">", scale, StringComparison.Ordinal);
        Assert.Contains("<svg", scale[..scale.IndexOf("</figure>", StringComparison.Ordinal)], StringComparison.Ordinal);
        Assert.Contains("HTTP 5xx per minute", scale, StringComparison.Ordinal);
        var resources = timeline[timeline.IndexOf("data-chart=\"server-azure-resources\"", StringComparison.Ordinal)..];
        Assert.StartsWith($"data-chart=\"server-azure-resources\" data-points=\"{points / 2}\">", resources, StringComparison.Ordinal);
        Assert.Contains("<svg", resources, StringComparison.Ordinal);
        Assert.Contains("no point (gap)", resources, StringComparison.Ordinal);
        Assert.Contains(System.Net.WebUtility.HtmlEncode($"peak instanceCount 4 count · peak instanceCpuPercent {report.ServerMetrics.Find(ServerMetricSeries.InstanceCpuPercent)!.Peak} %"), resources, StringComparison.Ordinal);
        Assert.Contains("held across the minute that starts at its timestamp", resources, StringComparison.Ordinal);
        Assert.Contains("Minutes Azure Monitor had not ingested by the read show as gaps too.", resources, StringComparison.Ordinal);
        Assert.Contains($"read {ReportText.Seconds(report.ServerMetrics.IngestionDelaySeconds!.Value)} after the window (ingestion delay). One value per minute (PT1M", resources, StringComparison.Ordinal);
        Assert.True(timeline.IndexOf("data-chart=\"timeline\"", StringComparison.Ordinal) < timeline.IndexOf("server-azure-scale", StringComparison.Ordinal), "under the latency chart");
    }

    [Fact]
    public void Reports_WithoutServerMetrics_HaveNoServerChartOrLine()
    {
        var report = ReportFixtures.NoBaseline();

        Assert.DoesNotContain("data-chart=\"server\"", HtmlReport.Render(report), StringComparison.Ordinal);
        Assert.DoesNotContain("**Server**", MarkdownReport.Render(report), StringComparison.Ordinal);
        Assert.Null(ServerTimeline.Of(report.Timeline, null));
    }
}
