using System.Text.RegularExpressions;
using System.Xml.Linq;
using Yardstick.Reports;

namespace Yardstick.Reports.Tests;

public sealed partial class HtmlReportTests
{
    internal static readonly string[] Charts = ["percentiles", "timeline", "errors"];

    [Theory]
    [InlineData("regression")]
    [InlineData("no-baseline")]
    [InlineData("failed")]
    public void Render_AnyRun_IsSelfContained(string fixture)
    {
        var html = HtmlReport.Render(MarkdownReportTests.Fixture(fixture));

        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        foreach (var tag in new[] { "<script", "<link", "<iframe", "<img", "<object", "<embed", "<base", "@import", "@font-face" })
        {
            Assert.DoesNotContain(tag, html, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Empty(SrcAttribute().Matches(html));
        Assert.All(HrefAttribute().Matches(html), m => Assert.StartsWith("#", m.Groups[1].Value, StringComparison.Ordinal));
        Assert.All(CssUrl().Matches(html), m => Assert.StartsWith("#", m.Groups[1].Value, StringComparison.Ordinal));
        // Namespace URIs are stripped from the SVG too: the only URL left is the artifacts location, as text.
        var urls = UrlText().Matches(html).Select(m => m.Value).Distinct().ToList();
        Assert.All(urls, u => Assert.StartsWith(ReportFixtures.ArtifactsRoot, u, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("regression")]
    [InlineData("no-baseline")]
    [InlineData("failed")]
    public void Render_AnyRun_HasThreeChartWrappersWithDrawnSvg(string fixture)
    {
        var html = HtmlReport.Render(MarkdownReportTests.Fixture(fixture));

        foreach (var chart in Charts)
        {
            var svgs = ChartSvgs(html, chart);
            Assert.NotEmpty(svgs);
            foreach (var svg in svgs)
            {
                Assert.True((double)svg.Attribute("width")! > 0 && (double)svg.Attribute("height")! > 0, chart);
                var drawn = svg.Descendants().Where(e => e.Name.LocalName == "path" && ((string?)e.Attribute("d"))?.Contains('L') == true).ToList();
                Assert.True(drawn.Count > 0, $"{chart}: no drawn path");
            }
        }
    }

    [Fact]
    public void Render_Regression_DrawsBothCurvesAndEveryTimelineSeries()
    {
        var html = HtmlReport.Render(ReportFixtures.Regression());

        // Series are stroked in their fixed colours (ReportCharts): candidate blue, baseline grey, p99 purple, errors red.
        var percentiles = ChartSvgs(html, "percentiles").Single();
        Assert.True(LongestStroke(percentiles, "#1F6FEB") > 100, "candidate curve");
        Assert.True(LongestStroke(percentiles, "#8C959F") > 100, "baseline curve");
        var timeline = ChartSvgs(html, "timeline");
        Assert.Equal(2, timeline.Count);
        Assert.True(LongestStroke(timeline[0], "#1F6FEB") > 100, "requests/s");
        Assert.True(LongestStroke(timeline[0], "#CF222E") > 100, "errors/s");
        Assert.True(LongestStroke(timeline[1], "#8250DF") > 100, "p99");
        var errors = ChartSvgs(html, "errors").Single();
        Assert.Contains(errors.Descendants(), e => string.Equals((string?)e.Attribute("fill"), "#CF222E", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Render_Charts_IdsAreUniqueInTheDocument()
    {
        var html = HtmlReport.Render(ReportFixtures.Regression());

        var ids = IdAttribute().Matches(html).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(ids);
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        foreach (Match reference in CssUrl().Matches(html))
        {
            Assert.Contains(reference.Groups[1].Value[1..], ids);
        }
    }

    [Fact]
    public void Render_HostileText_IsEncoded()
    {
        var report = ReportFixtures.Regression();
        report = report with { Candidate = report.Candidate with { Workload = "<b onmouseover=\"x\">api</b>" } };

        var html = HtmlReport.Render(report);

        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; | `tick` &amp; &quot;quote&quot;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b onmouseover", html, StringComparison.Ordinal);
        Assert.Contains("<h1>&lt;b onmouseover=&quot;x&quot;&gt;api&lt;/b&gt; ", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Regression_HasVerdictThresholdColdStartCostAndFacts()
    {
        var report = ReportFixtures.Regression();

        var html = HtmlReport.Render(report);

        foreach (var section in new[] { "verdict", "thresholds", "distribution", "timeline", "errors", "cold-start", "cost", "facts" })
        {
            Assert.Contains($"<section id=\"{section}\">", html, StringComparison.Ordinal);
        }

        Assert.Equal(6, Regex.Count(html, "<td><span class=\"badge v-"));
        Assert.Contains("<span class=\"badge r-fail\">fail</span>", html, StringComparison.Ordinal);
        Assert.Contains("about 6 more runs per side would likely decide", html, StringComparison.Ordinal);
        Assert.Contains("<td class=\"num\">0.261 USD</td>", html, StringComparison.Ordinal);
        Assert.Contains("<dd>" + ReportFixtures.ArtifactsUrl + "</dd>", html, StringComparison.Ordinal);
        Assert.Contains("<code>3f9c2ab</code>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_EmptyFailedRun_SaysWhyInsteadOfBreaking()
    {
        var html = HtmlReport.Render(ReportFixtures.EmptyFailed());

        Assert.Contains("Run failed: 0 of 2 shards succeeded", html, StringComparison.Ordinal);
        Assert.Contains("No verdict: the run was not analysed because it failed.", html, StringComparison.Ordinal);
        Assert.Contains("No latency recorded", html, StringComparison.Ordinal);
        Assert.Contains("No per-second data", html, StringComparison.Ordinal);
        Assert.Contains("No errors", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<section id=\"cold-start\">", html, StringComparison.Ordinal);
    }

    /// <summary>The SVG elements inside the wrapper marked <c>data-chart="<paramref name="chart"/>"</c>, parsed as XML.</summary>
    internal static List<XElement> ChartSvgs(string html, string chart)
    {
        var start = html.IndexOf($"data-chart=\"{chart}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no wrapper for {chart}");
        var end = html.IndexOf("</figure>", start, StringComparison.Ordinal);
        var inner = html[start..end];
        return SvgElement().Matches(inner).Select(m => XElement.Parse(m.Value)).ToList();
    }

    /// <summary>The widest extent (px) of the paths stroked in <paramref name="color"/>, from their coordinates.</summary>
    private static double LongestStroke(XElement svg, string color)
    {
        var widths = svg.Descendants()
            .Where(e => e.Name.LocalName == "path" && string.Equals((string?)e.Attribute("stroke"), color, StringComparison.OrdinalIgnoreCase))
            .Select(e => Number().Matches((string?)e.Attribute("d") ?? "").Select(m => double.Parse(m.Value, System.Globalization.CultureInfo.InvariantCulture)).Where((_, i) => i % 2 == 0).ToList())
            .Where(xs => xs.Count > 1)
            .Select(xs => xs.Max() - xs.Min());
        return widths.DefaultIfEmpty(0).Max();
    }

    [GeneratedRegex(@"\ssrc\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex SrcAttribute();

    [GeneratedRegex(@"\shref\s*=\s*""([^""]*)""", RegexOptions.IgnoreCase)]
    private static partial Regex HrefAttribute();

    [GeneratedRegex(@"url\(\s*['""]?([^)'""]*)")]
    private static partial Regex CssUrl();

    [GeneratedRegex(@"https?://[^\s<""]+")]
    private static partial Regex UrlText();

    [GeneratedRegex(@"\sid=""([^""]+)""")]
    private static partial Regex IdAttribute();

    [GeneratedRegex(@"<svg\b.*?</svg>", RegexOptions.Singleline)]
    private static partial Regex SvgElement();

    [GeneratedRegex(@"-?\d+(\.\d+)?")]
    private static partial Regex Number();

    [Fact]
    public void Render_ServerFigures_AddsServerModeledRowAndServerLine()
    {
        var report = ReportFixtures.WithServerFigures();

        var html = HtmlReport.Render(report);

        Assert.Contains("<tr><td>modeled from server durations</td><td class=\"num\">", html, StringComparison.Ordinal);
        Assert.Contains("<td class=\"num\">0.15 USD</td>", html, StringComparison.Ordinal);
        Assert.Contains("<p>Server side (App Insights): 6,000 requests, duration p50 12.5 ms, p95 48.0 ms, 3 instance(s).</p>", html, StringComparison.Ordinal);
    }
}
