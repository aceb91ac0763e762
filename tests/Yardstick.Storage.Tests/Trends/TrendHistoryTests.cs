using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;
using Yardstick.Core.Ports;
using Yardstick.Core.Runs;
using Yardstick.Core.Trends;
using Yardstick.Storage.Tables;
using Yardstick.Testing;

namespace Yardstick.Storage.Tests.Trends;

/// <summary>
/// Trends over a stored history of 5,040 runs (120 days × 3 settings variants × 14 runs a day) on Azurite: the window
/// read returns exactly the runs of its time range and settings hash, never another workload's, and the trend built from
/// it finds the step injected into one variant's p95.
/// </summary>
[Collection(AzuriteFixture.Collection)]
public sealed class TrendHistoryTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 6, 0, 0, TimeSpan.Zero);

    private static readonly (string Key, string Hash)[] Variants =
    [
        ("default", "a1b2c3d4e5f60718"),
        ("memory=2048", "b1b2c3d4e5f60718"),
        ("memory=4096", "c1b2c3d4e5f60718"),
    ];

    private const int Days = 120;
    private const int RunsPerDayPerVariant = 14;

    /// <summary>Days before <see cref="Now"/> when the default variant's p95 steps from 100 ms to 130 ms.</summary>
    private const int StepDaysAgo = 20;

    [Fact]
    public async Task ListWindowAsync_5040RunHistory_ReturnsExactlyTheWindowAndSettingsOfOneWorkload()
    {
        var storage = azurite.CreateIsolatedStorage();
        var workload = AzuriteFixture.UniqueName("trend");
        var neighbour = workload + "x";
        var history = await SeedAsync(storage, workload, neighbour);
        var since = Now.AddDays(-90);

        var clock = Stopwatch.StartNew();
        var all = await storage.Runs.ListWindowAsync(new RunWindow(workload, since, Now), CancellationToken.None);
        var allMs = clock.ElapsedMilliseconds;
        clock.Restart();
        var oneVariant = await storage.Runs.ListWindowAsync(new RunWindow(workload, since, Now, "b1b2"), CancellationToken.None);
        var variantMs = clock.ElapsedMilliseconds;
        output.WriteLine($"window of 90 days: {all.Count} runs in {allMs} ms; one settings hash: {oneVariant.Count} runs in {variantMs} ms");

        var expected = history.Where(r => r.Workload == workload && r.CreatedAt >= since).OrderBy(r => RunIds.DescendingRowKey(r.RunId), StringComparer.Ordinal).Select(r => r.RunId).ToList();
        Assert.Equal(90 * 3 * RunsPerDayPerVariant, expected.Count);
        Assert.Equal(expected.Order(StringComparer.Ordinal), all.Select(r => r.RunId).Order(StringComparer.Ordinal));
        Assert.Equal(all.Select(r => r.RunId), all.OrderBy(r => RunIds.DescendingRowKey(r.RunId), StringComparer.Ordinal).Select(r => r.RunId));
        Assert.All(all, r => Assert.Equal(workload, r.Workload));
        Assert.Equal(expected.Count / 3, oneVariant.Count);
        Assert.All(oneVariant, r => Assert.Equal("memory=2048", r.SettingsKey));

        var capped = await storage.Runs.ListWindowAsync(new RunWindow(workload, since, Now, MaxRuns: 50), CancellationToken.None);
        Assert.Equal(expected.Take(50).Order(StringComparer.Ordinal), capped.Select(r => r.RunId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ListWindowAsync_RunsOnTheWindowsEdges_IncludesBothEdgeSecondsOnly()
    {
        var storage = azurite.CreateIsolatedStorage();
        var workload = AzuriteFixture.UniqueName("edge");
        var since = Now.AddDays(-7);
        RunRecord At(DateTimeOffset at) => new() { RunId = RunIds.Create(at, Guid.NewGuid()), Workload = workload, CreatedAt = at, Status = RunStatus.Completed };
        var runs = new[] { At(since.AddSeconds(-1)), At(since), At(since.AddSeconds(1)), At(Now), At(Now.AddSeconds(1)) };
        await storage.RunStore.UpsertBatchAsync(runs, CancellationToken.None);

        var found = await storage.Runs.ListWindowAsync(new RunWindow(workload, since, Now), CancellationToken.None);

        Assert.Equal([runs[3].RunId, runs[2].RunId, runs[1].RunId], found.Select(r => r.RunId));
    }

    [Fact]
    public void WindowFilter_NamesOnePartitionAndARowKeyRange()
    {
        var filter = TableRunStore.WindowFilter(new RunWindow("checkout", Now.AddDays(-90), Now, "abcf"));

        var until = 99_999_999_999L - Now.ToUnixTimeSeconds();
        var since = 99_999_999_999L - Now.AddDays(-90).ToUnixTimeSeconds() + 1;
        Assert.Equal($"PartitionKey eq 'checkout' and RowKey ge '{until:D11}' and RowKey lt '{since:D11}' and SettingsHash ge 'abcf' and SettingsHash lt 'abcg'", filter);
    }

    [Fact]
    public async Task TrendReader_5040RunHistory_FindsTheInjectedStepOfOneVariantOnly()
    {
        var promotionTime = new FakeTimeProvider(Now.AddDays(-25));
        var storage = azurite.CreateIsolatedStorage(promotionTime);
        var workload = AzuriteFixture.UniqueName("trend");
        var history = await SeedAsync(storage, workload, neighbour: null);
        var promoted = history.First(r => r.SettingsKey == "default" && r.CreatedAt > Now.AddDays(-30));
        await storage.Baselines.PromoteAsync(new BaselineKey(workload, "default"), [promoted.RunId], "ci", "nightly", null, CancellationToken.None);
        var reader = new TrendReader(storage.Runs, storage.Baselines, new FakeTimeProvider(Now));

        var clock = Stopwatch.StartNew();
        var trend = await reader.ReadAsync(TrendRequest.Parse(workload, "p95", "90", null), CancellationToken.None);
        output.WriteLine($"trend of {trend.RunsRead} runs (p95, 3 series, change points on the newest {TrendReader.MaxDetectionPoints} of each) in {clock.ElapsedMilliseconds} ms");

        Assert.Equal(90 * 3 * RunsPerDayPerVariant, trend.RunsRead);
        Assert.Equal(3, trend.Series.Count);
        var stepped = Assert.Single(trend.Series, s => s.SettingsKey == "default");
        var change = Assert.Single(stepped.ChangePoints);
        var firstAfter = history.Where(r => r.SettingsKey == "default" && r.CreatedAt >= Now.AddDays(-StepDaysAgo)).MinBy(r => r.CreatedAt)!;
        Assert.Equal(firstAfter.RunId, change.RunId);
        Assert.InRange(change.Change, 0.25, 0.35);
        Assert.Equal(TrendDirections.Up, stepped.Direction);
        Assert.Equal(TrendDirections.Worse, stepped.Assessment);
        Assert.Equal(90 * RunsPerDayPerVariant - TrendReader.MaxDetectionPoints, stepped.DetectedFrom);
        Assert.All(trend.Series.Where(s => s.SettingsKey != "default"), s => Assert.Empty(s.ChangePoints));
        var promotion = Assert.Single(trend.Promotions);
        Assert.Equal([promoted.RunId], promotion.RunIds);
    }

    /// <summary>Writes the history in entity-group batches (a few seconds for 5,040 runs).</summary>
    private async Task<List<RunRecord>> SeedAsync(YardstickStorage storage, string workload, string? neighbour)
    {
        var random = new Random(42);
        var runs = new List<RunRecord>();
        for (var day = Days; day >= 1; day--)
        {
            foreach (var (variant, (key, hash)) in Variants.Index())
            {
                for (var i = 0; i < RunsPerDayPerVariant; i++)
                {
                    var at = Now.AddDays(-day).AddMinutes((i * 90) + 1 + variant); // every run in its own second
                    var stepped = key == "default" && at >= Now.AddDays(-StepDaysAgo);
                    var p95 = (stepped ? 130 : 100) * (1 + ((random.NextDouble() - 0.5) * 0.06));
                    runs.Add(Run(workload, at, key, hash, p95, random));
                }
            }
        }

        if (neighbour is not null)
        {
            runs.AddRange(runs.Take(300).Select(r => Run(neighbour, r.CreatedAt, r.SettingsKey, r.SettingsHash, 500, random)).ToList());
        }

        var clock = Stopwatch.StartNew();
        await storage.RunStore.UpsertBatchAsync(runs, CancellationToken.None);
        output.WriteLine($"seeded {runs.Count} runs in {clock.ElapsedMilliseconds} ms");
        return runs;
    }

    private static RunRecord Run(string workload, DateTimeOffset at, string key, string hash, double p95, Random random)
    {
        var bytes = new byte[16];
        random.NextBytes(bytes);
        return new RunRecord
        {
            RunId = RunIds.Create(at, new Guid(bytes)),
            Workload = workload,
            Status = RunStatus.Completed,
            CreatedAt = at,
            CompletedAt = at.AddMinutes(3),
            Requests = 6000,
            Errors = 3,
            ErrorRate = 0.0005,
            ThroughputRps = 100,
            P50Ms = p95 / 2,
            P95Ms = p95,
            P99Ms = p95 * 1.5,
            Verdict = "equivalent",
            SettingsKey = key,
            SettingsHash = hash,
            WorkloadHash = "feed",
        };
    }
}
