using System.Xml.Linq;
using Yardstick.Reports;

namespace Yardstick.Reports.Tests;

public sealed class JUnitReportTests
{
    // The regression fixture: 6 metrics (2 regression, 2 inconclusive, 2 equivalent), 3 thresholds (1 breached), 1 run case.
    [Theory]
    [InlineData(false, 3, 2)]
    [InlineData(true, 5, 0)]
    public void Render_Regression_CountsFailuresAndSkips(bool failOnInconclusive, int failures, int skipped)
    {
        var xml = XDocument.Parse(JUnitReport.Render(ReportFixtures.Regression(), failOnInconclusive));

        var suite = xml.Root!.Element("testsuite")!;
        Assert.Equal("testsuites", xml.Root.Name.LocalName);
        Assert.Equal("yardstick.checkout-api", (string?)suite.Attribute("name"));
        Assert.Equal(10, (int)suite.Attribute("tests")!);
        Assert.Equal(failures, (int)suite.Attribute("failures")!);
        Assert.Equal(skipped, (int)suite.Attribute("skipped")!);
        Assert.Equal(30.0, (double)suite.Attribute("time")!);
        var cases = suite.Elements("testcase").ToList();
        Assert.Equal(10, cases.Count);
        Assert.Equal(failures, cases.Count(c => c.Element("failure") is not null));
        Assert.Equal(skipped, cases.Count(c => c.Element("skipped") is not null));
        Assert.Equal(failures, (int)xml.Root.Attribute("failures")!);
    }

    [Fact]
    public void Render_Regression_NamesCasesByMetricAndThreshold()
    {
        var report = ReportFixtures.Regression();

        var xml = XDocument.Parse(JUnitReport.Render(report, failOnInconclusive: false));

        var cases = xml.Descendants("testcase").ToList();
        var verdictCases = cases.Where(c => (string?)c.Attribute("classname") == "yardstick.checkout-api.verdict").ToList();
        Assert.Equal(["p50", "p90", "p95", "p99", "errorRate", "throughput"], verdictCases.Select(c => (string)c.Attribute("name")!));
        var p95 = verdictCases.Single(c => (string?)c.Attribute("name") == "p95").Element("failure")!;
        Assert.Equal("regression", (string?)p95.Attribute("type"));
        Assert.Equal(report.Candidate.Verdict!.Metrics.Single(m => m.Metric == "p95").Explanation, (string?)p95.Attribute("message"));
        Assert.NotNull(verdictCases.Single(c => (string?)c.Attribute("name") == "errorRate").Element("skipped"));

        var thresholdCases = cases.Where(c => (string?)c.Attribute("classname") == "yardstick.checkout-api.thresholds").ToList();
        Assert.Equal(["p(95) < 200ms", "errorRate < 0.1%", "rps > 150"], thresholdCases.Select(c => (string)c.Attribute("name")!));
        Assert.Equal("threshold", (string?)thresholdCases[1].Element("failure")!.Attribute("type"));
        Assert.Null(thresholdCases[0].Element("failure"));
    }

    [Fact]
    public void Render_Regression_CarriesRunIdCommitAndTagsAsProperties()
    {
        var xml = XDocument.Parse(JUnitReport.Render(ReportFixtures.Regression(), failOnInconclusive: false));

        var properties = xml.Descendants("property").ToDictionary(p => (string)p.Attribute("name")!, p => (string)p.Attribute("value")!);
        Assert.Equal("20250601T120000Z-7f3a", properties["runId"]);
        Assert.Equal("3f9c2ab", properties["commit"]);
        Assert.Equal("20250531T120000Z-1c2d", properties["baselineRunIds"]);
        Assert.Equal("regression", properties["verdict"]);
        Assert.Equal(ReportFixtures.HostileTag, properties["tag.note"]);
    }

    [Fact]
    public void Render_NoBaseline_SkipsTheVerdictWithAMessage()
    {
        var xml = XDocument.Parse(JUnitReport.Render(ReportFixtures.NoBaseline(), failOnInconclusive: true));

        var suite = xml.Root!.Element("testsuite")!;
        Assert.Equal(0, (int)suite.Attribute("failures")!);
        Assert.Equal(1, (int)suite.Attribute("skipped")!);
        var skipped = xml.Descendants("skipped").Single();
        Assert.Equal("baseline", (string?)skipped.Parent!.Attribute("name"));
        Assert.Contains("No baseline yet", (string?)skipped.Attribute("message"), StringComparison.Ordinal);
        Assert.Single(xml.Descendants("testcase"), c => (string?)c.Attribute("classname") == "yardstick.checkout-api.thresholds");
    }

    [Fact]
    public void Render_FailedRun_FailsTheRunCase()
    {
        var xml = XDocument.Parse(JUnitReport.Render(ReportFixtures.EmptyFailed(), failOnInconclusive: false));

        var failure = xml.Descendants("failure").Single();
        Assert.Equal("yardstick.checkout-api.run", (string?)failure.Parent!.Attribute("classname"));
        Assert.StartsWith("Run failed: 0 of 2 shards succeeded", (string?)failure.Attribute("message"), StringComparison.Ordinal);
        Assert.Equal(1, (int)xml.Root!.Element("testsuite")!.Attribute("skipped")!);
        Assert.Equal("0", (string?)xml.Root.Element("testsuite")!.Attribute("time"));
    }

    [Fact]
    public void Render_ControlCharactersInData_StillParses()
    {
        var report = ReportFixtures.NoBaseline();
        report = report with
        {
            Candidate = report.Candidate with
            {
                Workload = "w\u0001<&>\"🚀",
                Tags = new Dictionary<string, string> { ["commit"] = "abc\u0000\u001f" },
            },
        };

        var xml = XDocument.Parse(JUnitReport.Render(report, failOnInconclusive: false));

        Assert.Equal("yardstick.w<&>\"🚀", (string?)xml.Root!.Element("testsuite")!.Attribute("name"));
        Assert.Equal("abc", xml.Descendants("property").Single(p => (string?)p.Attribute("name") == "commit").Attribute("value")!.Value);
    }
}
