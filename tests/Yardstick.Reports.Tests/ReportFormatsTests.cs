using Yardstick.Core;
using System.Xml.Linq;
using Yardstick.Core.Summaries;
using Yardstick.Reports;

namespace Yardstick.Reports.Tests;

public sealed class ReportFormatsTests
{
    [Fact]
    public void Render_Json_IsTheCandidateSummary()
    {
        var report = ReportFixtures.Regression();

        var json = ReportFormats.Render(report, "json");

        var back = YardstickJson.Deserialize<RunSummary>(json);
        Assert.Equal(report.Candidate.RunId, back.RunId);
        Assert.Equal("regression", back.Verdict!.Overall);
        Assert.Equal(report.Candidate.Verdict!.Metrics.Count, back.Verdict.Metrics.Count);
        Assert.Contains("\n  \"schemaVersion\": 1,", json, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("html", "<!DOCTYPE html>")]
    [InlineData("HTML", "<!DOCTYPE html>")]
    [InlineData("md", "## ")]
    [InlineData("markdown", "## ")]
    [InlineData("junit", "<?xml")]
    public void Render_Format_UsesItsRenderer(string format, string start) =>
        Assert.StartsWith(start, ReportFormats.Render(ReportFixtures.NoBaseline(), format), StringComparison.Ordinal);

    [Fact]
    public void Render_JUnitFailOnInconclusive_IsPassedThrough()
    {
        var report = ReportFixtures.Regression();

        var lenient = XDocument.Parse(ReportFormats.Render(report, "junit"));
        var strict = XDocument.Parse(ReportFormats.Render(report, "junit", failOnInconclusive: true));

        Assert.Equal(3, (int)lenient.Root!.Attribute("failures")!);
        Assert.Equal(5, (int)strict.Root!.Attribute("failures")!);
    }

    [Theory]
    [InlineData("html", "report.html", "text/html; charset=utf-8")]
    [InlineData("md", "report.md", "text/markdown; charset=utf-8")]
    [InlineData("json", "summary.json", "application/json; charset=utf-8")]
    [InlineData("junit", "junit.xml", "application/xml; charset=utf-8")]
    public void BlobNameAndContentType_ByFormat_MatchTheStorageLayout(string format, string blob, string contentType)
    {
        Assert.Equal(blob, ReportFormats.BlobName(format));
        Assert.Equal(contentType, ReportFormats.ContentType(format));
        Assert.Equal(format, ReportFormats.Normalize(blob));
    }

    [Fact]
    public void Render_UnknownFormat_ThrowsInputExceptionNamingTheOption()
    {
        var e = Assert.Throws<InputException>(() => ReportFormats.Render(ReportFixtures.NoBaseline(), "pdf"));

        Assert.Equal("--format", e.Field);
        Assert.Contains("html, md, json, junit", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HtmlReportLocation_IsBesideTheRunsArtifacts()
    {
        Assert.Equal(ReportFixtures.ArtifactsUrl + "/report.html", ReportFixtures.Regression().HtmlReportLocation);
        Assert.Null(ReportFixtures.EmptyFailed().HtmlReportLocation);
    }
}
