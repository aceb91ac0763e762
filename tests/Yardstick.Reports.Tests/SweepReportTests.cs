using System.Text.RegularExpressions;
using System.Xml.Linq;
using Xunit.Abstractions;
using Yardstick.Core.Cost;
using Yardstick.Core.Summaries;
using Yardstick.Reports;

namespace Yardstick.Reports.Tests;

/// <summary>The sweep section of the HTML and Markdown reports: a cost-vs-p95 chart with the front marked, and a table.</summary>
public sealed partial class SweepReportTests(ITestOutputHelper output)
{
    private const string RecommendedGreen = "#1A7F37";
    private const string FrontBlue = "#1F6FEB";

    /// <summary>An instance-memory sweep: 512 is cheap and slow, 4096 fast and dear, 2048 within 5 % of 4096 and cheaper.</summary>
    internal static RunReport WithSweep(bool cost = true, int extra = 0)
    {
        var variants = new List<VariantSummary>
        {
            Variant("512", 182, cost ? 1.1e-6 : null),
            Variant("1024", 190, cost ? 1.5e-6 : null),
            Variant("2048", 51.5, cost ? 1.6e-6 : null),
            Variant("4096", 50, cost ? 3.1e-6 : null),
        };
        variants.AddRange(Enumerable.Range(0, extra).Select(i => Variant($"x{i}", 300 + i, cost ? 4e-6 : null)));
        var report = ReportFixtures.NoBaseline();
        return report with
        {
            Candidate = report.Candidate with
            {
                Variants = SweepRecommendation.Annotate(variants, margin: 0.05),
                SweepParameter = "instanceMemoryMB",
            },
        };
    }

    private static VariantSummary Variant(string name, double p95, double? costPerRequest) => new()
    {
        Variant = name,
        Requests = 12_000,
        Errors = 3,
        ErrorRate = 3 / 12_000.0,
        ThroughputRps = 100,
        Rounds = 3,
        LatencyMs = new LatencySummary { P50 = p95 * 0.6, P90 = p95 * 0.9, P95 = p95, P99 = p95 * 1.4, Max = p95 * 2, Mean = p95 * 0.65 },
        CostPerRequestUsd = costPerRequest,
        Per1MRequestsUsd = costPerRequest * 1_000_000,
    };

    [Fact]
    public void Html_Sweep_HasSectionNavigationChartAndOneRowPerValue()
    {
        var html = HtmlReport.Render(WithSweep());

        Assert.Contains("<section id=\"sweep\">", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#sweep\">Settings sweep</a>", html, StringComparison.Ordinal);
        Assert.Contains("4 values of <code>instanceMemoryMB</code>", html, StringComparison.Ordinal);
        Assert.Contains("Recommended: <strong>2048</strong>", html, StringComparison.Ordinal);
        var rows = SweepRows(html);
        Assert.Equal(4, rows.Count);
        Assert.Equal(3, rows.Count(r => r.Contains("★ on the front", StringComparison.Ordinal)));
        Assert.Contains("dominated", rows[1], StringComparison.Ordinal);
        Assert.Contains("<span class=\"badge r-pass\">recommended</span>", Assert.Single(rows, r => r.Contains("<code>2048</code>", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Contains("<td class=\"num\">1.6 USD</td>", rows[2], StringComparison.Ordinal);
    }

    [Fact]
    public void Html_Sweep_ChartDrawsTheFrontLineAndColoursThePoints()
    {
        var html = HtmlReport.Render(WithSweep());

        var svg = Assert.Single(HtmlReportTests.ChartSvgs(html, "pareto"));
        var texts = svg.Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value).ToList();
        output.WriteLine(string.Join(" | ", texts));

        Assert.Contains("Cost against p95 latency per setting", texts);
        Assert.All(new[] { "512", "1024", "2048", "4096" }, v => Assert.Contains(v, texts));
        // The front (512 → 2048 → 4096 in cost order) is one blue polyline with a segment per step.
        Assert.Contains(svg.Descendants(), e => e.Name.LocalName == "path" && Is(e, "stroke", FrontBlue) && ((string?)e.Attribute("d"))?.Count(c => c == 'L') >= 2);
        Assert.Contains(svg.Descendants(), e => Is(e, "fill", RecommendedGreen));
        Assert.Contains(svg.Descendants(), e => Is(e, "fill", FrontBlue));
    }

    [Fact]
    public void Html_SweepWithoutCost_ChartsErrorRateAndSaysTheFastestIsRecommended()
    {
        var html = HtmlReport.Render(WithSweep(cost: false));

        var svg = Assert.Single(HtmlReportTests.ChartSvgs(html, "pareto"));
        Assert.Contains(svg.Descendants(), e => e.Name.LocalName == "text" && e.Value == "Error rate against p95 latency per setting");
        Assert.Contains("Recommended: <strong>4096</strong>, the fastest (the workload has no cost section).", html, StringComparison.Ordinal);
        Assert.All(SweepRows(html), r => Assert.Contains("<td class=\"num\">n/a</td>", r, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Html_FewerThanTwoVariants_HasNoSweepSection(int count)
    {
        var report = WithSweep();
        report = report with { Candidate = report.Candidate with { Variants = report.Candidate.Variants.Take(count).ToList() } };

        var html = HtmlReport.Render(report);

        Assert.DoesNotContain("id=\"sweep\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-chart=\"pareto\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_Sweep_StaysSelfContainedWithUniqueIds()
    {
        var html = HtmlReport.Render(WithSweep());

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("xmlns=\"http", html, StringComparison.Ordinal);
        var ids = IdAttribute().Matches(html).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.Contains(ids, id => id.StartsWith("chart-pareto-", StringComparison.Ordinal));
    }

    [Fact]
    public void Markdown_Sweep_HasATableWithTheFrontAndTheRecommendation_WithinTheLineBudget()
    {
        var md = MarkdownReport.Render(WithSweep());
        output.WriteLine(md);

        Assert.Contains("**Sweep** of `instanceMemoryMB` (★ Pareto front, lower is better):", md, StringComparison.Ordinal);
        var rows = md.Split('\n').SkipWhile(l => !l.StartsWith("| Value |", StringComparison.Ordinal)).Skip(2).TakeWhile(l => l.StartsWith('|')).ToList();
        Assert.Equal(4, rows.Count);
        Assert.Equal(3, rows.Count(r => r.Contains('★', StringComparison.Ordinal)));
        Assert.Contains("| `2048` | 51.5 ms | 72.1 ms | 0.03 % | 1.6 USD | ★ **recommended** |", rows);
        Assert.InRange(md.TrimEnd('\n').Split('\n').Length, 5, 50);
    }

    [Fact]
    public void Markdown_ManyVariants_KeepsTheFrontAndSummarisesTheRest()
    {
        var md = MarkdownReport.Render(WithSweep(extra: 10));

        var rows = md.Split('\n').SkipWhile(l => !l.StartsWith("| Value |", StringComparison.Ordinal)).Skip(2).TakeWhile(l => l.StartsWith('|')).ToList();
        Assert.Equal(MarkdownReport.MaxVariantRows + 1, rows.Count);
        Assert.Contains("| … 6 more in the HTML report | | | | | |", rows);
        Assert.Contains(rows, r => r.Contains("**recommended**", StringComparison.Ordinal));
        Assert.Equal(3, rows.Count(r => r.Contains('★', StringComparison.Ordinal)));
        Assert.InRange(md.TrimEnd('\n').Split('\n').Length, 5, 50);
    }

    [Fact]
    public void Markdown_NoSweep_HasNoSweepTable()
    {
        Assert.DoesNotContain("**Sweep**", MarkdownReport.Render(ReportFixtures.Regression()), StringComparison.Ordinal);
    }

    private static bool Is(XElement e, string attribute, string color) =>
        string.Equals((string?)e.Attribute(attribute), color, StringComparison.OrdinalIgnoreCase);

    private static List<string> SweepRows(string html)
    {
        var start = html.IndexOf("<table class=\"sweep\">", StringComparison.Ordinal);
        Assert.True(start >= 0, "no sweep table");
        var body = html[html.IndexOf("<tbody>", start, StringComparison.Ordinal)..html.IndexOf("</tbody>", start, StringComparison.Ordinal)];
        return Row().Matches(body).Select(m => m.Value).ToList();
    }

    [GeneratedRegex(@"<tr>.*?</tr>", RegexOptions.Singleline)]
    private static partial Regex Row();

    [GeneratedRegex(@"\sid=""([^""]+)""")]
    private static partial Regex IdAttribute();
}
