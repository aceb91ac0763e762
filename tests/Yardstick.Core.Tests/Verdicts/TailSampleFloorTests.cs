using Yardstick.Core.Summaries;
using Yardstick.Core.Tests.Workloads;
using Yardstick.Core.Verdicts;
using Yardstick.Core.Workloads;
using static Yardstick.Core.Tests.Verdicts.VerdictFixtures;

namespace Yardstick.Core.Tests.Verdicts;

/// <summary>
/// Effective sample size of gated quantiles: each states the requests beyond it (requests × min(p, 1 - p)); below
/// <c>compare.minTailSamples</c> (default 100) it is inconclusive with that reason, in the engine and in the design check.
/// </summary>
public sealed class TailSampleFloorTests
{
    private static readonly VerdictPolicy Quantiles = new([MetricKeys.P50, MetricKeys.P99]) { BootstrapIterations = 200 };

    [Theory]
    [InlineData(MetricKeys.P99, 1_000, 10)]
    [InlineData(MetricKeys.P99, 10_000, 100)]
    [InlineData(MetricKeys.P95, 2_000, 100)]
    [InlineData(MetricKeys.P50, 1_000, 500)]
    [InlineData("checkout.p90", 1_234, 123)]
    public void Count_IsRequestsBeyondTheQuantile(string metric, long requests, long expected) =>
        Assert.Equal(expected, TailSampleFloor.Count(requests, TailSampleFloor.TailFraction(metric)!.Value));

    [Fact]
    public void RequestsNeeded_ForTheDefaultFloor_IsTenThousandForP99()
    {
        Assert.Equal(10_000, TailSampleFloor.RequestsNeeded(100, 0.01));
        Assert.Equal(2_000, TailSampleFloor.RequestsNeeded(100, 0.05));
        Assert.Null(TailSampleFloor.TailFraction(MetricKeys.ErrorRate));
    }

    [Fact]
    public void Compare_P99OfAThousandRequests_InconclusiveWithTheReason_P50DecidedAndStatesItsTail()
    {
        var baseline = WindowRun("b", medianMs: 40, seconds: 10, requestsPerSecond: 100, seed: 21);
        var candidate = WindowRun("c", medianMs: 60, seconds: 10, requestsPerSecond: 100, seed: 22);

        var verdict = VerdictEngine.Compare([baseline], [candidate], Quantiles);

        var p99 = verdict.Metrics.Single(m => m.Metric == MetricKeys.P99);
        Assert.Equal(VerdictKind.Inconclusive, p99.Kind);
        Assert.Equal("none", p99.Method);
        Assert.Equal(10, p99.TailSamples);
        Assert.Contains(
            "p99 of run b rests on 10 tail samples (1,000 requests × 1 %); at least 100 are needed (≥ 10,000 requests per run; compare.minTailSamples lowers the floor)",
            p99.Explanation, StringComparison.Ordinal);
        var p50 = verdict.Metrics.Single(m => m.Metric == MetricKeys.P50);
        Assert.Equal(VerdictKind.Regression, p50.Kind);
        Assert.Equal(500, p50.TailSamples);
        Assert.EndsWith("p50 rests on ≥ 500 tail samples per run (1,000 requests × 50 % in the smallest).", p50.Explanation, StringComparison.Ordinal);

        // Not tested, so the floored p99 takes no Holm step: p50 is judged at the full α.
        Assert.Equal(Quantiles.Alpha, p50.AdjustedAlpha, 12);
        Assert.Equal(VerdictKind.Regression, verdict.Overall);
    }

    [Fact]
    public void Compare_FloorLoweredByTheUser_P99IsCompared()
    {
        var baseline = WindowRun("b", medianMs: 40, seconds: 10, requestsPerSecond: 100, seed: 21);
        var candidate = WindowRun("c", medianMs: 60, seconds: 10, requestsPerSecond: 100, seed: 22);

        var verdict = VerdictEngine.Compare([baseline], [candidate], Quantiles with { MinTailSamples = 10 });

        var p99 = verdict.Metrics.Single(m => m.Metric == MetricKeys.P99);
        Assert.Equal("window-block-bootstrap", p99.Method);
        Assert.Contains("p99 rests on ≥ 10 tail samples per run", p99.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_RunLevelRounds_TheSmallestRoundDecides()
    {
        // Three rounds per side with request counts: the floor is checked on each round, the smallest names the run.
        static RunMetrics Round(string id, double p99, long requests) =>
            Values(id, (MetricKeys.P99, p99), (MetricKeys.Requests, requests), (MetricKeys.Errors, 0));
        RunMetrics[] baseline = [Round("b/r1", 100, 20_000), Round("b/r2", 101, 20_000), Round("b/r3", 99, 20_000)];
        RunMetrics[] candidate = [Round("c/r1", 150, 20_000), Round("c/r2", 151, 9_000), Round("c/r3", 149, 20_000)];
        var policy = new VerdictPolicy([MetricKeys.P99]);

        var floored = Assert.Single(VerdictEngine.Compare(baseline, candidate, policy).Metrics);
        var lowered = Assert.Single(VerdictEngine.Compare(baseline, candidate, policy with { MinTailSamples = 90 }).Metrics);

        Assert.Equal(VerdictKind.Inconclusive, floored.Kind);
        Assert.Contains("p99 of run c/r2 rests on 90 tail samples (9,000 requests × 1 %)", floored.Explanation, StringComparison.Ordinal);
        Assert.Equal(90, floored.TailSamples);
        Assert.Equal(VerdictKind.Regression, lowered.Kind);
        Assert.Equal("run-level-student", lowered.Method);
    }

    [Fact]
    public void Compare_ErrorRateAndThroughput_HaveNoTail()
    {
        var run = WindowRun("b", medianMs: 40, seconds: 10, requestsPerSecond: 20, seed: 23, errorEvery: 50);
        var verdict = VerdictEngine.Compare([run], [run with { RunId = "c" }], new VerdictPolicy([MetricKeys.ErrorRate, MetricKeys.Throughput]) { BootstrapIterations = 100 });

        Assert.All(verdict.Metrics, m => Assert.Null(m.TailSamples));
    }

    [Fact]
    public void Summary_CarriesTheTailSamples()
    {
        var baseline = WindowRun("b", medianMs: 40, seconds: 10, requestsPerSecond: 100, seed: 21);
        var verdict = VerdictEngine.Compare([baseline], [WindowRun("c", 40, 10, 100, seed: 24)], Quantiles);

        var summary = VerdictSummaries.From(verdict, [], ["b"], null);

        Assert.Equal([500L, 10L], summary.Metrics.Select(m => m.TailSamples!.Value));
    }

    [Fact]
    public void Validate_NegativeFloor_NamesTheField()
    {
        var error = Assert.Throws<InputException>(() => VerdictEngine.Compare([Values("b")], [Values("c")], Quantiles with { MinTailSamples = -1 }));

        Assert.Equal("compare.minTailSamples", error.Field);
    }

    [Fact]
    public void Workload_MinTailSamples_MappedAndValidated()
    {
        var w = WorkloadLoader.LoadText(TestWorkloads.Minimal + "\ncompare: { minTailSamples: 20 }\n", "t.yaml");
        var invalid = TestWorkloads.Invalid(TestWorkloads.Minimal + "\ncompare: { minTailSamples: -5 }\n");

        Assert.Equal(20, w.Compare.MinTailSamples);
        Assert.Equal(100, WorkloadLoader.LoadText(TestWorkloads.Minimal, "t.yaml").Compare.MinTailSamples);
        Assert.Contains(invalid.Errors, e => e.Path == "compare.minTailSamples");
    }

    [Fact]
    public void Design_PlannedRequestsBelowTheFloor_CannotDecideP99_UnlessLowered()
    {
        const string Workload = """
            name: tails
            target:
              url: http://127.0.0.1:5080/api/hello
            load:
              rate: 200/s
              duration: 10s
            """;
        var w = WorkloadLoader.LoadText(Workload, "t.yaml");
        var policy = VerdictPolicy.Default;
        var plan = ComparisonPlan.From(w);

        var design = ComparisonDesign.Assess(plan, policy);
        var lines = ComparisonDesign.Describe(plan, policy, design);
        var lowered = ComparisonDesign.Assess(plan, policy with { MinTailSamples = 20 });

        Assert.Equal(2_000, plan.RequestsPerSample);
        var p99 = design.Single(m => m.Metric == MetricKeys.P99);
        Assert.False(p99.CanDecide);
        Assert.True(design.Single(m => m.Metric == MetricKeys.P95).CanDecide);
        Assert.Contains(lines, l => l.Contains(
            "this gate cannot decide p99: it would rest on about 20 tail samples per run (2,000 planned requests × 1 %) and the verdict needs ≥ 100: plan ≥ 10,000 requests per run (load.rate × load.duration), or lower compare.minTailSamples",
            StringComparison.Ordinal));
        Assert.All(lowered, m => Assert.True(m.CanDecide, m.Reason));
    }

    [Fact]
    public void Design_ClosedModelAndStages_PlannedRequests()
    {
        var closed = WorkloadLoader.LoadText("""
            name: closed
            target:
              url: http://127.0.0.1:5080/api/hello
            load:
              model: closed
              concurrency: 4
              duration: 10s
            """, "t.yaml");
        var ramp = WorkloadLoader.LoadText("""
            name: ramp
            target:
              url: http://127.0.0.1:5080/api/hello
            load:
              stages:
                - { duration: 10s, target: 100/s }
                - { duration: 10s, target: 100/s }
            """, "t.yaml");

        Assert.Null(ComparisonPlan.From(closed).RequestsPerSample);
        Assert.Equal(1_500, ComparisonPlan.From(ramp).RequestsPerSample!.Value, 6);
    }
}
