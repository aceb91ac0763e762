using Yardstick.Core.Summaries;
using Yardstick.Reports;

namespace Yardstick.Reports.Tests;

/// <summary>The SLO section of the HTML and Markdown reports (<see cref="HtmlReport"/>, <see cref="MarkdownReport"/>, <see cref="SloText"/>).</summary>
public sealed class SloReportTests
{
    private static readonly SloSummary Slo = new()
    {
        WindowDays = 30,
        Objectives =
        [
            new SloObjectiveResult { Objective = "availability", Sli = "availability", Target = 0.999, Good = 9995, Total = 10000, Attainment = 0.9995, BurnRate = 0.5, Met = true },
            new SloObjectiveResult { Objective = "latency <= 300ms", Sli = "latency", ThresholdMs = 300, Target = 0.99, Good = 9800, Total = 10000, Attainment = 0.98, BurnRate = 2, Met = false },
        ],
    };

    [Fact]
    public void Html_RunWithSlo_ShowsEachObjectiveWithAttainmentBurnAndResult()
    {
        var report = ReportFixtures.NoBaseline();

        var html = HtmlReport.Render(report with { Candidate = report.Candidate with { Slo = Slo } });

        Assert.Contains("<section id=\"slo\">", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#slo\">SLO</a>", html, StringComparison.Ordinal);
        Assert.Contains("<code>latency &lt;= 300ms</code>", html, StringComparison.Ordinal);
        Assert.Contains("99.95 %", html, StringComparison.Ordinal);
        Assert.Contains(">2&#215;<", html, StringComparison.Ordinal);
        Assert.Contains("r-fail\">missed", html, StringComparison.Ordinal);
        Assert.Contains("30 d window", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_RunWithoutSlo_HasNoSloSection()
    {
        Assert.DoesNotContain("id=\"slo\"", HtmlReport.Render(ReportFixtures.NoBaseline()), StringComparison.Ordinal);
    }

    [Fact]
    public void Markdown_RunWithSlo_OneLineWithEveryObjective()
    {
        var report = ReportFixtures.NoBaseline();

        var md = MarkdownReport.Render(report with { Candidate = report.Candidate with { Slo = Slo } });

        Assert.Contains("- **SLO** (30 d window): ✅ `availability` 99.95 % (objective 99.9 %, burn 0.5×) · ❌ `latency <= 300ms` 98 % (objective 99 %, burn 2×)", md, StringComparison.Ordinal);
    }
}
