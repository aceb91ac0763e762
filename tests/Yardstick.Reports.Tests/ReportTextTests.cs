using Yardstick.Core.Summaries;
using Yardstick.Reports;

namespace Yardstick.Reports.Tests;

/// <summary>Number wording: expected strings written by hand from the stated rules (invariant culture).</summary>
public sealed class ReportTextTests
{
    [Theory]
    [InlineData(0.0423, "0.042 ms")]
    [InlineData(1.5, "1.50 ms")]
    [InlineData(23.456, "23.5 ms")]
    [InlineData(1840, "1,840 ms")]
    public void Ms_ByMagnitude_KeepsUsefulDigits(double ms, string expected) => Assert.Equal(expected, ReportText.Ms(ms));

    [Theory]
    [InlineData(1.083, "+8.3 %")]
    [InlineData(0.95, "−5.0 %")]
    [InlineData(1.25, "+25 %")]
    [InlineData(1.0, "+0.0 %")]
    public void SignedPercent_Ratio_IsRelativeChange(double ratio, string expected) => Assert.Equal(expected, ReportText.SignedPercent(ratio));

    [Theory]
    [InlineData("errorRate", 0.0012, "0.12 %")]
    [InlineData("throughput", 1234.56, "1,234.6 req/s")]
    [InlineData("rps", 99.0, "99.0 req/s")]
    [InlineData("costPerRequest", 2.61e-7, "2.61E-7 USD")]
    [InlineData("p95", 187.2, "187 ms")]
    [InlineData("droppedArrivals", 12.0, "12")]
    [InlineData("checks", 0.996, "99.60 %")]
    [InlineData("items.checks", 1.0, "100.00 %")]
    [InlineData("items.errorRate", 0.25, "25.00 %")]
    [InlineData("items.p95", 12.5, "12.5 ms")]
    public void Value_ByMetric_WritesItsUnit(string metric, double value, string expected) => Assert.Equal(expected, ReportText.Value(metric, value));

    [Theory]
    [InlineData(0.5, "0.5 USD")]
    [InlineData(0.00157, "0.00157 USD")]
    [InlineData(0.000012345, "0.0000123 USD")]
    [InlineData(2.61e-7, "2.61E-7 USD")]
    [InlineData(0, "0 USD")]
    public void Usd_ByMagnitude_KeepsThreeSignificantDigits(double usd, string expected) => Assert.Equal(expected, ReportText.Usd(usd));

    [Fact]
    public void Value_Missing_IsNotAvailable() => Assert.Equal("n/a", ReportText.Value("p50", null));

    [Fact]
    public void Change_ErrorRate_IsInPercentagePoints()
    {
        var m = new MetricVerdictSummary { Metric = "errorRate", Kind = "inconclusive", Baseline = 0.001, Candidate = 0.0035, Explanation = "" };

        Assert.Equal("+0.25 pp", ReportText.Change(m));
    }

    [Fact]
    public void Change_WithoutRatio_ComputesItFromTheValues()
    {
        var m = new MetricVerdictSummary { Metric = "p99", Kind = "regression", Baseline = 100, Candidate = 112, Explanation = "" };

        Assert.Equal("+12 %", ReportText.Change(m));
        Assert.Equal("n/a", ReportText.Interval(m));
    }

    [Theory]
    [InlineData("completed", "regression", true, "fail")]
    [InlineData("completed", "equivalent", false, "fail")]
    [InlineData("completed", "equivalent", true, "pass")]
    [InlineData("degraded", "inconclusive", true, "inconclusive")]
    [InlineData("failed", null, true, "run failed")]
    [InlineData("completed", "no-baseline", true, "pass")]
    public void Outcome_DecidesLikeTheGate(string status, string? overall, bool thresholdPassed, string expected)
    {
        var run = new RunSummary
        {
            RunId = "r",
            Workload = "w",
            Status = status,
            LatencyMs = new LatencySummary(),
            SchedulingLagMs = new LagSummary(),
            Verdict = overall is null ? null : new VerdictSummary
            {
                Overall = overall,
                Thresholds = [new ThresholdSummary { Threshold = "p(95) < 1ms", Metric = "p95", Passed = thresholdPassed, Explanation = "" }],
            },
        };

        Assert.Equal(expected, ReportText.Outcome(run));
    }
}
