using Yardstick.Core.Verdicts;
using static Yardstick.Core.Tests.Verdicts.VerdictFixtures;

namespace Yardstick.Core.Tests.Verdicts;

public sealed class VerdictEngineTests
{
    private static readonly VerdictPolicy P95Only = new([MetricKeys.P95]);

    // Offsets with mean 0 and a standard deviation of about 1 %: run-to-run noise of a quiet system.
    private static readonly double[] Quiet = [-0.012, 0.004, 0.011, -0.006, 0.003];

    [Fact]
    public void Compare_ThirtyPercentSlowerCandidate_Regression()
    {
        var verdict = VerdictEngine.Compare(RunsOf("b", MetricKeys.P95, 100, Quiet), RunsOf("c", MetricKeys.P95, 130, Quiet), P95Only);

        var p95 = Assert.Single(verdict.Metrics);
        Assert.Equal(VerdictKind.Regression, verdict.Overall);
        Assert.Equal(VerdictKind.Regression, p95.Kind);
        Assert.Equal(1.30, p95.Ratio, 1e-9);
        Assert.True(p95.CiLow > 1.05 && p95.CiHigh < 1.6);
        Assert.Equal("run-level-student", p95.Method);
        Assert.Null(p95.AdditionalRunsNeeded);
    }

    [Fact]
    public void Compare_ThirtyPercentFasterCandidate_Improvement()
    {
        var verdict = VerdictEngine.Compare(RunsOf("b", MetricKeys.P95, 100, Quiet), RunsOf("c", MetricKeys.P95, 70, Quiet), P95Only);

        Assert.Equal(VerdictKind.Improvement, verdict.Overall);
        Assert.Equal(VerdictKind.Improvement, verdict.Metrics[0].Kind);
        Assert.StartsWith("Improvement: p95", verdict.Explanation);
    }

    [Fact]
    public void Compare_SameCenterQuietRuns_Equivalent()
    {
        double[] offsets = [-0.004, 0.002, 0.003, -0.002, 0.001, -0.001, 0.004, -0.003];

        var verdict = VerdictEngine.Compare(RunsOf("b", MetricKeys.P95, 100, offsets), RunsOf("c", MetricKeys.P95, 100.5, offsets), P95Only);

        Assert.Equal(VerdictKind.Equivalent, verdict.Overall);
        Assert.True(verdict.Metrics[0].CiLow > 0.95 && verdict.Metrics[0].CiHigh < 1.05);
    }

    [Fact]
    public void Compare_NoisyRunsSmallShift_InconclusiveWithAdditionalRuns()
    {
        double[] noisy = [-0.03, 0.005, 0.025];

        var verdict = VerdictEngine.Compare(RunsOf("b", MetricKeys.P95, 100, noisy), RunsOf("c", MetricKeys.P95, 101, noisy), P95Only);

        var p95 = verdict.Metrics[0];
        Assert.Equal(VerdictKind.Inconclusive, verdict.Overall);
        Assert.Equal(VerdictKind.Inconclusive, p95.Kind);
        Assert.NotNull(p95.AdditionalRunsNeeded);
        Assert.InRange(p95.AdditionalRunsNeeded!.Value, 1, P95Only.MaxAdditionalRuns - 1);
        Assert.True(p95.Explanation.Contains($"about {p95.AdditionalRunsNeeded} more runs per side would likely decide", StringComparison.Ordinal), p95.Explanation);
    }

    [Fact]
    public void Compare_MoreRunsOfTheSameNoise_NeedFewerAdditionalRuns()
    {
        double[] three = [-0.03, 0.005, 0.025];
        double[] nine = [-0.03, 0.005, 0.025, -0.03, 0.005, 0.025, -0.03, 0.005, 0.025];

        var few = VerdictEngine.Compare(RunsOf("b", MetricKeys.P95, 100, three), RunsOf("c", MetricKeys.P95, 101, three), P95Only).Metrics[0];
        var many = VerdictEngine.Compare(RunsOf("b", MetricKeys.P95, 100, nine), RunsOf("c", MetricKeys.P95, 101, nine), P95Only).Metrics[0];

        Assert.True(many.CiHigh - many.CiLow < few.CiHigh - few.CiLow);
        Assert.True(many.AdditionalRunsNeeded is null || many.AdditionalRunsNeeded < few.AdditionalRunsNeeded, $"{few.Explanation} / {many.Explanation}");
    }

    [Fact]
    public void Compare_TwoMetrics_HolmTestsTheSmallerPValueFirstAtHalfAlpha()
    {
        var policy = new VerdictPolicy([MetricKeys.P50, MetricKeys.P95], Alpha: 0.01);
        var baseline = Quiet.Select((o, i) => Values($"b{i}", (MetricKeys.P50, 50 * (1 + o)), (MetricKeys.P95, 100 * (1 - o)))).ToList();
        var candidate = Quiet.Select((o, i) => Values($"c{i}", (MetricKeys.P50, 50 * (1 + o)), (MetricKeys.P95, 140 * (1 - o)))).ToList();

        var verdict = VerdictEngine.Compare(baseline, candidate, policy);

        var p50 = verdict.Metrics.Single(m => m.Metric == MetricKeys.P50);
        var p95 = verdict.Metrics.Single(m => m.Metric == MetricKeys.P95);

        // p95 changed a lot (tiny p-value): first Holm step at α/2, rejected; p50 did not change: second step at α/1.
        Assert.True(p95.PValue < p50.PValue);
        Assert.Equal(0.005, p95.AdjustedAlpha, 1e-15);
        Assert.Equal(0.99, p95.ConfidenceLevel, 1e-12);
        Assert.Equal(0.01, p50.AdjustedAlpha, 1e-15);
        Assert.Equal(0.98, p50.ConfidenceLevel, 1e-12);
        Assert.Equal(VerdictKind.Regression, p95.Kind);
        Assert.Equal(VerdictKind.Equivalent, p50.Kind);
    }

    [Fact]
    public void Compare_TwoMetricsNeitherSignificant_BothStayAtTheFirstStepLevel()
    {
        var policy = new VerdictPolicy([MetricKeys.P50, MetricKeys.P95], Alpha: 0.01);
        var baseline = Quiet.Select((o, i) => Values($"b{i}", (MetricKeys.P50, 50 * (1 + o)), (MetricKeys.P95, 100 * (1 - o)))).ToList();

        var verdict = VerdictEngine.Compare(baseline, baseline, policy);

        Assert.All(verdict.Metrics, m => Assert.Equal(0.005, m.AdjustedAlpha, 1e-15));
    }

    [Fact]
    public void Compare_ThroughputDropped_RegressionBecauseLowerIsWorse()
    {
        var policy = new VerdictPolicy([MetricKeys.Throughput]);

        var dropped = VerdictEngine.Compare(RunsOf("b", MetricKeys.Throughput, 500, Quiet), RunsOf("c", MetricKeys.Throughput, 400, Quiet), policy);
        var raised = VerdictEngine.Compare(RunsOf("b", MetricKeys.Throughput, 500, Quiet), RunsOf("c", MetricKeys.Throughput, 600, Quiet), policy);

        Assert.Equal(VerdictKind.Regression, dropped.Overall);
        Assert.Contains("throughput fell from 500.0 req/s to 400.0 req/s (-20.0%", dropped.Metrics[0].Explanation);
        Assert.Equal(VerdictKind.Improvement, raised.Overall);
    }

    [Fact]
    public void Compare_Regression_ExplanationCarriesBaselineCandidateIntervalAndMargin()
    {
        var verdict = VerdictEngine.Compare(RunsOf("b", MetricKeys.P95, 41.2, Quiet), RunsOf("c", MetricKeys.P95, 47.9, Quiet), P95Only);

        var p95 = verdict.Metrics[0];
        var text = p95.Explanation;
        Assert.StartsWith("p95 rose from 41.2 ms to 47.9 ms (+16.3%, 98% CI +", text);
        Assert.Contains($"{(p95.CiLow - 1) * 100:F1}% … +{(p95.CiHigh - 1) * 100:F1}%), beyond the 5% margin: regression.", text);
        Assert.Single(text.Split(". ", StringSplitOptions.None));
    }

    [Fact]
    public void Compare_SmallButRealChangeInsideMargin_Equivalent()
    {
        // +2 % with almost no noise: significant, yet inside the 5 % margin, so it does not matter.
        double[] tiny = [-0.001, 0.0005, 0.001, -0.0005, 0];

        var verdict = VerdictEngine.Compare(RunsOf("b", MetricKeys.P95, 100, tiny), RunsOf("c", MetricKeys.P95, 102, tiny), P95Only);

        Assert.Equal(VerdictKind.Equivalent, verdict.Overall);
        Assert.True(verdict.Metrics[0].CiLow > 1);
    }

    [Fact]
    public void Compare_SignificantlyWorseButEstimateInsideMargin_Inconclusive()
    {
        var verdict = VerdictEngine.Compare(RunsOf("b", MetricKeys.P95, 100, Quiet), RunsOf("c", MetricKeys.P95, 104, Quiet), P95Only);

        Assert.Equal(VerdictKind.Inconclusive, verdict.Overall);
        Assert.Contains("worse, but not clearly beyond the 5% margin", verdict.Metrics[0].Explanation);
    }

    [Fact]
    public void Compare_NoBaseline_NoBaselineWithCandidateValues()
    {
        var verdict = VerdictEngine.Compare([], RunsOf("c", MetricKeys.P95, 80, Quiet), VerdictPolicy.Default);

        Assert.Equal(VerdictKind.NoBaseline, verdict.Overall);
        Assert.All(verdict.Metrics, m => Assert.Equal(VerdictKind.NoBaseline, m.Kind));
        Assert.Equal(80, verdict.Metrics.Single(m => m.Metric == MetricKeys.P95).Candidate, 0.01);
        Assert.Contains("thresholds alone decide", verdict.Explanation);
    }

    [Fact]
    public void Compare_MetricMissingOnBaseline_InconclusiveWithReason()
    {
        var policy = new VerdictPolicy([MetricKeys.P95, MetricKeys.ColdStartP50]);

        var verdict = VerdictEngine.Compare(RunsOf("b", MetricKeys.P95, 100, Quiet), RunsOf("c", MetricKeys.P95, 100, Quiet), policy);

        var cold = verdict.Metrics.Single(m => m.Metric == MetricKeys.ColdStartP50);
        Assert.Equal(VerdictKind.Inconclusive, cold.Kind);
        Assert.Equal("coldStartP50 is inconclusive: coldStartP50 was not measured (as a positive value) on the baseline.", cold.Explanation);
        Assert.Equal(VerdictKind.Inconclusive, verdict.Overall);
    }

    [Fact]
    public void Compare_OneCandidateRunAgainstFiveBaselineRuns_JudgedAgainstTheBaselineSpread()
    {
        var verdict = VerdictEngine.Compare(RunsOf("b", MetricKeys.P95, 100, Quiet), RunsOf("c", MetricKeys.P95, 150, 0), P95Only);

        Assert.Equal(VerdictKind.Regression, verdict.Overall);
        Assert.Equal("run-level-student", verdict.Metrics[0].Method);
    }

    [Fact]
    public void Compare_TenRunsPerSide_UsesTheRankMethod()
    {
        double[] ten = [-0.012, 0.004, 0.011, -0.006, 0.003, -0.002, 0.008, -0.009, 0.001, 0.002];

        var verdict = VerdictEngine.Compare(RunsOf("b", MetricKeys.P95, 100, ten), RunsOf("c", MetricKeys.P95, 125, ten), P95Only);

        Assert.Equal("run-level-rank", verdict.Metrics[0].Method);
        Assert.Equal(VerdictKind.Regression, verdict.Overall);
        Assert.Equal(1.25, verdict.Metrics[0].Ratio, 0.01);
    }

    [Fact]
    public void Compare_NoCandidate_ThrowsInputException()
    {
        var error = Assert.Throws<InputException>(() => VerdictEngine.Compare(RunsOf("b", MetricKeys.P95, 100, Quiet), [], P95Only));

        Assert.Equal("candidate", error.Field);
    }

    [Fact]
    public void Compare_UnknownMetric_ThrowsInputExceptionNamingTheEntry()
    {
        var policy = new VerdictPolicy([MetricKeys.P95, "p42"]);

        var error = Assert.Throws<InputException>(() => VerdictEngine.Compare(RunsOf("b", MetricKeys.P95, 100, Quiet), RunsOf("c", MetricKeys.P95, 100, Quiet), policy));

        Assert.Equal("compare.metrics[1]", error.Field);
    }

    [Fact]
    public void Compare_CalibratedPrior_NarrowsTheInterval()
    {
        double[] three = [-0.02, 0.01, 0.01];
        var baseline = RunsOf("b", MetricKeys.P95, 100, three);
        var candidate = RunsOf("c", MetricKeys.P95, 104, three);
        var calibrated = P95Only with { Noise = new Dictionary<string, NoisePrior> { [MetricKeys.P95] = new(0.017, 19) } };

        var plain = VerdictEngine.Compare(baseline, candidate, P95Only).Metrics[0];
        var withPrior = VerdictEngine.Compare(baseline, candidate, calibrated).Metrics[0];

        Assert.Equal("run-level-student-calibrated", withPrior.Method);
        Assert.True(withPrior.CiHigh - withPrior.CiLow < plain.CiHigh - plain.CiLow);
    }
}
