using System.Text.RegularExpressions;
using Xunit.Abstractions;
using Yardstick.Core.Capacity;
using Yardstick.Core.Workloads;
using Yardstick.Reports;

namespace Yardstick.Reports.Tests;

/// <summary>The capacity section of the HTML and Markdown reports: the answer, a latency-against-rate chart and the steps.</summary>
public sealed partial class CapacityReportTests(ITestOutputHelper output)
{
    private const string PassGreen = "#1A7F37";
    private const string FailRed = "#CF222E";

    /// <summary>
    /// A real search (<see cref="CapacitySearch"/>) against a simulated target that holds a 50 ms p99 up to 85/s and
    /// 400 ms above, each step priced at 1000 ÷ rate USD per 1M requests.
    /// </summary>
    internal static RunReport WithCapacity(bool priced = true)
    {
        var search = new CapacitySearch(new CapacitySpec { Slo = ["p(99) < 300ms"], Precision = 0.1, MaxSteps = 12 }, 20, 400);
        while (search.NextRate is { } rate)
        {
            var p99 = rate <= 85 ? 50 : 400;
            var latency = new Dictionary<string, double> { ["p50"] = p99 / 2.0, ["p95"] = p99 * 0.9, ["p99"] = p99 };
            search.Record(new CapacityStepMeasurement(rate, latency, latency, 1000, 0, 1000, 0, 1.5));
        }

        var capacity = search.Result();
        var report = ReportFixtures.NoBaseline();
        return report with { Candidate = report.Candidate with { Capacity = priced ? capacity.WithStepCosts(s => 1000 / s.Measurement.Rate) : capacity } };
    }

    [Fact]
    public void Html_Capacity_HasSectionNavigationAnswerAndOneRowPerStep()
    {
        var report = WithCapacity();
        var capacity = report.Candidate.Capacity!;
        var html = HtmlReport.Render(report);

        Assert.Contains("<section id=\"capacity\">", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#capacity\">Capacity</a>", html, StringComparison.Ordinal);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(capacity.Explanation), html, StringComparison.Ordinal);
        Assert.Contains($"Modeled cost per 1M requests at capacity: <strong>{ReportText.Usd(1000 / capacity.MaxSustainableRate!.Value)}</strong>", html, StringComparison.Ordinal);

        var rows = CapacityRows(html);
        Assert.Equal(capacity.Steps.Count, rows.Count);
        Assert.Equal(capacity.Steps.Count(s => s.Outcome == CapacityStepOutcome.Pass), rows.Count(r => r.Contains("r-pass\">pass", StringComparison.Ordinal)));
        Assert.Contains(rows, r => r.Contains("r-fail\">fail</span> p(99) &lt; 300ms", StringComparison.Ordinal));
        Assert.Contains("<th class=\"num\">Cost per 1M</th>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Capacity_BorderlineStep_IsMarkedInBothReports_AndTheAnswerGivesTheWiderInterval()
    {
        var search = new CapacitySearch(new CapacitySpec { Slo = ["p(99) < 300ms"], Precision = 0.5, MaxSteps = 3 }, 100, 400);
        foreach (var (rate, p99, low, high) in new[] { (100.0, 50.0, 45.0, 60.0), (200.0, 290.0, 250.0, 340.0), (400.0, 900.0, 800.0, 1000.0) })
        {
            var latency = new Dictionary<string, double> { ["p50"] = p99 / 2, ["p95"] = p99 * 0.9, ["p99"] = p99 };
            search.Record(new CapacityStepMeasurement(rate, latency, latency, 1000, 0, 1000, 0, 1.5) { LatencyIntervals = new Dictionary<string, QuantileBounds> { ["p99"] = new(low, high) } });
        }

        var report = ReportFixtures.NoBaseline();
        report = report with { Candidate = report.Candidate with { Capacity = search.Result() } };

        var rows = CapacityRows(HtmlReport.Render(report));
        Assert.Single(rows, r => r.Contains(">borderline</span>", StringComparison.Ordinal));
        Assert.Contains(">borderline</span>", rows[1], StringComparison.Ordinal);
        var markdown = MarkdownReport.Render(report);
        Assert.Contains("| pass (borderline) |", markdown, StringComparison.Ordinal);
        Assert.Contains("the capacity lies between 100/s and 400/s", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_Capacity_ChartMarksPassAndFailStepsAndTheCapacityAndKnee()
    {
        var report = WithCapacity();
        var capacity = report.Candidate.Capacity!;
        var html = HtmlReport.Render(report);

        var svg = Assert.Single(HtmlReportTests.ChartSvgs(html, "capacity"));
        var texts = svg.Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value).ToList();
        output.WriteLine(string.Join(" | ", texts));

        Assert.Contains("Latency against offered rate per capacity step", texts);
        Assert.Contains($"capacity {capacity.MaxSustainableRate:0.#}/s", texts);
        Assert.Contains($"knee {capacity.Knee:0.#}/s", texts);
        Assert.Contains(svg.Descendants(), e => Is(e, "fill", PassGreen));
        Assert.Contains(svg.Descendants(), e => Is(e, "fill", FailRed));
    }

    [Fact]
    public void Html_UnpricedCapacity_HasNoCostColumn_AndARunWithoutCapacityHasNoSection()
    {
        var unpriced = HtmlReport.Render(WithCapacity(priced: false));
        Assert.Contains("<section id=\"capacity\">", unpriced, StringComparison.Ordinal);
        Assert.DoesNotContain("Cost per 1M</th>", unpriced[unpriced.IndexOf("<table class=\"capacity\">", StringComparison.Ordinal)..], StringComparison.Ordinal);
        Assert.DoesNotContain("at capacity", unpriced, StringComparison.Ordinal);

        var plain = HtmlReport.Render(ReportFixtures.NoBaseline());
        Assert.DoesNotContain("id=\"capacity\"", plain, StringComparison.Ordinal);
        Assert.DoesNotContain("data-chart=\"capacity\"", plain, StringComparison.Ordinal);
    }

    [Fact]
    public void Markdown_Capacity_HasTheAnswerAndOneRowPerStep()
    {
        var report = WithCapacity();
        var capacity = report.Candidate.Capacity!;
        var md = MarkdownReport.Render(report);
        output.WriteLine(md);

        Assert.Contains("**Capacity:** " + MarkdownReport.Escape(capacity.Explanation), md, StringComparison.Ordinal);
        Assert.Contains($"Cost per 1M requests at capacity: {ReportText.Usd(1000 / capacity.MaxSustainableRate!.Value)} (modeled).", md, StringComparison.Ordinal);
        var rows = md.Split('\n').Where(l => StepRow().IsMatch(l)).ToList();
        Assert.Equal(capacity.Steps.Count, rows.Count);
        Assert.Contains(rows, r => r.Contains(@"**fail** p\(99\) \< 300ms", StringComparison.Ordinal));
    }

    private static bool Is(System.Xml.Linq.XElement e, string attribute, string color) =>
        string.Equals((string?)e.Attribute(attribute), color, StringComparison.OrdinalIgnoreCase);

    private static List<string> CapacityRows(string html)
    {
        var start = html.IndexOf("<table class=\"capacity\">", StringComparison.Ordinal);
        Assert.True(start >= 0, "no capacity table");
        var body = html[html.IndexOf("<tbody>", start, StringComparison.Ordinal)..html.IndexOf("</tbody>", start, StringComparison.Ordinal)];
        return Row().Matches(body).Select(m => m.Value).ToList();
    }

    [GeneratedRegex(@"<tr>.*?</tr>", RegexOptions.Singleline)]
    private static partial Regex Row();

    [GeneratedRegex(@"^\| \d+ \| [\d.,]+/s \|")]
    private static partial Regex StepRow();
}
