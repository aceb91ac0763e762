using Xunit.Abstractions;
using Yardstick.Cli.Commands;
using Yardstick.Core.Verdicts;
using Yardstick.Core.Workloads;
using Yardstick.Orchestration.Analysis;
using Yardstick.Testing;

namespace Yardstick.Cli.Tests.EndToEnd;

/// <summary>
/// The design check at the start of <c>run</c> and <c>gate</c>: a comparison that can never decide is named before the
/// load and, with <c>--strict</c>, refused (exit 2) before anything starts; a stored calibration that applies is what
/// the detectable shifts rest on. Real Durable engine on Azurite, a real sample target on loopback.
/// </summary>
public sealed class DesignCheckTests(AzuriteFixture azurite, ITestOutputHelper output) : SampleTargetCliTests(azurite, output)
{
    [Fact]
    public async Task Gate_StrictWithEightSecondRuns_Exit2BeforeAnyRun()
    {
        var name = AzuriteFixture.UniqueName("design");
        var file = Cli.WriteWorkload(name, $"""
            name: {name}
            target:
              url: {Target.BaseUrl}/api/hello
            load:
              rate: 20/s
              duration: 8s
            """);

        var strict = await Cli.RunAsync("gate", file, "--no-progress", "--strict");

        Assert.True(strict.ExitCode == ExitCodes.InvalidInput, strict.ToString());
        Assert.Contains("with 8s runs and 1 run per side this gate cannot decide p95: needs ≥ 10 s runs", strict.Out, StringComparison.Ordinal);
        Assert.Contains("--strict", strict.Error, StringComparison.Ordinal);
        Assert.Contains("p50, p95, p99, errorRate", strict.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("on the local Durable host", strict.Out, StringComparison.Ordinal);
        Assert.Empty(await Cli.Storage.Runs.ListAsync(name, 10, CancellationToken.None));
    }

    [Fact]
    public async Task Run_WithAStoredCalibration_ShiftsRestOnIt_AndTheRunGoesAhead()
    {
        // Three 300 ms rounds: run-level samples, so the design can decide; p50 calibrated at σ 0.02 from 10 A/A runs. 15
        // requests a round leave p50 7 tail samples: the floor is lowered to 5 (compare.minTailSamples).
        var name = AzuriteFixture.UniqueName("design");
        var file = Cli.WriteWorkload(name, $"""
            name: {name}
            target:
              url: {Target.BaseUrl}/api/hello
            load:
              rate: 50/s
              duration: 300ms
            compare:
              repeat: 3
              metrics: [p50]
              minTailSamples: 5
            """);
        var workload = WorkloadLoader.LoadFile(file);
        var metric = new MetricCalibration(MetricKeys.P50, IntervalScale.Ratio, 10, 1.0, 0.02, 0.05, 0.08, 0.02, "");
        await new CalibrationStore(Cli.Storage.Artifacts).SaveAsync(
            new StoredCalibration
            {
                Workload = name,
                SettingsHash = WorkloadFingerprint.SettingsHash(workload),
                CreatedAt = DateTimeOffset.UnixEpoch,
                Result = new CalibrationResult(10, 10, 0.01, 0.9, [metric]),
            },
            CancellationToken.None);

        var run = await Cli.RunAsync("run", file, "--no-progress", "--strict");

        Assert.True(run.ExitCode == 0, run.ToString());
        // σ 0.02 with 9 + 3 + 3 - 2 degrees of freedom, 3 samples per side, one gated metric at α 0.01: ≥ 5 % (the margin).
        Assert.Contains("and with the stored calibration it detects shifts ≥ 5 % on p50 at α 0.01", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("cannot decide", run.Out, StringComparison.Ordinal);
        Assert.Contains("on the local Durable host", run.Out, StringComparison.Ordinal);
    }
}
