using Yardstick.Core.Verdicts;
using static Yardstick.Core.Tests.Verdicts.VerdictFixtures;

namespace Yardstick.Core.Tests.Verdicts;

public sealed class ErrorRateVerdictTests
{
    private static readonly VerdictPolicy Errors = new([MetricKeys.ErrorRate]);

    [Fact]
    public void Compare_ZeroErrorsOnBothSidesWithManyRequests_Equivalent()
    {
        var baseline = Enumerable.Range(0, 3).Select(i => Counts($"b{i}", 20_000, 0)).ToList();
        var candidate = Enumerable.Range(0, 3).Select(i => Counts($"c{i}", 20_000, 0)).ToList();

        var verdict = VerdictEngine.Compare(baseline, candidate, Errors);

        var errors = verdict.Metrics[0];
        Assert.Equal(VerdictKind.Equivalent, errors.Kind);
        Assert.Equal(IntervalScale.Difference, errors.Scale);
        Assert.Equal(0.001, errors.MarginApplied);
        Assert.Equal(1, errors.Ratio);
        Assert.Contains("errorRate held at 0.00%", errors.Explanation);
        Assert.Contains("within the ±0.10 pp margin: equivalent.", errors.Explanation);
    }

    [Fact]
    public void Compare_ZeroErrorsOnBothSidesWithFewRequests_InconclusiveBecauseZeroOfAFewIsWeakEvidence()
    {
        var baseline = Enumerable.Range(0, 3).Select(i => Counts($"b{i}", 300, 0)).ToList();
        var candidate = Enumerable.Range(0, 3).Select(i => Counts($"c{i}", 300, 0)).ToList();

        var errors = VerdictEngine.Compare(baseline, candidate, Errors).Metrics[0];

        Assert.Equal(VerdictKind.Inconclusive, errors.Kind);
        Assert.True(errors.AdditionalRunsNeeded > 0);
    }

    [Fact]
    public void Compare_ErrorsAppearWhereThereWereNone_Regression()
    {
        var baseline = Enumerable.Range(0, 3).Select(i => Counts($"b{i}", 10_000, 0)).ToList();
        var candidate = Enumerable.Range(0, 3).Select(i => Counts($"c{i}", 10_000, 100 + (i * 5))).ToList();

        var errors = VerdictEngine.Compare(baseline, candidate, Errors).Metrics[0];

        Assert.Equal(VerdictKind.Regression, errors.Kind);
        Assert.True(double.IsPositiveInfinity(errors.Ratio));
        Assert.StartsWith("errorRate rose from 0.00% to 1.05% (+1.05 pp, 98% CI +", errors.Explanation);
        Assert.Contains("beyond the 0.10 pp margin: regression.", errors.Explanation);
    }

    [Fact]
    public void Compare_ErrorsBurstInOneRun_DesignEffectWidensTheInterval()
    {
        // Same totals; in the bursty case one candidate run holds most errors, so runs disagree far beyond binomial noise.
        var baseline = Enumerable.Range(0, 3).Select(i => Counts($"b{i}", 10_000, 20)).ToList();
        var steady = Enumerable.Range(0, 3).Select(i => Counts($"c{i}", 10_000, 40)).ToList();
        var bursty = new List<RunMetrics> { Counts("c0", 10_000, 5), Counts("c1", 10_000, 5), Counts("c2", 10_000, 110) };

        var a = VerdictEngine.Compare(baseline, steady, Errors).Metrics[0];
        var b = VerdictEngine.Compare(baseline, bursty, Errors).Metrics[0];

        Assert.True(b.CiHigh - b.CiLow > 2 * (a.CiHigh - a.CiLow));
    }

    [Fact]
    public void Compare_HighBaselineRate_MarginBecomesRelative()
    {
        var baseline = Enumerable.Range(0, 3).Select(i => Counts($"b{i}", 10_000, 1_000)).ToList();

        var errors = VerdictEngine.Compare(baseline, baseline, Errors).Metrics[0];

        // 5 % of a 10 % error rate is 0.5 pp, above the 0.1 pp floor.
        Assert.Equal(0.005, errors.MarginApplied, 1e-12);
    }

    [Fact]
    public void Compare_SingleRunsWithWindows_UsesNewcombeOnWindowCounts()
    {
        var baseline = WindowRun("b", 40, seconds: 20, requestsPerSecond: 50, seed: 11, errorEvery: 200);
        var candidate = WindowRun("c", 40, seconds: 20, requestsPerSecond: 50, seed: 12, errorEvery: 10);

        var errors = VerdictEngine.Compare([baseline], [candidate], Errors with { BootstrapIterations = 200 }).Metrics[0];

        Assert.Equal("newcombe-windows", errors.Method);
        Assert.Equal(VerdictKind.Regression, errors.Kind);
        Assert.Equal(0.1, errors.Candidate, 1e-12);
    }
}
