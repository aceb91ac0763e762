using System.Text.Json.Nodes;
using Xunit.Abstractions;
using Yardstick.Cli.Tests.EndToEnd;
using Yardstick.Core.Ports;
using Yardstick.Core.Runs;
using Yardstick.Testing;

namespace Yardstick.Cli.Tests.Commands;

/// <summary><c>yardstick trend</c> through the real command tree over 90 stored nights on Azurite (a step at night 60).</summary>
public sealed class TrendCommandTests(AzuriteFixture azurite, ITestOutputHelper output) : IClassFixture<AzuriteFixture>, IDisposable
{
    private readonly CliHarness _cli = new(azurite, output);

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Trend_NinetyNightsWithAStep_ChartsMarksTheChangePointPromotionAndRegression()
    {
        var (name, runs) = await StoreNightsAsync();

        var trend = await _cli.RunAsync("trend", name, "--metric", "p95");

        Assert.True(trend.ExitCode == 0, trend.ToString());
        Assert.Contains($"Trend of {name}, last 90 days", trend.Out, StringComparison.Ordinal);
        Assert.Matches("[▁▂▃▄▅▆▇█]{40,}", trend.Out);
        Assert.Contains("change points (E-divisive means", trend.Out, StringComparison.Ordinal);
        Assert.Contains(runs[60].RunId, trend.Out, StringComparison.Ordinal);
        Assert.Contains("up, worse", trend.Out, StringComparison.Ordinal);
        Assert.Contains("baseline promotions", trend.Out, StringComparison.Ordinal);
        Assert.Contains($"regression: {runs[61].RunId}", trend.Out, StringComparison.Ordinal);
        Assert.Contains("1 failed run(s)", trend.Out, StringComparison.Ordinal);
        var marks = trend.Out.Split('\n').Single(l => l.Contains('^', StringComparison.Ordinal) && !l.Contains("marks:", StringComparison.Ordinal));
        Assert.Contains('R', marks);
        Assert.Contains('x', marks);
    }

    [Fact]
    public async Task Trend_Json_PrintsTheDocumentedShape()
    {
        var (name, runs) = await StoreNightsAsync();

        var trend = await _cli.RunAsync("trend", name, "--json");

        Assert.True(trend.ExitCode == 0, trend.ToString());
        var json = JsonNode.Parse(trend.Out)!;
        Assert.Equal(1, json["schemaVersion"]!.GetValue<int>());
        Assert.Equal(name, json["workload"]!.GetValue<string>());
        Assert.Equal(90, json["days"]!.GetValue<int>());
        Assert.Equal(90, json["runsRead"]!.GetValue<int>());
        Assert.Equal(7, json["series"]!.AsArray().Count);
        var p95 = json["series"]!.AsArray().Single(s => s!["metric"]!.GetValue<string>() == "p95")!;
        Assert.Equal(89, p95["points"]!.AsArray().Count);
        Assert.Equal(runs[60].RunId, p95["changePoints"]![0]!["runId"]!.GetValue<string>());
        Assert.Equal("up", p95["direction"]!.GetValue<string>());
        Assert.Equal("worse", p95["assessment"]!.GetValue<string>());
        Assert.Single(json["promotions"]!.AsArray());
        Assert.Equal("failed", json["runs"]!.AsArray().Single(r => r!["runId"]!.GetValue<string>() == runs[30].RunId)!["status"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("--days", "-1", "--days")]
    [InlineData("--days", "100000", "--days")]
    [InlineData("--metric", "garbage", "--metric")]
    [InlineData("--settings", "not-hex", "--settings")]
    public async Task Trend_BadOption_OneLineNamingTheOptionExit2(string option, string value, string named)
    {
        var trend = await _cli.RunAsync("trend", "checkout", option, value);

        Assert.Equal(2, trend.ExitCode);
        Assert.StartsWith($"yardstick: {named}: ", trend.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Trend_PathTraversalName_RefusedNamingTheWorkload()
    {
        var trend = await _cli.RunAsync("trend", "../../etc/passwd");

        Assert.Equal(2, trend.ExitCode);
        Assert.StartsWith("yardstick: workload: ", trend.Error, StringComparison.Ordinal);
    }

    private Task<(string Name, List<RunRecord> Runs)> StoreNightsAsync() => TrendNights.StoreAsync(_cli);
}
