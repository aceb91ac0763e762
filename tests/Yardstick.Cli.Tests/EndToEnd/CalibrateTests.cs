using Xunit.Abstractions;
using Yardstick.Core;
using Yardstick.Core.Ports;
using Yardstick.Core.Verdicts;
using Yardstick.SampleTarget;
using Yardstick.Testing;

namespace Yardstick.Cli.Tests.EndToEnd;

/// <summary><c>yardstick calibrate</c> end to end: two short A/A runs against the sample target, the noise report and the stored calibration.</summary>
public sealed class CalibrateTests(AzuriteFixture azurite, ITestOutputHelper output) : SampleTargetCliTests(azurite, output)
{
    protected override SampleTargetOptions TargetOptions => new() { Urls = "http://127.0.0.1:0", ExtraLatencyMs = 2 };

    [Fact]
    public async Task Calibrate_TwoRuns_ReportsNoisePerMetricAndStoresTheCalibration()
    {
        var name = AzuriteFixture.UniqueName("calib");
        var file = Cli.WriteWorkload(name, $"""
            name: {name}
            target:
              url: http://127.0.0.1:1/never-called
            load:
              rate: 200/s
              duration: 2s
            """);
        var json = Cli.PathOf("calibration.json");

        var result = await Cli.RunAsync("calibrate", file, "--runs", "2", "--set", $"target.url={Target.BaseUrl}/api/hello", "--set", "load.rate=100/s", "--json", json, "--no-progress");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("run-to-run CV", result.Out, StringComparison.Ordinal);
        Assert.Contains("recommended margin", result.Out, StringComparison.Ordinal);
        var written = YardstickJson.Deserialize<StoredCalibration>(await File.ReadAllBytesAsync(json));
        Assert.Equal(name, written.Workload);
        Assert.Equal(2, written.RunIds.Count);
        Assert.Equal(2, written.Result.Runs);
        Assert.Equal(1, written.Result.RunsPerSide);
        var p50 = Assert.Single(written.Result.Metrics, m => m.Metric == "p50");
        Assert.True(p50.Center > 2, $"p50 center {p50.Center} ms: the target adds 2 ms");
        Assert.True(p50.RecommendedMargin >= p50.NoiseFloor);

        // Stored for later analyses, under the overridden shape (100/s), which is what the A/A runs measured.
        var storedBytes = await Cli.Storage.Artifacts.GetAsync(name, ArtifactFolders.Calibration, StoredCalibration.LatestBlobName, CancellationToken.None);
        var stored = YardstickJson.Deserialize<StoredCalibration>(storedBytes!);
        Assert.Equal(written.SettingsHash, stored.SettingsHash);
        Assert.NotNull(await Cli.Storage.Artifacts.GetAsync(name, ArtifactFolders.Calibration, $"settings-{written.SettingsHash}.json", CancellationToken.None));
        foreach (var runId in written.RunIds)
        {
            var row = await Cli.Storage.Runs.GetAsync(runId, CancellationToken.None);
            Assert.NotNull(row);
            Assert.True(row.Tags.ContainsKey("calibration"));
        }
    }
}
