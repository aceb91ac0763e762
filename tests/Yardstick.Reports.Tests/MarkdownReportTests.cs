using System.Text.RegularExpressions;
using Xunit.Abstractions;
using Yardstick.Core.Summaries;
using Yardstick.Reports;

namespace Yardstick.Reports.Tests;

public sealed partial class MarkdownReportTests(ITestOutputHelper output)
{
    private const int LineBudget = 50;

    [Fact]
    public void Render_Regression_HeadlineNamesWorkloadVerdictAndOutcome()
    {
        var md = MarkdownReport.Render(ReportFixtures.Regression());

        var lines = Lines(md);
        Assert.StartsWith("## ❌ Yardstick · checkout-api: regression", lines[0], StringComparison.Ordinal);
        Assert.Contains("**FAIL**", md, StringComparison.Ordinal);
        Assert.Contains("status **completed**", md, StringComparison.Ordinal);
        Assert.Contains("commit `3f9c2ab`", md, StringComparison.Ordinal);
        Assert.Contains("baseline `20250531T120000Z-1c2d`", md, StringComparison.Ordinal);
        Assert.Contains("> Regression: p95, p99 worse beyond the margin", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_QuantilesWithTailSamples_OneLineStatesThem_NoneWithout()
    {
        var report = ReportFixtures.Regression();
        var verdict = report.Candidate.Verdict!;
        var withTails = verdict with
        {
            Metrics = verdict.Metrics.Select(m => m.Metric switch { "p95" => m with { TailSamples = 1_500 }, "p99" => m with { TailSamples = 300 }, _ => m }).ToList(),
        };

        var md = MarkdownReport.Render(report with { Candidate = report.Candidate with { Verdict = withTails } });

        Assert.Contains("🔢 Tail samples behind each quantile (fewest in a compared run): p95 1,500, p99 300.", md, StringComparison.Ordinal);
        Assert.DoesNotContain("Tail samples", MarkdownReport.Render(report), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Regression_HasOneTableRowPerMetricWithValuesAndVerdict()
    {
        var report = ReportFixtures.Regression();

        var md = MarkdownReport.Render(report);

        var rows = TableRows(md, "| Metric |");
        Assert.Equal(report.Candidate.Verdict!.Metrics.Count, rows.Count);
        var p95 = report.Candidate.Verdict.Metrics.Single(m => m.Metric == "p95");
        var p95Row = rows.Single(r => r.StartsWith("| p95 |", StringComparison.Ordinal));
        Assert.Contains(ReportText.Ms(p95.Baseline!.Value), p95Row, StringComparison.Ordinal);
        Assert.Contains(ReportText.Ms(p95.Candidate!.Value), p95Row, StringComparison.Ordinal);
        Assert.Contains($"{ReportText.SignedPercent(p95.CiLow!.Value)} … {ReportText.SignedPercent(p95.CiHigh!.Value)} (99 %)", p95Row, StringComparison.Ordinal);
        Assert.Contains(ReportText.SignedPercent(p95.Ratio!.Value), p95Row, StringComparison.Ordinal);
        Assert.Contains("🔴 regression", p95Row, StringComparison.Ordinal);
        var errorRow = rows.Single(r => r.StartsWith("| errorRate |", StringComparison.Ordinal));
        Assert.Contains("−0.04 pp … +1.31 pp (99 %)", errorRow, StringComparison.Ordinal);
        Assert.All(rows, r => Assert.Equal(7, UnescapedPipes(r)));
    }

    [Fact]
    public void Render_Regression_ListsThresholdsBreachesFirst()
    {
        var md = MarkdownReport.Render(ReportFixtures.Regression());

        var rows = TableRows(md, "| Threshold |");
        Assert.Equal(3, rows.Count);
        Assert.StartsWith("| `errorRate < 0.1%` |", rows[0], StringComparison.Ordinal);
        Assert.Contains("❌ fail", rows[0], StringComparison.Ordinal);
        Assert.All(rows.Skip(1), r => Assert.Contains("✅ pass", r, StringComparison.Ordinal));
        Assert.Contains("thresholds 2/3 passed", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Regression_ShowsRunNumbersColdStartCostAndLink()
    {
        var report = ReportFixtures.Regression();
        var run = report.Candidate;

        var md = MarkdownReport.Render(report);

        Assert.Contains($"**Requests** {run.Requests:N0} in 30 s", md, StringComparison.Ordinal);
        Assert.Contains($"of {run.TargetRps!.Value:N1} target", md, StringComparison.Ordinal);
        Assert.Contains($"**Errors** {run.Errors:N0} (", md, StringComparison.Ordinal);
        Assert.Contains($"timeout {run.ErrorBreakdown.Timeout:N0}, 5xx {run.ErrorBreakdown.Http5xx:N0}", md, StringComparison.Ordinal);
        Assert.Contains("**Dropped arrivals** 0 · **scheduling lag** p50", md, StringComparison.Ordinal);
        Assert.Contains("**Cold start** p50 1,840 ms, p90 2,310 ms, max 2,402 ms · warm p50 21.4 ms", md, StringComparison.Ordinal);
        Assert.Contains("**Cost** (flex-consumption) modeled 0.261 USD per 1M requests (0.248 USD … 0.277 USD) · metered n/a", md, StringComparison.Ordinal);
        Assert.Contains($"[Full HTML report]({ReportFixtures.ArtifactsUrl}/report.html)", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Inconclusive_SaysHowManyMoreRunsWouldDecide()
    {
        var md = MarkdownReport.Render(ReportFixtures.Regression());

        // The fixture's inconclusive metrics need 3 and 6 more runs: the larger one decides.
        Assert.Contains("about 6 more runs per side would likely decide", md, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("regression")]
    [InlineData("no-baseline")]
    [InlineData("failed")]
    public void Render_AnyRun_StaysWithinLineBudget(string fixture)
    {
        var md = MarkdownReport.Render(Fixture(fixture));
        output.WriteLine(md);

        Assert.InRange(Lines(md).Count, 5, LineBudget);
    }

    [Fact]
    public void Render_ManyThresholds_SummarisesTheRestWithinBudget()
    {
        var report = ReportFixtures.Regression();
        var many = Enumerable.Range(1, 40)
            .Select(i => new ThresholdSummary { Threshold = $"p(99) < {i * 100}ms", Metric = "p99", Actual = 50, Passed = true, Explanation = "met" })
            .ToList();
        report = report with { Candidate = report.Candidate with { Verdict = report.Candidate.Verdict! with { Thresholds = many } } };

        var md = MarkdownReport.Render(report);

        Assert.InRange(Lines(md).Count, 5, LineBudget);
        Assert.Contains("… 30 more (all passed) in the HTML report", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_NoBaseline_SaysThresholdsDecideAndHasNoMetricTable()
    {
        var md = MarkdownReport.Render(ReportFixtures.NoBaseline());

        Assert.StartsWith("## ✅ Yardstick · checkout-api: no-baseline", md, StringComparison.Ordinal);
        Assert.Contains("No baseline yet", md, StringComparison.Ordinal);
        Assert.DoesNotContain("| Metric |", md, StringComparison.Ordinal);
        Assert.Single(TableRows(md, "| Threshold |"));
    }

    [Fact]
    public void Render_FailedRun_ShowsReasonAndZeroRequests()
    {
        var md = MarkdownReport.Render(ReportFixtures.EmptyFailed());

        Assert.StartsWith("## 💥 Yardstick · checkout-api: not analysed", md, StringComparison.Ordinal);
        Assert.Contains("**RUN FAILED**", md, StringComparison.Ordinal);
        Assert.Contains("> Run failed: 0 of 2 shards succeeded", md, StringComparison.Ordinal);
        Assert.Contains("**Requests** 0 in", md, StringComparison.Ordinal);
        Assert.DoesNotContain("**Latency**", md, StringComparison.Ordinal);
        Assert.DoesNotContain("Full HTML report", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_HostileWorkloadAndMetricText_IsEscaped()
    {
        var report = ReportFixtures.Regression();
        var verdict = report.Candidate.Verdict!;
        var hostileMetric = verdict.Metrics[0] with { Metric = "p50|<b>x</b>", Kind = "equivalent" };
        report = report with
        {
            Candidate = report.Candidate with
            {
                Workload = "api | <img src=x onerror=alert(1)> *bold*",
                Verdict = verdict with { Metrics = [hostileMetric, .. verdict.Metrics.Skip(1)] },
            },
        };

        var md = MarkdownReport.Render(report);

        // Outside code spans (where Markdown is literal) every '<' carries a backslash, so no HTML tag can open.
        Assert.DoesNotMatch(@"(?<!\\)<", CodeSpan().Replace(md, ""));
        Assert.Contains(@"api \| \<img src=x onerror=alert\(1\)\> \*bold\*", md, StringComparison.Ordinal);
        Assert.All(TableRows(md, "| Metric |"), r => Assert.Equal(7, UnescapedPipes(r)));
    }

    internal static RunReport Fixture(string name) => name switch
    {
        "regression" => ReportFixtures.Regression(),
        "no-baseline" => ReportFixtures.NoBaseline(),
        _ => ReportFixtures.EmptyFailed(),
    };

    private static List<string> Lines(string md) => md.TrimEnd('\n').Split('\n').ToList();

    /// <summary>The body rows of the table whose header starts with <paramref name="header"/>.</summary>
    private static List<string> TableRows(string md, string header)
    {
        var lines = Lines(md);
        var start = lines.FindIndex(l => l.StartsWith(header, StringComparison.Ordinal));
        Assert.True(start >= 0, $"no table starting with {header}");
        return lines.Skip(start + 2).TakeWhile(l => l.StartsWith('|')).ToList();
    }

    private static int UnescapedPipes(string row) => UnescapedPipe().Count(row);

    [GeneratedRegex(@"(?<!\\)\|")]
    private static partial Regex UnescapedPipe();

    [GeneratedRegex("`[^`]*`")]
    private static partial Regex CodeSpan();

    [Fact]
    public void Render_ServerFigures_ShowsServerLineAndServerModeledCost()
    {
        var report = ReportFixtures.WithServerFigures();

        var md = MarkdownReport.Render(report);

        Assert.Contains("· metered n/a · modeled from server durations 0.15 USD per 1M requests", md, StringComparison.Ordinal);
        Assert.Contains("- **Server (App Insights)** 6,000 requests · duration p50 12.5 ms, p95 48.0 ms · 3 instance(s)", md, StringComparison.Ordinal);
        Assert.DoesNotContain("Server (App Insights)", MarkdownReport.Render(ReportFixtures.Regression()), StringComparison.Ordinal);
    }
}
