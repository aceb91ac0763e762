using Yardstick.Core.Summaries;
using Yardstick.Core.Verdicts;

namespace Yardstick.Core.Tests.Verdicts;

/// <summary>Verdicts and thresholds on a mix's named requests: <c>checkout.p95</c> judged on that request alone.</summary>
public sealed class RequestMetricVerdictTests
{
    /// <summary>A run whose totals are the browse request's, with a checkout request of median <paramref name="checkoutMs"/>.</summary>
    private static RunMetrics Run(string id, double checkoutMs, int seed)
    {
        var browse = VerdictFixtures.WindowRun(id + "/browse", 10, 60, 200, seed);
        var checkout = VerdictFixtures.WindowRun(id + "/checkout", checkoutMs, 60, 50, seed + 1);
        return browse with { RunId = id, Requests = new Dictionary<string, RunMetrics> { ["browse"] = browse, ["checkout"] = checkout } };
    }

    [Fact]
    public void Compare_OneRequestTwiceAsSlow_RegressionOnItsMetricOnly()
    {
        var policy = new VerdictPolicy(["p95", "browse.p95", "checkout.p95"]);

        var verdict = VerdictEngine.Compare([Run("base", 20, 1)], [Run("cand", 40, 11)], policy);

        Assert.Equal(VerdictKind.Regression, verdict.Overall);
        var checkout = Assert.Single(verdict.Metrics, m => m.Metric == "checkout.p95");
        Assert.Equal(VerdictKind.Regression, checkout.Kind);
        Assert.InRange(checkout.Ratio, 1.8, 2.2);
        Assert.Contains("checkout.p95", checkout.Explanation, StringComparison.Ordinal);
        Assert.NotEqual(VerdictKind.Regression, verdict.Metrics.Single(m => m.Metric == "browse.p95").Kind);
        Assert.NotEqual(VerdictKind.Regression, verdict.Metrics.Single(m => m.Metric == "p95").Kind);
    }

    [Fact]
    public void Compare_RequestMissingOnTheBaseline_InconclusiveNamingTheRequest()
    {
        var baseline = Run("base", 20, 1) with { Requests = new Dictionary<string, RunMetrics>() };

        var verdict = VerdictEngine.Compare([baseline], [Run("cand", 20, 2)], new VerdictPolicy(["checkout.p95"]));

        var m = Assert.Single(verdict.Metrics);
        Assert.Equal(VerdictKind.Inconclusive, m.Kind);
        Assert.Equal("checkout.p95", m.Metric);
    }

    [Fact]
    public void Compare_NoBaseline_CandidateValueOfTheRequest()
    {
        var verdict = VerdictEngine.Compare([], [Run("cand", 40, 2)], new VerdictPolicy(["checkout.p50"]));

        Assert.InRange(Assert.Single(verdict.Metrics).Candidate, 36, 44);
    }

    [Theory]
    [InlineData("checkout.p(95) < 300ms", "checkout.p95", 300)]
    [InlineData("checkout.p99.9 <= 1s", "checkout.p99.9", 1000)]
    [InlineData("checkout.errorRate < 1%", "checkout.errorRate", 0.01)]
    [InlineData("checkout.rps > 50", "checkout.rps", 50)]
    [InlineData("p99.9 < 5ms", "p99.9", 5)]
    public void Parse_RequestPrefix_CanonicalMetricWithThePrefix(string text, string metric, double value)
    {
        var threshold = ThresholdParser.Parse(text);

        Assert.Equal(metric, threshold.Metric);
        Assert.Equal(value, threshold.Value, 9);
    }

    [Fact]
    public void Parse_RunOnlyMetricWithAPrefix_RefusedSayingWhy()
    {
        Assert.False(ThresholdParser.TryParse("checkout.costPerRequest < 0.1", out _, out var error));

        Assert.Contains("belongs to the whole run", error, StringComparison.Ordinal);
    }

    [Fact]
    public void ThresholdValues_PerRequest_FromTheRequestsSummaryAndHistogram()
    {
        var histogram = Core.Measurements.LatencyHistograms.Create();
        for (var i = 1; i <= 1000; i++)
        {
            histogram.RecordValue(i * 1000);
        }

        var summary = new RunSummary
        {
            RunId = "r",
            Workload = "w",
            Status = "completed",
            Requests = 2000,
            Errors = 10,
            LatencyMs = new LatencySummary(),
            SchedulingLagMs = new LagSummary(),
            PerRequest =
            [
                new RequestSummary { Name = "checkout", Requests = 1000, Errors = 10, ThroughputRps = 50, LatencyMs = new LatencySummary { P95 = 950, Max = 1000 } },
            ],
        };
        var thresholds = new[] { ThresholdParser.Parse("checkout.p(99.9) < 2s") };

        var values = ThresholdValues.From(thresholds, summary, latency: null, new Dictionary<string, HdrHistogram.HistogramBase> { ["checkout"] = histogram });
        var results = ThresholdEvaluator.Evaluate([ThresholdParser.Parse("checkout.errorRate < 0.5%"), ThresholdParser.Parse("checkout.rps > 40")], values);

        Assert.InRange(values["checkout.p99.9"], 998, 1001);
        Assert.Equal(0.01, values["checkout.errorRate"], 9);
        Assert.False(results[0].Passed);
        Assert.True(results[1].Passed);
    }
}
