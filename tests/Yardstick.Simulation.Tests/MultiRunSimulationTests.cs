using Xunit.Abstractions;
using Yardstick.Core.Verdicts;

namespace Yardstick.Simulation.Tests;

/// <summary>
/// Five runs per side: run-level values are compared. Each comparison is judged twice on the same simulated runs —
/// with the default policy, and with a policy carrying a noise calibration from ten separate A/A runs (one calibration
/// per ten comparisons, as a team would calibrate once and gate many times).
/// </summary>
public sealed class MultiRunSimulationTests(ITestOutputHelper output)
{
    private const int RunsPerSide = 5;
    private const int ComparisonsPerCalibration = 10;
    private static readonly NoiseModel Model = new();
    // The tail-sample floor is off: 6,000 requests a run leave p99 60 tail samples, and these tests check the intervals
    // of all four default metrics (with the default floor of 100, p99 would be inconclusive in every comparison).
    private static readonly VerdictPolicy Policy = VerdictPolicy.Default with { MinTailSamples = 0 };

    [Fact]
    public void Compare_AaFiveRunsPerSide_FalseRegressionRateAtMostAlpha()
    {
        const int comparisons = 1000;
        var priors = Calibrations(comparisons, seed: 500_000);

        var tallies = ComparisonTally.Run(comparisons, 2, i =>
        {
            var generator = new RunGenerator(Model, 100_000 + i);
            var baseline = generator.Runs(RunsPerSide);
            var candidate = generator.Runs(RunsPerSide);
            return
            [
                VerdictEngine.Compare(baseline, candidate, Policy),
                VerdictEngine.Compare(baseline, candidate, Policy with { Noise = priors[i / ComparisonsPerCalibration] }),
            ];
        });

        output.WriteLine(Describe(Model));
        output.WriteLine(tallies[0].Describe("A/A, 5 v 5 runs, default policy"));
        output.WriteLine(tallies[1].Describe("A/A, 5 v 5 runs, calibrated policy"));
        Assert.True(tallies[0].Rate(VerdictKind.Regression) <= Policy.Alpha, $"false regression rate {tallies[0].Rate(VerdictKind.Regression):P2} > α");
        Assert.True(tallies[1].Rate(VerdictKind.Regression) <= Policy.Alpha, $"false regression rate {tallies[1].Rate(VerdictKind.Regression):P2} > α (calibrated)");
    }

    [Fact]
    public void Compare_TenPercentSlowerFiveRunsPerSide_FlagsP95RegressionWithPowerAtLeast80Percent()
    {
        const int comparisons = 500;
        var priors = Calibrations(comparisons, seed: 700_000);

        var tallies = ComparisonTally.Run(comparisons, 2, i =>
        {
            var generator = new RunGenerator(Model, 200_000 + i);
            var baseline = generator.Runs(RunsPerSide);
            var candidate = generator.Runs(RunsPerSide, latencyFactor: 1.10);
            return
            [
                VerdictEngine.Compare(baseline, candidate, Policy),
                VerdictEngine.Compare(baseline, candidate, Policy with { Noise = priors[i / ComparisonsPerCalibration] }),
            ];
        });

        output.WriteLine(Describe(Model));
        output.WriteLine(tallies[0].Describe("+10 % latency, 5 v 5 runs, default policy"));
        output.WriteLine(tallies[1].Describe("+10 % latency, 5 v 5 runs, calibrated policy"));
        var power = tallies[1].Rate(MetricKeys.P95, VerdictKind.Regression);
        Assert.True(power >= 0.8, $"p95 power {power:P1} < 80 % (calibrated)");

        // Without calibration the run-to-run variance rests on 8 degrees of freedom; the power is lower but must be real.
        Assert.True(tallies[0].Rate(MetricKeys.P95, VerdictKind.Regression) >= 0.5);
    }

    /// <summary>
    /// The nightly shape: <c>compare.baseline: rolling(5)</c> against one new run. Run-level values are compared with
    /// the run-to-run variance estimated from the five baseline runs alone (the single candidate adds no degrees of
    /// freedom, so without a calibration t has 4 and the interval is wide): the false-regression rate must still stay
    /// within α; a calibration restores useful power.
    /// </summary>
    [Fact]
    public void Compare_RollingFiveBaselineAgainstOneRun_FalseRegressionAtMostAlpha_CalibrationGivesPower()
    {
        const int comparisons = 1000;
        var priors = Calibrations(comparisons, seed: 900_000);

        var tallies = ComparisonTally.Run(comparisons, 3, i =>
        {
            var generator = new RunGenerator(Model, 300_000 + i);
            var baseline = generator.Runs(RunsPerSide);
            var slower = generator.Runs(1, latencyFactor: 1.10);
            return
            [
                VerdictEngine.Compare(baseline, generator.Runs(1), Policy),
                VerdictEngine.Compare(baseline, slower, Policy),
                VerdictEngine.Compare(baseline, slower, Policy with { Noise = priors[i / ComparisonsPerCalibration] }),
            ];
        });

        output.WriteLine(Describe(Model));
        output.WriteLine(tallies[0].Describe("A/A, rolling 5 v 1 run, default policy"));
        output.WriteLine(tallies[1].Describe("+10 % latency, rolling 5 v 1 run, default policy"));
        output.WriteLine(tallies[2].Describe("+10 % latency, rolling 5 v 1 run, calibrated policy"));
        Assert.True(tallies[0].Rate(VerdictKind.Regression) <= Policy.Alpha, $"false regression rate {tallies[0].Rate(VerdictKind.Regression):P2} > α");
        Assert.True(tallies[1].Rate(MetricKeys.P95, VerdictKind.Regression) >= 0.05, $"p95 power {tallies[1].Rate(MetricKeys.P95, VerdictKind.Regression):P1} (default)");
        Assert.True(
            tallies[2].Rate(MetricKeys.P95, VerdictKind.Regression) >= 2 * tallies[1].Rate(MetricKeys.P95, VerdictKind.Regression),
            $"calibrated p95 power {tallies[2].Rate(MetricKeys.P95, VerdictKind.Regression):P1} is not well above the default's");
    }

    /// <summary>One calibration (ten A/A runs, seeded) per <see cref="ComparisonsPerCalibration"/> comparisons.</summary>
    private static IReadOnlyDictionary<string, NoisePrior>[] Calibrations(int comparisons, int seed)
    {
        var count = (comparisons + ComparisonsPerCalibration - 1) / ComparisonsPerCalibration;
        var priors = new IReadOnlyDictionary<string, NoisePrior>[count];
        Parallel.For(0, count, i => priors[i] = NoiseCalibration.Estimate(new RunGenerator(Model, seed + i).Runs(10), Policy).ToNoisePriors());
        return priors;
    }

    internal static string Describe(NoiseModel m) =>
        $"noise model: median {m.MedianLatencyMs} ms, request σ {m.RequestLogSigma}, run shift σ {m.RunShiftSigma:P0}, " +
        $"per-second AR(1) σ {m.WindowSigma:P0} ρ {m.WindowRho}, {m.RequestsPerSecond} req/s × {m.Seconds} s, " +
        $"error rate {m.ErrorRate:P1} (run σ {m.ErrorRunSigma}, per-second σ {m.ErrorWindowSigma})";
}
