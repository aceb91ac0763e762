using System.Diagnostics;
using System.Net;
using Xunit.Abstractions;
using Yardstick.Core.Runs;
using Yardstick.Functions.Tests.TestSupport;
using Yardstick.Testing;
using static Yardstick.Functions.Tests.Api.RunsApiStartTests;

namespace Yardstick.Functions.Tests.Api;

/// <summary>
/// The trend endpoints over real HTTP on Azurite's Runs table with a 5,040-run history (120 days × 3 settings variants ×
/// 14 runs a day): what they answer and how long it takes (logged, not asserted: the CI box is a loaded 2-core VM).
/// </summary>
[Collection(AzuriteFixture.Collection)]
public sealed class TrendsApiHistoryTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    [Fact]
    public async Task TrendAndList_5040RunHistory_AnswerFromTheWindowOnly()
    {
        var storage = azurite.CreateIsolatedStorage();
        var name = AzuriteFixture.UniqueName("hist");
        var now = DateTimeOffset.UtcNow;
        var random = new Random(7);
        var runs = new List<RunRecord>();
        foreach (var day in Enumerable.Range(1, 120))
        {
            foreach (var (key, variant) in new[] { ("default", 0), ("memory=2048", 1), ("memory=4096", 2) })
            {
                for (var i = 0; i < 14; i++)
                {
                    // Distinct seconds (the newest run is one run), and 30 min clear of the window's start, which moves with the clock.
                    var at = now.AddDays(-day).AddMinutes((i * 97) + variant + 30);
                    var latency = (key == "default" && day <= 15 ? 130 : 100) * (1 + ((random.NextDouble() - 0.5) * 0.06));
                    runs.Add(new RunRecord
                    {
                        RunId = RunIds.Create(at, Guid.NewGuid()),
                        Workload = name,
                        Status = RunStatus.Completed,
                        CreatedAt = at,
                        Requests = 3000,
                        ErrorRate = 0.001,
                        ThroughputRps = 50,
                        P50Ms = latency / 2,
                        P95Ms = latency,
                        P99Ms = latency * 1.5,
                        Verdict = "equivalent",
                        SettingsKey = key,
                        SettingsHash = key == "default" ? "aaaa000011112222" : key == "memory=2048" ? "bbbb000011112222" : "cccc000011112222",
                    });
                }
            }
        }

        await storage.RunStore.UpsertBatchAsync(runs, CancellationToken.None);
        await using var server = await RunsApiServer.StartAsync(new Dictionary<string, string> { ["hist.yaml"] = TestWorkloads.Valid(name) }, storage: storage);

        var clock = Stopwatch.StartNew();
        using var trendResponse = await server.Http.GetAsync($"/api/workloads/{name}/trend?days=90");
        var bytes = (await trendResponse.Content.ReadAsByteArrayAsync()).Length;
        var trendMs = clock.ElapsedMilliseconds;
        clock.Restart();
        using var p95Response = await server.Http.GetAsync($"/api/workloads/{name}/trend?days=90&metric=p95&settings=aaaa");
        var p95Ms = clock.ElapsedMilliseconds;
        clock.Restart();
        using var listResponse = await server.Http.GetAsync("/api/workloads");
        var listMs = clock.ElapsedMilliseconds;
        output.WriteLine($"GET trend (all metrics, 90 days, 3,780 runs): {trendMs} ms, {bytes:N0} bytes; p95 of one settings hash: {p95Ms} ms; GET /api/workloads: {listMs} ms");

        Assert.Equal(HttpStatusCode.OK, trendResponse.StatusCode);
        var trend = await ReadJsonAsync(trendResponse);
        Assert.Equal(90 * 3 * 14, (int)trend["runsRead"]!);
        Assert.Equal(3 * 7, trend["series"]!.AsArray().Count);
        var p95 = await ReadJsonAsync(p95Response);
        var series = Assert.Single(p95["series"]!.AsArray())!;
        Assert.Equal("default", (string?)series["settingsKey"]);
        Assert.Equal(90 * 14, series["points"]!.AsArray().Count);
        Assert.Equal("worse", (string?)series["assessment"]);
        var listed = Assert.Single((await ReadJsonAsync(listResponse))["workloads"]!.AsArray(), w => (string?)w!["workload"] == name)!;
        Assert.Equal(runs.MaxBy(r => r.CreatedAt)!.RunId, (string?)listed["latestRun"]!["runId"]);
    }
}
