using Yardstick.Core.Verdicts;
using Yardstick.Core.Workloads;
using static Yardstick.Core.Tests.Verdicts.VerdictFixtures;

namespace Yardstick.Core.Tests.Verdicts;

/// <summary>
/// The design check before a run: what it says cannot be decided, the verdict engine indeed cannot decide (and what it
/// says can, the engine computes an interval for); detectable shifts against reference values.
/// </summary>
public sealed class ComparisonDesignTests
{
    // The tail-sample floor is off for the engine's small runs here; TailSampleFloorTests covers it.
    private static readonly VerdictPolicy Default = VerdictPolicy.Default with { BootstrapIterations = 200, MinTailSamples = 0 };

    [Fact]
    public void Assess_EightSecondSingleRuns_CannotDecideWindowMetrics_AndTheEngineCannotEither()
    {
        var design = ComparisonDesign.Assess(new ComparisonPlan(TimeSpan.FromSeconds(8)), Default);

        Assert.All(design, m => Assert.False(m.CanDecide));
        Assert.All(design, m => Assert.Contains("needs ≥ 10 s runs", m.Reason, StringComparison.Ordinal));
        var verdict = VerdictEngine.Compare([WindowRun("b", 40, seconds: 8, 50, seed: 1)], [WindowRun("c", 80, seconds: 8, 50, seed: 2)], Default);
        Assert.All(verdict.Metrics, m => Assert.Equal("none", m.Method));
        Assert.Equal(VerdictKind.Inconclusive, verdict.Overall);
    }

    [Fact]
    public void Assess_EightSecondSingleRunsWithCalibration_DecidesCalibratedMetrics_AndTheEngineDoesToo()
    {
        var policy = Default with { Noise = new Dictionary<string, NoisePrior> { [MetricKeys.P50] = new(0.02, 9) } };

        var design = ComparisonDesign.Assess(new ComparisonPlan(TimeSpan.FromSeconds(8)), policy);

        Assert.True(design[0].CanDecide, design[0].Reason);
        Assert.True(design[0].Calibrated);
        Assert.All(design.Skip(1), m => Assert.False(m.CanDecide));
        var verdict = VerdictEngine.Compare([WindowRun("b", 40, seconds: 8, 50, seed: 1)], [WindowRun("c", 80, seconds: 8, 50, seed: 2)], policy);
        Assert.Equal("calibrated-noise", verdict.Metrics[0].Method);
        Assert.All(verdict.Metrics.Skip(1), m => Assert.Equal("none", m.Method));
    }

    [Fact]
    public void Assess_TenSecondSingleRuns_CanDecide_AndTheEngineComputesIntervals()
    {
        var design = ComparisonDesign.Assess(new ComparisonPlan(TimeSpan.FromSeconds(10)), Default);

        Assert.All(design, m => Assert.True(m.CanDecide, m.Reason));
        var verdict = VerdictEngine.Compare([WindowRun("b", 40, seconds: 10, 50, seed: 1)], [WindowRun("c", 80, seconds: 10, 50, seed: 2)], Default);
        Assert.All(verdict.Metrics, m => Assert.NotEqual("none", m.Method));
    }

    [Fact]
    public void Assess_TwoRoundsPerRun_CannotDecide_AndTheEngineCannotEither()
    {
        var plan = new ComparisonPlan(TimeSpan.FromMinutes(1), Repeat: 2);
        var policy = new VerdictPolicy([MetricKeys.P50]);

        var p50 = Assert.Single(ComparisonDesign.Assess(plan, policy));

        Assert.False(p50.CanDecide);
        Assert.Contains("rounds per run carry no per-second windows", p50.Reason, StringComparison.Ordinal);
        var verdict = VerdictEngine.Compare(RunsOf("b", MetricKeys.P50, 40, 0, 0.01), RunsOf("c", MetricKeys.P50, 80, 0, 0.01), policy);
        Assert.Equal("none", Assert.Single(verdict.Metrics).Method);
    }

    [Fact]
    public void Assess_ThreeRoundsPerRun_DecidesAtRunLevel()
    {
        var design = ComparisonDesign.Assess(new ComparisonPlan(TimeSpan.FromSeconds(5), Repeat: 3), Default);

        Assert.All(design, m => Assert.True(m.CanDecide, m.Reason));
    }

    [Fact]
    public void Assess_ColdStartWithOneRunPerSideAtRunLevel_CannotDecideWithoutCalibration_AndTheEngineAgrees()
    {
        var plan = new ComparisonPlan(TimeSpan.FromSeconds(30), Repeat: 3);
        var policy = new VerdictPolicy([MetricKeys.P50, MetricKeys.ColdStartP50]);

        var design = ComparisonDesign.Assess(plan, policy);

        Assert.True(design[0].CanDecide);
        Assert.False(design[1].CanDecide);
        Assert.Contains("measured once per run", design[1].Reason, StringComparison.Ordinal);
        var calibrated = policy with { Noise = new Dictionary<string, NoisePrior> { [MetricKeys.ColdStartP50] = new(0.05, 9) } };
        Assert.All(ComparisonDesign.Assess(plan, calibrated), m => Assert.True(m.CanDecide, m.Reason));

        // Three rounds per side, the cold start on the first round only (as RunMetricsFactory stores it).
        List<RunMetrics> Rounds(string id, double p50, double cold) =>
        [
            Values($"{id}/r1", (MetricKeys.P50, p50), (MetricKeys.ColdStartP50, cold)),
            Values($"{id}/r2", (MetricKeys.P50, p50 * 1.01)),
            Values($"{id}/r3", (MetricKeys.P50, p50 * 0.99)),
        ];
        var verdict = VerdictEngine.Compare(Rounds("b", 40, 900), Rounds("c", 40, 2000), policy);
        Assert.Equal("none", verdict.Metrics[1].Method);
        Assert.NotEqual("none", verdict.Metrics[0].Method);
    }

    // Reference values: t quantiles from the regularized incomplete beta function (continued fraction, bisection on the
    // CDF; checked against the table value t(0.975; 10) = 2.228), shift = exp(t(1 - α/k; df) · σ · √(1/n_b + 1/n_c)) - 1.
    [Theory]
    [InlineData(0.0, 0, 1, 0.16410)] // assumed 3 % noise, df 10, single runs, k 4, α 0.01
    [InlineData(0.02, 9, 1, 0.11000)] // calibrated σ 0.02 from 10 A/A runs
    [InlineData(0.0, 0, 3, 0.14696)] // 3 rounds per side at run level: assumed 3 %, df 3 + 3 - 2 = 4
    public void Assess_DetectableShift_MatchesReferenceValues(double priorSd, int priorDf, int repeat, double expected)
    {
        var policy = priorSd > 0 ? Default with { Noise = new Dictionary<string, NoisePrior> { [MetricKeys.P50] = new(priorSd, priorDf) } } : Default;

        var p50 = ComparisonDesign.Assess(new ComparisonPlan(TimeSpan.FromSeconds(30), repeat), policy)[0];

        Assert.Equal(priorSd > 0, p50.Calibrated);
        Assert.Equal(expected, p50.DetectableShift!.Value, 4);
    }

    [Fact]
    public void Assess_NoiseFarBelowTheMargin_DetectsTheMarginAndNoLess()
    {
        var policy = Default with { Noise = new Dictionary<string, NoisePrior> { [MetricKeys.P50] = new(0.001, 50) } };

        Assert.Equal(0.05, ComparisonDesign.Assess(new ComparisonPlan(TimeSpan.FromSeconds(30)), policy)[0].DetectableShift);
    }

    [Fact]
    public void Assess_ErrorRate_DecidesOnCountsWithoutAShiftFigure()
    {
        var errorRate = ComparisonDesign.Assess(new ComparisonPlan(TimeSpan.FromSeconds(30)), Default).Single(m => m.Metric == MetricKeys.ErrorRate);

        Assert.True(errorRate.CanDecide);
        Assert.Null(errorRate.DetectableShift);
    }

    [Fact]
    public void Describe_ShortRuns_SaysWhatCannotBeDecidedAndWhatWouldFixIt()
    {
        var plan = new ComparisonPlan(TimeSpan.FromSeconds(8));
        var lines = ComparisonDesign.Describe(plan, Default, ComparisonDesign.Assess(plan, Default));

        Assert.Contains("with 8s runs and 1 run per side this gate cannot decide p95: needs ≥ 10 s runs", string.Join('\n', lines), StringComparison.Ordinal);
        Assert.Equal(4, lines.Count);
    }

    [Fact]
    public void Describe_CalibratedAndAssumed_SaysWhichNoiseEachShiftRestsOn()
    {
        var plan = new ComparisonPlan(TimeSpan.FromSeconds(30));
        var policy = Default with { Noise = new Dictionary<string, NoisePrior> { [MetricKeys.P50] = new(0.02, 9) } };

        var lines = ComparisonDesign.Describe(plan, policy, ComparisonDesign.Assess(plan, policy));

        Assert.Contains(lines, l => l.Contains("with the stored calibration it detects shifts ≥ 11 % on p50 at α 0.01", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("assumed 3 % run-to-run noise", StringComparison.Ordinal) && l.Contains("≥ 16 % on p95", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("errorRate: judged on request and error counts", StringComparison.Ordinal));
    }

    [Fact]
    public void Describe_RepeatedRoundsAndARollingBaseline_CountsRoundsPerSide()
    {
        var plan = new ComparisonPlan(TimeSpan.FromSeconds(2), Repeat: 3, BaselineRuns: 4);

        var lines = ComparisonDesign.Describe(plan, Default, ComparisonDesign.Assess(plan, Default));

        Assert.StartsWith("with 2s rounds and 12 baseline rounds and 3 candidate rounds (each round one sample) and with no calibration", lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_RecycledRounds_SaysEachRoundRunsOnANewProcess()
    {
        var workload = WorkloadLoader.LoadText("""
            name: recycled
            target:
              url: http://127.0.0.1:5080/api/hello
              process: { command: sample-target }
            load: { rate: 10/s, duration: 2s }
            compare: { repeat: 3, recycle: true }
            """, "t.yaml");
        var plan = ComparisonPlan.From(workload);

        var lines = ComparisonDesign.Describe(plan, Default, ComparisonDesign.Assess(plan, Default));

        Assert.True(plan.Recycled);
        Assert.StartsWith("with 2s rounds and 3 rounds per side (each round one sample, on a new target process with its own warm-up)", lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_NoCalibrationRead_NamesTheAssumedNoiseAsAStandIn()
    {
        var plan = new ComparisonPlan(TimeSpan.FromSeconds(30));

        var lines = ComparisonDesign.Describe(plan, Default, ComparisonDesign.Assess(plan, Default), calibrationRead: false);

        Assert.Contains(lines, l => l.Contains("with the assumed 3 % run-to-run noise (no stored calibration was read here)", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("with no calibration", StringComparison.Ordinal));
    }

    [Fact]
    public void From_RollingBaselineAndRepeat_CountSamplesPerSide()
    {
        var workload = WorkloadLoader.LoadText(
            """
            name: design
            target: { url: http://127.0.0.1:5080/api/hello }
            load: { model: open, rate: 10/s, duration: 20s }
            compare: { repeat: 3, baseline: rolling(4) }
            """,
            "design.yaml");

        var plan = ComparisonPlan.From(workload);

        Assert.Equal((4, 3, 12, 0), (plan.BaselineRuns, plan.CandidateSamples, plan.BaselineSamples, plan.WindowsPerSample));
        Assert.Equal(1, ComparisonPlan.From(workload, baselineOverride: "20261206-021703-4decf5").BaselineRuns);
    }

    [Theory]
    [InlineData(0, 1, 10)]
    [InlineData(1, 0, 10)]
    [InlineData(1, 1, -1)]
    public void Assess_ImpossiblePlan_Throws(int repeat, int baselineRuns, int seconds)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ComparisonDesign.Assess(new ComparisonPlan(TimeSpan.FromSeconds(seconds), repeat, baselineRuns), Default));
    }
}
