using Yardstick.Core.Summaries;
using Yardstick.Core.Tests.Verdicts;
using Yardstick.Core.Verdicts;

namespace Yardstick.Core.Tests.Summaries;

/// <summary>The engine's result → the <c>verdict</c> section of summary.json.</summary>
public sealed class VerdictSummariesTests
{
    [Fact]
    public void From_EngineVerdict_WireNamesRatiosAndDifferences_NaNBecomesAbsent()
    {
        var baseline = VerdictFixtures.RunsOf("b", MetricKeys.P50, 10, 0.01, -0.02, 0.015, 0, -0.01)
            .Zip(VerdictFixtures.RunsOf("b", MetricKeys.P95, 20, 0.01, -0.02, 0.015, 0, -0.01), (a, b) => Merge(a, b, 1000, 2)).ToList();
        var candidate = VerdictFixtures.RunsOf("c", MetricKeys.P50, 13, 0.01, -0.02, 0.015, 0, -0.01)
            .Zip(VerdictFixtures.RunsOf("c", MetricKeys.P95, 20, 0.01, -0.02, 0.015, 0, -0.01), (a, b) => Merge(a, b, 1000, 12)).ToList();
        var verdict = VerdictEngine.Compare(baseline, candidate, new VerdictPolicy([MetricKeys.P50, MetricKeys.P95, MetricKeys.ErrorRate]));
        var thresholds = ThresholdEvaluator.Evaluate([ThresholdParser.Parse("p(95) < 15ms")], new Dictionary<string, double> { ["p95"] = 20.1 });

        var section = VerdictSummaries.From(verdict, thresholds, ["b0", "b1"], note: "Baseline: rolling(5).");

        Assert.Equal("regression", section.Overall);
        Assert.EndsWith("Baseline: rolling(5).", section.Explanation, StringComparison.Ordinal);
        Assert.Equal(["b0", "b1"], section.BaselineRunIds);
        var p50 = section.Metrics[0];
        Assert.Equal("regression", p50.Kind);
        Assert.Equal(verdict.Metrics[0].Ratio, p50.Ratio);
        Assert.Equal(verdict.Metrics[0].CiLow, p50.CiLow);
        var errors = section.Metrics[2];
        Assert.Equal(verdict.Metrics[2].Candidate - verdict.Metrics[2].Baseline, errors.Ratio!.Value, 12);
        Assert.False(section.ThresholdsPassed);
        Assert.Equal("p(95) < 15ms", section.Thresholds[0].Threshold);
        Assert.Equal(20.1, section.Thresholds[0].Actual);
    }

    [Fact]
    public void From_NoBaseline_AbsentNumbersAndNoBaselineKinds()
    {
        var verdict = VerdictEngine.Compare([], [VerdictFixtures.Values("c", (MetricKeys.P50, 12))], VerdictPolicy.Default);

        var section = VerdictSummaries.From(verdict, [], []);

        Assert.Equal("no-baseline", section.Overall);
        Assert.All(section.Metrics, m => Assert.Equal("no-baseline", m.Kind));
        Assert.Null(section.Metrics[0].Baseline);
        Assert.Equal(12, section.Metrics[0].Candidate);
        Assert.Null(section.Metrics[0].CiLow);
        Assert.True(section.ThresholdsPassed);
    }

    private static RunMetrics Merge(RunMetrics a, RunMetrics b, long requests, long errors) =>
        new(a.RunId, new Dictionary<string, double>(a.Values.Concat(b.Values))
        {
            [MetricKeys.Requests] = requests,
            [MetricKeys.Errors] = errors,
            [MetricKeys.ErrorRate] = (double)errors / requests,
        }, []);
}
