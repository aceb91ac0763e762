using System.Xml.Linq;
using Yardstick.Core.Summaries;
using Yardstick.Reports;

namespace Yardstick.Reports.Tests;

/// <summary>Response checks in the HTML, Markdown and JUnit reports.</summary>
public sealed class CheckReportTests
{
    private static RunReport WithChecks()
    {
        var report = ReportFixtures.Regression();
        return report with
        {
            Candidate = report.Candidate with
            {
                ErrorBreakdown = report.Candidate.ErrorBreakdown with { Check = 12 },
                Checks =
                [
                    new CheckSummary { Name = "status in [200]", Request = "items", Expression = "status in [200]", Passed = 1000, Failed = 0, PassRate = 1 },
                    new CheckSummary { Name = "ok", Request = "items", Expression = "json $.status == \"ok\"", Passed = 988, Failed = 12, PassRate = 0.988 },
                    new CheckSummary { Name = "never", Expression = "size < 10", PassRate = 1 },
                ],
            },
        };
    }

    [Fact]
    public void JUnit_OneCasePerCheck_FailingWhenAnyResponseFailed()
    {
        var xml = XDocument.Parse(JUnitReport.Render(WithChecks(), failOnInconclusive: false));

        var cases = xml.Descendants("testcase").Where(c => (string?)c.Attribute("classname") == "yardstick.checkout-api.checks").ToList();
        Assert.Equal(["items · status in [200]", "items · ok", "never"], cases.Select(c => (string)c.Attribute("name")!));
        Assert.Null(cases[0].Element("failure"));
        var failure = cases[1].Element("failure")!;
        Assert.Equal("check", (string?)failure.Attribute("type"));
        Assert.Contains("failed on 12 of 1,000 responses", (string?)failure.Attribute("message"), StringComparison.Ordinal);
        Assert.Contains("not run", cases[2].Element("system-out")!.Value, StringComparison.Ordinal);

        // The fixture's own 3 failures plus the failed check.
        Assert.Equal(4, (int)xml.Root!.Element("testsuite")!.Attribute("failures")!);
    }

    [Fact]
    public void Markdown_ListsChecksFailingFirstAndTheCheckErrorClass()
    {
        var md = MarkdownReport.Render(WithChecks());

        var failing = md.IndexOf("| ❌ `items · ok` | 988 | 12 | 98.80 % |", StringComparison.Ordinal);
        var passing = md.IndexOf("| ✅ `items · status in [200]` | 1,000 | 0 | 100.00 % |", StringComparison.Ordinal);
        Assert.True(failing >= 0 && passing > failing, md);
        Assert.Contains("check 12", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Markdown_ManyChecks_SummarisesTheRestWithinTheLineBudget()
    {
        var report = WithChecks();
        var many = Enumerable.Range(1, 40)
            .Select(i => new CheckSummary { Name = "c" + i, Request = "items", Expression = "status == 200", Passed = 10, Failed = i == 40 ? 1 : 0 })
            .ToList();
        report = report with { Candidate = report.Candidate with { Checks = many } };

        var md = MarkdownReport.Render(report);

        Assert.InRange(md.Split('\n').Length, 5, 50);
        Assert.Contains("| ❌ `items · c40` |", md, StringComparison.Ordinal);
        Assert.Contains("… 35 more (all passed) in the HTML report", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_HasAChecksSectionWithTheExpressions()
    {
        var html = HtmlReport.Render(WithChecks());

        Assert.Contains("<section id=\"checks\">", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#checks\">Checks</a>", html, StringComparison.Ordinal);
        Assert.Contains("<code>json $.status == &quot;ok&quot;</code>", html, StringComparison.Ordinal);
        Assert.Contains("<strong class=\"failure\">items &#183; ok</strong>", html, StringComparison.Ordinal);
        Assert.Contains("98.80 %", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Reports_WithoutChecks_HaveNoChecksSection()
    {
        var report = ReportFixtures.Regression();

        Assert.DoesNotContain("id=\"checks\"", HtmlReport.Render(report), StringComparison.Ordinal);
        Assert.DoesNotContain(".checks\"", JUnitReport.Render(report, failOnInconclusive: false), StringComparison.Ordinal);
    }
}
