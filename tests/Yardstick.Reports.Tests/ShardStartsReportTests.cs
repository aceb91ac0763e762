namespace Yardstick.Reports.Tests;

/// <summary>A run whose shards began apart shows the spread and the latest start in both reports; an aligned run does not.</summary>
public sealed class ShardStartsReportTests
{
    private const string Reason = "shards did not start together: in round 0 shard 1 began 19.8 s after the first (tolerance 1.0 s)";

    [Fact]
    public void Render_DegradedByAShardThatBeganLate_ShowsSpreadAndLatestStart()
    {
        var report = Degraded();

        var md = MarkdownReport.Render(report);
        var html = HtmlReport.Render(report);

        Assert.Contains("- **Shard starts** at most 19,800 ms apart within a round; the latest 19,838 ms after its planned start", md, StringComparison.Ordinal);
        Assert.Contains("Shard starts", html, StringComparison.Ordinal);
        Assert.Contains("19,800 ms apart", html, StringComparison.Ordinal);
        Assert.Contains(Reason, html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ShardsOnTime_NoShardStartsLine()
    {
        var md = MarkdownReport.Render(ReportFixtures.NoBaseline());

        Assert.DoesNotContain("Shard starts", md, StringComparison.Ordinal);
    }

    private static RunReport Degraded()
    {
        var report = ReportFixtures.NoBaseline();
        return report with
        {
            Candidate = report.Candidate with { Status = "degraded", FailureReason = Reason, MaxShardStartSpreadMs = 19_800, MaxShardStartDelayMs = 19_838 },
        };
    }
}
