using Microsoft.Extensions.Time.Testing;
using Yardstick.Core.Ports;
using Yardstick.Core.Runs;
using Yardstick.Core.Trends;
using Yardstick.Testing;

namespace Yardstick.Core.Tests.Trends;

public sealed class TrendReaderBuildTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 6, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Build_NightlyStepAndFailedRun_MarksTheStepKeepsFailedRunOutOfSeries()
    {
        var runs = Nights(60, n => n < 40 ? 100 + (n % 3) : 125 + (n % 3)).ToList();
        runs[10] = runs[10] with { Status = RunStatus.Failed, P95Ms = null, Verdict = null };
        var request = TrendRequest.Parse("checkout", "p95", "90", null);

        var trend = TrendReader.Build(request, Now.AddDays(-90), Now, runs, []);

        var series = Assert.Single(trend.Series);
        Assert.Equal(59, series.Points.Count);
        Assert.DoesNotContain(series.Points, p => p.RunId == runs[10].RunId);
        Assert.Equal("failed", trend.Runs.Single(r => r.RunId == runs[10].RunId).Status);
        var change = Assert.Single(series.ChangePoints);
        Assert.Equal(runs[40].RunId, change.RunId);
        Assert.Equal(TrendDirections.Up, series.Direction);
        Assert.Equal(TrendDirections.Worse, series.Assessment);
        Assert.Equal(series.Points[^1].Value, series.Latest);
    }

    [Fact]
    public void Build_ThroughputRises_IsBetter()
    {
        var runs = Nights(40, n => 100).Select((r, n) => r with { ThroughputRps = n < 20 ? 100 + (n % 2) : 150 + (n % 2) }).ToList();

        var trend = TrendReader.Build(TrendRequest.Parse("checkout", "throughput", null, null), Now.AddDays(-90), Now, runs, []);

        var series = Assert.Single(trend.Series);
        Assert.Equal(TrendDirections.Up, series.Direction);
        Assert.Equal(TrendDirections.Better, series.Assessment);
    }

    [Fact]
    public void Build_NoChange_FlatAndUnchanged()
    {
        var trend = TrendReader.Build(TrendRequest.Parse("checkout", "p95", null, null), Now.AddDays(-90), Now, Nights(50, n => 100 + (n % 5)).ToList(), []);

        var series = Assert.Single(trend.Series);
        Assert.Empty(series.ChangePoints);
        Assert.Equal(TrendDirections.Flat, series.Direction);
        Assert.Equal(TrendDirections.Unchanged, series.Assessment);
    }

    [Fact]
    public void Build_SettingsHashChanges_MarkedAsWorkloadChange()
    {
        var runs = Nights(10, n => 100).Select((r, n) => n >= 6 ? r with { SettingsHash = "bbbbbbbbbbbbbbbb", WorkloadVersion = 2 } : r).ToList();

        var trend = TrendReader.Build(TrendRequest.Parse("checkout", null, null, null), Now.AddDays(-90), Now, runs, []);

        var change = Assert.Single(trend.WorkloadChanges);
        Assert.Equal(runs[6].RunId, change.RunId);
        Assert.Equal(2, change.WorkloadVersion);
        Assert.Equal(TrendMetric.All.Count, trend.Series.Count);
        Assert.Empty(trend.Series.Single(s => s.Metric == "coldStartP50").Points);
    }

    [Fact]
    public async Task ReadAsync_InMemoryStores_ReadsOnlyTheWindowAndPromotionsInIt()
    {
        var runStore = new InMemoryRunStore();
        foreach (var run in Nights(120, n => 100))
        {
            await runStore.UpsertAsync(run, CancellationToken.None);
        }

        var time = new FakeTimeProvider(Now.AddDays(-100));
        IBaselineStore baselines = new InMemoryBaselineStore(time);
        var key = new BaselineKey("checkout", "default");
        await baselines.PromoteAsync(key, ["old"], "ci", null, null, CancellationToken.None);
        time.SetUtcNow(Now.AddDays(-10));
        var current = await baselines.GetCurrentAsync(key, CancellationToken.None);
        await baselines.PromoteAsync(key, ["new"], "ci", "after the fix", current!.ETag, CancellationToken.None);

        var trend = await new TrendReader(runStore, baselines, new FakeTimeProvider(Now)).ReadAsync(TrendRequest.Parse("checkout", "p95", "30", null), CancellationToken.None);

        Assert.Equal(29, trend.RunsRead); // nights are 30 min before each midnight: the one 30 days back falls outside
        Assert.All(trend.Runs, r => Assert.True(r.At >= Now.AddDays(-30)));
        var promotion = Assert.Single(trend.Promotions);
        Assert.Equal(["new"], promotion.RunIds);
        Assert.Equal("after the fix", promotion.Reason);
    }

    /// <summary>One run a night, the newest <paramref name="count"/> nights before <see cref="Now"/>, oldest first.</summary>
    private static IEnumerable<RunRecord> Nights(int count, Func<int, double> p95) =>
        Enumerable.Range(0, count).Select(n =>
        {
            var at = Now.AddDays(-count + n).AddMinutes(-30);
            return new RunRecord
            {
                RunId = RunIds.Create(at, new Guid(n + 1, 0, 0, new byte[8])),
                Workload = "checkout",
                Status = RunStatus.Completed,
                CreatedAt = at,
                Requests = 1000,
                ThroughputRps = 100,
                P95Ms = p95(n),
                Verdict = "equivalent",
                SettingsHash = "aaaaaaaaaaaaaaaa",
                WorkloadVersion = 1,
            };
        });
}
