using Xunit.Abstractions;
using Yardstick.Core.Verdicts;

namespace Yardstick.Simulation.Tests;

/// <summary>One run per side: per-second windows are block-bootstrapped within each run.</summary>
public sealed class SingleRunSimulationTests(ITestOutputHelper output)
{
    private static readonly NoiseModel Model = new();
    // The tail-sample floor is off: 6,000 requests a run leave p99 60 tail samples, and these tests check the intervals
    // of all four default metrics (with the default floor of 100, p99 would be inconclusive in every comparison).
    private static readonly VerdictPolicy Policy = VerdictPolicy.Default with { MinTailSamples = 0 };

    [Fact]
    public void Compare_AaOneRunPerSide_FalseRegressionRateAtMostAlpha()
    {
        var tallies = ComparisonTally.Run(1000, 1, i =>
        {
            var generator = new RunGenerator(Model, 300_000 + i);
            return [VerdictEngine.Compare([generator.Run()], [generator.Run()], Policy)];
        });

        output.WriteLine(MultiRunSimulationTests.Describe(Model));
        output.WriteLine(tallies[0].Describe("A/A, 1 v 1 run, default policy (assumed run-to-run CV 3 %)"));
        Assert.True(tallies[0].Rate(VerdictKind.Regression) <= Policy.Alpha, $"false regression rate {tallies[0].Rate(VerdictKind.Regression):P2} > α");
    }

    [Fact]
    public void Compare_AaWithoutRunShifts_BlocksHoldTheLevelWhereIndependentWindowsDoNot()
    {
        // No run-to-run shift and none assumed: only the within-run bootstrap stands between noise and a false alarm.
        // Resampling single seconds as if independent (block length 1) ignores the per-second correlation.
        var quiet = Model with { RunShiftSigma = 0, ErrorRunSigma = 0 };
        // 300 bootstrap replicates instead of 500 keep this diagnostic affordable; only standard errors are taken from them.
        var withinOnly = Policy with { AssumedRunToRunCv = 0, BootstrapIterations = 300 };
        var tallies = ComparisonTally.Run(500, 2, i =>
        {
            var generator = new RunGenerator(quiet, 400_000 + i);
            RunMetrics[] baseline = [generator.Run()];
            RunMetrics[] candidate = [generator.Run()];
            return
            [
                VerdictEngine.Compare(baseline, candidate, withinOnly),
                VerdictEngine.Compare(baseline, candidate, withinOnly with { BlockLength = 1 }),
            ];
        });

        output.WriteLine(MultiRunSimulationTests.Describe(quiet));
        output.WriteLine(tallies[0].Describe("A/A, 1 v 1 run, no run shift, blocks from autocorrelation"));
        output.WriteLine(tallies[1].Describe("A/A, 1 v 1 run, no run shift, independent seconds (block length 1)"));
        var blocks = tallies[0].Rate(VerdictKind.Regression);
        var seconds = tallies[1].Rate(VerdictKind.Regression);
        Assert.True(blocks <= 2 * Policy.Alpha, $"block bootstrap false regression rate {blocks:P2} > 2α");
        Assert.True(seconds > blocks, $"independent seconds {seconds:P2} should alarm more often than blocks {blocks:P2}");
    }
}
