using System.Text.Json;
using Xunit.Abstractions;
using Yardstick.Cli.Commands;
using Yardstick.Cli.Tests.EndToEnd;
using Yardstick.Core.Runs;
using Yardstick.Testing;

namespace Yardstick.Cli.Tests.Commands;

/// <summary><c>yardstick slo suggest</c> through the real command tree, reading Runs rows stored on Azurite.</summary>
public sealed class SloCommandTests(AzuriteFixture azurite, ITestOutputHelper output) : IClassFixture<AzuriteFixture>, IDisposable
{
    private readonly CliHarness _cli = new(azurite, output);

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Suggest_TwelveAcceptedNights_PrintsABlockThatValidateAccepts()
    {
        var name = AzuriteFixture.UniqueName("slo");
        await StoreNightsAsync(name, 12);

        var suggest = await _cli.RunAsync("slo", "suggest", name);

        Assert.Equal(0, suggest.ExitCode);
        Assert.Contains("thresholds:\n  - \"p(95) < ", suggest.Out, StringComparison.Ordinal);
        Assert.Contains("slo:\n  window: 30d\n  availability: ", suggest.Out, StringComparison.Ordinal);
        var file = _cli.WriteWorkload(name, $"""
            name: {name}
            target:
              url: http://127.0.0.1:5080/api/hello
            load:
              rate: 10/s
              duration: 5s
            {suggest.Out}
            """);
        var validate = await _cli.RunAsync("validate", file);
        Assert.True(validate.ExitCode == 0, validate.ToString());
    }

    [Fact]
    public async Task Suggest_Json_LeavesOutRegressionsFailuresAndOldRuns()
    {
        var name = AzuriteFixture.UniqueName("slojson");
        var kept = await StoreNightsAsync(name, 6);
        await StoreAsync(name, 1.5, RunStatus.Completed, verdict: "regression");
        await StoreAsync(name, 2.5, RunStatus.Failed);
        await StoreAsync(name, 40, RunStatus.Completed);

        var suggest = await _cli.RunAsync("slo", "suggest", name, "--format", "json", "--objective", "99.9%");

        Assert.Equal(0, suggest.ExitCode);
        using var json = JsonDocument.Parse(suggest.Out);
        Assert.Equal(kept.Order(StringComparer.Ordinal), json.RootElement.GetProperty("runIds").EnumerateArray().Select(e => e.GetString()!).Order(StringComparer.Ordinal));
        Assert.Equal(0.999, json.RootElement.GetProperty("errorRate").GetProperty("objective").GetDouble(), 9);
        Assert.Equal("errorRate < 0.1%", json.RootElement.GetProperty("thresholds")[2].GetString());
    }

    [Fact]
    public async Task Suggest_TooFewRunsOrBadOptions_Exit2NamingTheField()
    {
        var name = AzuriteFixture.UniqueName("slofew");
        await StoreNightsAsync(name, 3);

        var few = await _cli.RunAsync("slo", "suggest", name);
        var days = await _cli.RunAsync("slo", "suggest", name, "--days", "0");
        var objective = await _cli.RunAsync("slo", "suggest", name, "--objective", "most");

        Assert.Equal((2, 2, 2), (few.ExitCode, days.ExitCode, objective.ExitCode));
        Assert.Contains("workload: " + name + " has 3 accepted run(s) in the last 30 days; at least 5", few.Error, StringComparison.Ordinal);
        Assert.Contains("--days:", days.Error, StringComparison.Ordinal);
        Assert.Contains("--objective:", objective.Error, StringComparison.Ordinal);
    }

    private async Task<List<string>> StoreNightsAsync(string workload, int nights)
    {
        var ids = new List<string>();
        for (var night = 0; night < nights; night++)
        {
            ids.Add(await StoreAsync(workload, night + 1, RunStatus.Completed, p95: 40 + (night % 4), p99: 80 + (2 * (night % 5)), errors: night % 3));
        }

        return ids;
    }

    private async Task<string> StoreAsync(string workload, double daysAgo, RunStatus status, string? verdict = null, double p95 = 40, double p99 = 80, long errors = 0)
    {
        var created = DateTimeOffset.UtcNow.AddDays(-daysAgo);
        var runId = RunIds.Create(created, Guid.NewGuid());
        await _cli.Storage.Runs.UpsertAsync(
            new RunRecord
            {
                RunId = runId,
                Workload = workload,
                Status = status,
                CreatedAt = RunIds.CreatedAt(runId),
                Requests = 6000,
                Errors = errors,
                P95Ms = p95,
                P99Ms = p99,
                Verdict = verdict ?? "no-baseline",
                SettingsHash = "shape-1",
            },
            CancellationToken.None);
        return runId;
    }
}
