using Yardstick.Core.Summaries;

namespace Yardstick.Reports.Tests;

/// <summary>The drift verdict in report.md and report.html: shown beside the overall verdict when present, absent otherwise.</summary>
public sealed class DriftReportTests
{
    private const string Sentence = "Drift: p95 shifted +12.0% (95% CI +9.0% .. +15.0%), 190 ms → 212.8 ms, from run r-<step> on, held 6 runs after 30 (E-divisive means, p = 0.005).";

    [Fact]
    public void Render_RunWithDrift_MarkdownAndHtmlCarryTheSentence()
    {
        var report = WithDrift();

        var md = MarkdownReport.Render(report);
        var html = HtmlReport.Render(report);

        var line = Assert.Single(md.Split('\n'), l => l.StartsWith("> **drift** · ", StringComparison.Ordinal));
        Assert.Contains("p95 shifted", line, StringComparison.Ordinal); // Markdown-escaped like every value
        Assert.DoesNotContain("<step>", line, StringComparison.Ordinal);
        Assert.Contains("<span class=\"badge v-drift\">drift</span> Drift: p95 shifted +12.0%", html, StringComparison.Ordinal);
        Assert.Contains("from run r-&lt;step&gt; on", html, StringComparison.Ordinal); // encoded like every value
    }

    [Fact]
    public void Render_RunWithoutDrift_NoDriftLine()
    {
        var report = ReportFixtures.Regression();

        Assert.DoesNotContain("**drift**", MarkdownReport.Render(report), StringComparison.Ordinal);
        Assert.DoesNotContain("v-drift", HtmlReport.Render(report), StringComparison.Ordinal);
    }

    private static RunReport WithDrift()
    {
        var report = ReportFixtures.Regression();
        return report with
        {
            Candidate = report.Candidate with
            {
                Verdict = report.Candidate.Verdict! with
                {
                    Drift = new DriftSummary
                    {
                        Explanation = Sentence,
                        Metrics = [new DriftMetricSummary("p95", "r-<step>", DateTimeOffset.UnixEpoch, 190, 212.8, 0.12, 0.09, 0.15, true, 0.005, 30, 6)],
                    },
                },
            },
        };
    }
}
