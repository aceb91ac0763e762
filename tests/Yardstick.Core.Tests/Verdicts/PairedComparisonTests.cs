using Yardstick.Core.Verdicts;
using static Yardstick.Core.Tests.Verdicts.VerdictFixtures;

namespace Yardstick.Core.Tests.Verdicts;

public sealed class PairedComparisonTests
{
    private static readonly VerdictPolicy Policy = new([MetricKeys.P50, MetricKeys.P95, MetricKeys.ErrorRate]);

    // Per-pair jitter of ±1 %, fixed, so that the verdicts are deterministic without a random source.
    private static readonly double[] Jitter = [0.004, -0.007, 0.01, -0.002, 0.006, -0.009, 0.001, 0.008, -0.005, 0.003, -0.004, 0.007];

    /// <summary>
    /// <paramref name="pairs"/> pairs; the machine's speed drifts by <paramref name="drift"/> over them (both sides see it);
    /// the candidate is <paramref name="factor"/> × the reference, with a small per-pair jitter.
    /// </summary>
    private static List<PairedRound> Pairs(int pairs, double factor, double drift = 0, long candidateErrors = 10)
    {
        return Enumerable.Range(0, pairs).Select(i =>
        {
            var speed = 1 + (drift * ((2.0 * i / Math.Max(1, pairs - 1)) - 1));
            var j = Jitter[i % Jitter.Length];
            var reference = Values($"r{i}", (MetricKeys.P50, 40 * speed), (MetricKeys.P95, 90 * speed), (MetricKeys.Requests, 10_000), (MetricKeys.Errors, 10));
            var candidate = Values($"c{i}", (MetricKeys.P50, 40 * speed * factor * (1 + j)), (MetricKeys.P95, 90 * speed * factor * (1 - j)), (MetricKeys.Requests, 10_000), (MetricKeys.Errors, candidateErrors));
            return new PairedRound(reference, candidate);
        }).ToList();
    }

    [Fact]
    public void Compare_TwelvePairsTwentyPercentSlower_RegressionBySignedRank()
    {
        var verdict = PairedComparison.Compare(Pairs(12, 1.20), Policy);

        Assert.Equal(VerdictKind.Regression, verdict.Overall);
        var p95 = verdict.Metrics.Single(m => m.Metric == MetricKeys.P95);
        Assert.Equal(VerdictKind.Regression, p95.Kind);
        Assert.Equal("paired-signed-rank", p95.Method);
        Assert.InRange(p95.Ratio, 1.19, 1.21);
        Assert.Equal(1 / 4096.0, p95.PValue!.Value, 1e-12);
        Assert.Contains("Paired signed-rank over 12 pairs", p95.Explanation, StringComparison.Ordinal);
        Assert.Contains("Paired design: 12 pairs", verdict.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_RoundsTooShortForTheTail_QuantileInconclusiveByTheFloor_DecidedWithTheFloorOff()
    {
        // 1,000 requests a round leave p95 50 tail samples, below the default floor of 100: as in any comparison, the
        // quantile is inconclusive with that reason and takes no Holm step; p50 (500 tail samples) still decides.
        var shortRounds = Pairs(12, 1.20).Select(p => new PairedRound(
            Values(p.Reference.RunId, (MetricKeys.P50, p.Reference.Value(MetricKeys.P50)!.Value), (MetricKeys.P95, p.Reference.Value(MetricKeys.P95)!.Value), (MetricKeys.Requests, 1_000), (MetricKeys.Errors, 1)),
            Values(p.Candidate.RunId, (MetricKeys.P50, p.Candidate.Value(MetricKeys.P50)!.Value), (MetricKeys.P95, p.Candidate.Value(MetricKeys.P95)!.Value), (MetricKeys.Requests, 1_000), (MetricKeys.Errors, 1)))).ToList();

        var floored = PairedComparison.Compare(shortRounds, Policy);
        var unfloored = PairedComparison.Compare(shortRounds, Policy with { MinTailSamples = 0 });

        var p95 = floored.Metrics.Single(m => m.Metric == MetricKeys.P95);
        Assert.Equal((VerdictKind.Inconclusive, 50L), (p95.Kind, p95.TailSamples));
        Assert.Contains("rests on 50 tail samples", p95.Explanation, StringComparison.Ordinal);
        var p50 = floored.Metrics.Single(m => m.Metric == MetricKeys.P50);
        Assert.Equal((VerdictKind.Regression, 500L), (p50.Kind, p50.TailSamples));
        Assert.Contains("tail samples per run", p50.Explanation, StringComparison.Ordinal);
        Assert.Equal(VerdictKind.Regression, unfloored.Metrics.Single(m => m.Metric == MetricKeys.P95).Kind);
    }

    [Fact]
    public void Compare_DriftBothSidesSee_PairedEquivalentWhileUnpairedCannotDecide()
    {
        // ±10 % drift of the machine's speed over the run: identical builds. Paired, the drift cancels; the same rounds
        // compared unpaired (the engine's run-level path) carry the drift as run-to-run noise and cannot decide.
        var pairs = Pairs(12, 1.0, drift: 0.10);

        var paired = PairedComparison.Compare(pairs, Policy);
        var unpaired = VerdictEngine.Compare(pairs.Select(p => p.Reference).ToList(), pairs.Select(p => p.Candidate).ToList(), Policy);

        Assert.Equal(VerdictKind.Equivalent, paired.Metrics.Single(m => m.Metric == MetricKeys.P95).Kind);
        Assert.Equal(VerdictKind.Equivalent, paired.Overall);
        Assert.Equal(VerdictKind.Inconclusive, unpaired.Metrics.Single(m => m.Metric == MetricKeys.P95).Kind);
    }

    [Fact]
    public void Compare_FourPairs_PairedTAndSaysSo()
    {
        var verdict = PairedComparison.Compare(Pairs(4, 1.20), Policy);

        var p50 = verdict.Metrics.Single(m => m.Metric == MetricKeys.P50);
        Assert.Equal("paired-t", p50.Method);
        Assert.Equal(VerdictKind.Regression, p50.Kind);
        Assert.Contains("Paired t over 4 pairs on the log-ratios", p50.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_SixPairsThreeMetrics_PairedTBecauseSignedRankFloorAboveHolmLevel()
    {
        // 2⁻⁶ = 1/64 > 0.01/3: the signed-rank test could never reject at the first Holm step, so the t decides.
        var verdict = PairedComparison.Compare(Pairs(6, 1.20), Policy);

        Assert.All(verdict.Metrics.Where(m => m.Scale == IntervalScale.Ratio), m => Assert.Equal("paired-t", m.Method));
        Assert.Equal("paired-signed-rank", PairedComparison.MethodFor(6, 0.05, calibrated: false));
        Assert.Equal("paired-t", PairedComparison.MethodFor(8, 0.01 / 3, calibrated: false));
        Assert.Equal("paired-signed-rank", PairedComparison.MethodFor(9, 0.01 / 3, calibrated: false));
    }

    [Fact]
    public void Compare_OnePairWithCalibration_PairedTCalibrated()
    {
        var prior = new NoisePrior(0.02, 9);
        var policy = Policy with { Noise = new Dictionary<string, NoisePrior> { [MetricKeys.P50] = prior, [MetricKeys.P95] = prior } };

        var verdict = PairedComparison.Compare(Pairs(1, 1.30), policy);

        var p95 = verdict.Metrics.Single(m => m.Metric == MetricKeys.P95);
        Assert.Equal("paired-t-calibrated", p95.Method);
        Assert.Equal(VerdictKind.Regression, p95.Kind);
        Assert.Contains("stored calibration", p95.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_OnePairWithoutCalibration_InconclusiveWithReason()
    {
        var verdict = PairedComparison.Compare(Pairs(1, 1.30), Policy);

        var p95 = verdict.Metrics.Single(m => m.Metric == MetricKeys.P95);
        Assert.Equal(VerdictKind.Inconclusive, p95.Kind);
        Assert.Contains("one pair of rounds and no calibration", p95.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_ErrorRateTripledInEveryPair_ErrorRateRegression()
    {
        var verdict = PairedComparison.Compare(Pairs(12, 1.0, candidateErrors: 300), Policy);

        var errors = verdict.Metrics.Single(m => m.Metric == MetricKeys.ErrorRate);
        Assert.Equal(IntervalScale.Difference, errors.Scale);
        Assert.Equal(VerdictKind.Regression, errors.Kind);
        Assert.Equal(0.001, errors.Baseline, 1e-12);
        Assert.Equal(0.03, errors.Candidate, 1e-12);
        Assert.Contains("rate differences", errors.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_HolmAcrossMetrics_LevelsFollowStepDown()
    {
        var verdict = PairedComparison.Compare(Pairs(12, 1.20), Policy);

        // p50 and p95 reach the signed-rank floor 2⁻¹² and are tested at α/3 and α/2; error rates are equal (p = 1), tested at α.
        var levels = verdict.Metrics.Select(m => m.AdjustedAlpha).Order().ToArray();
        Assert.Equal([0.01 / 3, 0.01 / 2, 0.01], levels, (a, b) => Math.Abs(a - b) < 1e-15);
    }

    [Fact]
    public void Compare_NoPairs_InputExceptionNamingCompareAgainst()
    {
        var e = Assert.Throws<InputException>(() => PairedComparison.Compare([], Policy));

        Assert.Equal("compare.against", e.Field);
    }
}
