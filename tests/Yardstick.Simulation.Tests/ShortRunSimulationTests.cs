using Xunit.Abstractions;
using Yardstick.Core.Verdicts;

namespace Yardstick.Simulation.Tests;

/// <summary>
/// Runs too short to resample (9 per-second windows, one fewer than the bootstrap needs), one per side. Without a
/// calibration every latency metric is inconclusive; with one — ten A/A runs of the same short shape, one calibration per
/// ten comparisons — the run values are read against the calibrated run-to-run noise alone (<c>calibrated-noise</c>).
/// The noise model is a quiet local process (1 % run shift, 2 % per-second effect) at 1,200 req/s, so p99 rests on more
/// than 100 tail samples.
/// </summary>
public sealed class ShortRunSimulationTests(ITestOutputHelper output)
{
    private const int ComparisonsPerCalibration = 10;
    private static readonly NoiseModel Model = new() { Seconds = 9, RequestsPerSecond = 1200, RunShiftSigma = 0.01, WindowSigma = 0.02 };
    private static readonly VerdictPolicy Policy = VerdictPolicy.Default with { BootstrapIterations = 100 };

    [Fact]
    public void Compare_ShortAaRunsWithCalibration_FalseRegressionRateAtMostAlpha()
    {
        const int comparisons = 500;
        var priors = Calibrations(comparisons, seed: 1_100_000);

        var tallies = ComparisonTally.Run(comparisons, 1, i =>
        {
            var generator = new RunGenerator(Model, 1_200_000 + i);
            return [VerdictEngine.Compare([generator.Run()], [generator.Run()], Policy with { Noise = priors[i / ComparisonsPerCalibration] })];
        });

        output.WriteLine(MultiRunSimulationTests.Describe(Model));
        output.WriteLine(tallies[0].Describe("A/A, 9 s runs, 1 v 1, calibrated noise"));
        Assert.True(tallies[0].Rate(VerdictKind.Regression) <= Policy.Alpha, $"false regression rate {tallies[0].Rate(VerdictKind.Regression):P2} > α");
    }

    [Fact]
    public void Compare_ShortRunFifteenPercentSlower_RegressionWithCalibration_InconclusiveWithout()
    {
        const int comparisons = 300;
        var priors = Calibrations(comparisons, seed: 1_300_000);

        var tallies = ComparisonTally.Run(comparisons, 2, i =>
        {
            var generator = new RunGenerator(Model, 1_400_000 + i);
            RunMetrics[] baseline = [generator.Run()];
            RunMetrics[] candidate = [generator.Run(latencyFactor: 1.15)];
            return
            [
                VerdictEngine.Compare(baseline, candidate, Policy),
                VerdictEngine.Compare(baseline, candidate, Policy with { Noise = priors[i / ComparisonsPerCalibration] }),
            ];
        });

        output.WriteLine(MultiRunSimulationTests.Describe(Model));
        output.WriteLine(tallies[0].Describe("+15 % latency, 9 s runs, 1 v 1, no calibration"));
        output.WriteLine(tallies[1].Describe("+15 % latency, 9 s runs, 1 v 1, calibrated noise"));
        Assert.Equal(1.0, tallies[0].Rate(VerdictKind.Inconclusive));
        Assert.True(tallies[1].Rate(VerdictKind.Regression) >= 0.8, $"regression rate {tallies[1].Rate(VerdictKind.Regression):P1} < 80 % (calibrated)");
    }

    /// <summary>One calibration (ten A/A runs of the short shape, seeded) per <see cref="ComparisonsPerCalibration"/> comparisons.</summary>
    private static IReadOnlyDictionary<string, NoisePrior>[] Calibrations(int comparisons, int seed)
    {
        var count = (comparisons + ComparisonsPerCalibration - 1) / ComparisonsPerCalibration;
        var priors = new IReadOnlyDictionary<string, NoisePrior>[count];
        Parallel.For(0, count, i => priors[i] = NoiseCalibration.Estimate(new RunGenerator(Model, seed + i).Runs(10), Policy).ToNoisePriors());
        return priors;
    }
}
