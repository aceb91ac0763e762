using Yardstick.Core.Verdicts;
using static Yardstick.Core.Tests.Verdicts.VerdictFixtures;

namespace Yardstick.Core.Tests.Verdicts;

public sealed class WindowBlockPathTests
{
    // The tail-sample floor is off: these runs are small on purpose (TailSampleFloorTests covers the floor).
    private static readonly VerdictPolicy Latency = new([MetricKeys.P50, MetricKeys.P95]) { BootstrapIterations = 300, MinTailSamples = 0 };

    [Fact]
    public void Compare_SingleRunsFiftyPercentSlower_RegressionFromResampledWindows()
    {
        var baseline = WindowRun("b", medianMs: 40, seconds: 30, requestsPerSecond: 50, seed: 1);
        var candidate = WindowRun("c", medianMs: 60, seconds: 30, requestsPerSecond: 50, seed: 2);

        var verdict = VerdictEngine.Compare([baseline], [candidate], Latency);

        Assert.Equal(VerdictKind.Regression, verdict.Overall);
        Assert.All(verdict.Metrics, m => Assert.Equal("window-block-bootstrap", m.Method));
        Assert.Equal(1.5, verdict.Metrics[0].Ratio, 0.05);
    }

    [Fact]
    public void Compare_SingleRunsOfTheSameBuild_NotARegression()
    {
        var baseline = WindowRun("b", medianMs: 40, seconds: 30, requestsPerSecond: 50, seed: 3);
        var candidate = WindowRun("c", medianMs: 40, seconds: 30, requestsPerSecond: 50, seed: 4);

        var verdict = VerdictEngine.Compare([baseline], [candidate], Latency);

        // One run per side cannot rule out the assumed 3 % run-to-run noise, so this is honest doubt, not equivalence.
        Assert.Equal(VerdictKind.Inconclusive, verdict.Overall);
        Assert.All(verdict.Metrics, m => Assert.True(m.AdditionalRunsNeeded >= 2));
    }

    [Fact]
    public void Compare_RunToRunTermWidensTheInterval()
    {
        var baseline = WindowRun("b", medianMs: 40, seconds: 30, requestsPerSecond: 50, seed: 5);
        var candidate = WindowRun("c", medianMs: 40, seconds: 30, requestsPerSecond: 50, seed: 6);

        var within = VerdictEngine.Compare([baseline], [candidate], Latency with { AssumedRunToRunCv = 0 }).Metrics[0];
        var withNoise = VerdictEngine.Compare([baseline], [candidate], Latency).Metrics[0];

        Assert.True(withNoise.CiHigh - withNoise.CiLow > within.CiHigh - within.CiLow);
    }

    [Fact]
    public void Compare_SameInputsAndSeed_SameVerdict()
    {
        var baseline = WindowRun("b", medianMs: 40, seconds: 20, requestsPerSecond: 40, seed: 7);
        var candidate = WindowRun("c", medianMs: 44, seconds: 20, requestsPerSecond: 40, seed: 8);

        var first = VerdictEngine.Compare([baseline], [candidate], Latency);
        var second = VerdictEngine.Compare([baseline], [candidate], Latency);

        Assert.Equal(first.Metrics.Select(m => (m.CiLow, m.CiHigh)), second.Metrics.Select(m => (m.CiLow, m.CiHigh)));
    }

    [Fact]
    public void Compare_TinyRun_InconclusiveAskingForMoreRuns()
    {
        var baseline = WindowRun("b", medianMs: 40, seconds: 30, requestsPerSecond: 50, seed: 9);
        var tiny = WindowRun("tiny", medianMs: 40, seconds: 3, requestsPerSecond: 5, seed: 10);

        var verdict = VerdictEngine.Compare([baseline], [tiny], Latency);

        Assert.Equal(VerdictKind.Inconclusive, verdict.Overall);
        var p95 = verdict.Metrics.Single(m => m.Metric == MetricKeys.P95);
        Assert.Equal(2, p95.AdditionalRunsNeeded);
        Assert.Contains("run tiny has 3 per-second windows; at least 10 are needed to resample", p95.Explanation);
    }

    [Fact]
    public void Compare_ColdStartWithoutWindows_UsesTheNoiseFloorOnly()
    {
        var policy = new VerdictPolicy([MetricKeys.ColdStartP50]);

        var verdict = VerdictEngine.Compare(
            [Values("b", (MetricKeys.ColdStartP50, 800))], [Values("c", (MetricKeys.ColdStartP50, 1600))], policy);

        Assert.Equal("noise-floor", verdict.Metrics[0].Method);
        Assert.Equal(VerdictKind.Regression, verdict.Overall);
    }

    private static VerdictPolicy Calibrated(VerdictPolicy policy, double sd = 0.02, int df = 9) =>
        policy with { Noise = policy.Metrics.ToDictionary(m => m, _ => new NoisePrior(sd, df)) };

    [Fact]
    public void Compare_ShortRunFifteenPercentSlowerWithCalibration_RegressionFromTheCalibratedNoise()
    {
        var baseline = WindowRun("b", medianMs: 40, seconds: 9, requestsPerSecond: 200, seed: 11);
        var candidate = WindowRun("c", medianMs: 46, seconds: 9, requestsPerSecond: 200, seed: 12);

        var verdict = VerdictEngine.Compare([baseline], [candidate], Calibrated(Latency));

        Assert.Equal(VerdictKind.Regression, verdict.Overall);
        Assert.All(verdict.Metrics, m => Assert.Equal("calibrated-noise", m.Method));
        Assert.Contains(
            "Decided with the stored calibration's run-to-run noise (10 runs, sd 2.0 %) because the run is too short to resample (run b has 9 per-second windows; at least 10 are needed to resample).",
            verdict.Metrics[0].Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_ShortRunFifteenPercentSlowerWithoutCalibration_Inconclusive()
    {
        var baseline = WindowRun("b", medianMs: 40, seconds: 9, requestsPerSecond: 200, seed: 11);
        var candidate = WindowRun("c", medianMs: 46, seconds: 9, requestsPerSecond: 200, seed: 12);

        var verdict = VerdictEngine.Compare([baseline], [candidate], Latency);

        Assert.Equal(VerdictKind.Inconclusive, verdict.Overall);
        Assert.All(verdict.Metrics, m => Assert.Equal("none", m.Method));
    }

    [Fact]
    public void Compare_ShortAaRunsWithCalibration_NotARegression()
    {
        var baseline = WindowRun("b", medianMs: 40, seconds: 9, requestsPerSecond: 200, seed: 13);
        var candidate = WindowRun("c", medianMs: 40, seconds: 9, requestsPerSecond: 200, seed: 14);

        var verdict = VerdictEngine.Compare([baseline], [candidate], Calibrated(Latency));

        Assert.NotEqual(VerdictKind.Regression, verdict.Overall);
        Assert.All(verdict.Metrics, m => Assert.Equal("calibrated-noise", m.Method));
    }

    [Fact]
    public void Compare_ShortRunWithCalibration_ErrorRateStaysInconclusive()
    {
        // The calibration carries no error-rate prior (error rates are judged on counts), so a short run cannot decide it.
        var policy = Calibrated(new VerdictPolicy([MetricKeys.P50, MetricKeys.ErrorRate]) { BootstrapIterations = 300, MinTailSamples = 0 });
        var baseline = WindowRun("b", medianMs: 40, seconds: 9, requestsPerSecond: 200, seed: 15, errorEvery: 100);
        var candidate = WindowRun("c", medianMs: 40, seconds: 9, requestsPerSecond: 200, seed: 16, errorEvery: 100);

        var verdict = VerdictEngine.Compare([baseline], [candidate], policy);

        Assert.Equal("calibrated-noise", verdict.Metrics[0].Method);
        Assert.Equal("none", verdict.Metrics[1].Method);
        Assert.Contains("at least 10 are needed to resample", verdict.Metrics[1].Explanation, StringComparison.Ordinal);
    }
}
