using Microsoft.Extensions.Logging.Abstractions;
using Yardstick.Core;
using Yardstick.Core.Runs;
using Yardstick.Core.Summaries;
using Yardstick.Core.Trends;
using Yardstick.Orchestration.Activities;
using Yardstick.Orchestration.Contracts;
using Yardstick.Orchestration.Hosting;
using Yardstick.Orchestration.Tests.TestSupport;
using Yardstick.Storage;
using Yardstick.Testing;

namespace Yardstick.Orchestration.Tests.Activities;

/// <summary>
/// The <c>drift</c> verdict written by <see cref="AnalyzeRunActivity"/> over a seeded synthetic nightly history in
/// Azurite (Runs table and run blobs): the nightly runs are analysed one after another as they would arrive; a step for
/// the worse is confirmed by exactly one run (summary.json <c>verdict.drift</c>, the Runs row's <c>Drift</c>, the outcome,
/// the trend), and a noise-only history gets none.
/// </summary>
[Collection(AzuriteFixture.Collection)]
public sealed class AnalyzeRunDriftTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset Start = new(2026, 9, 1, 2, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Analyze_StepAfter30Nights_OneRunConfirmsDrift_InSummaryRowOutcomeAndTrend()
    {
        var t = await Setup.StartAsync(azurite);
        var values = Values(44, seed: 7, n => n < 30 ? 100 : 115, noise: 0.02);
        await t.SeedAsync(values, count: 32);

        var outcomes = new List<RunOutcome>();
        for (var n = 32; n < values.Count; n++)
        {
            outcomes.Add(await t.AnalyzeAsync(n, values[n]));
        }

        var drifted = Assert.Single(outcomes, o => o.Drift.Count > 0);
        Assert.Equal(["p95"], drifted.Drift);
        Assert.Equal("no-baseline", drifted.Verdict); // drift stands beside the baseline verdict

        var summary = YardstickJson.Deserialize<RunSummary>((await t.Storage.Artifacts.GetAsync(t.Workload, drifted.RunId, "summary.json", CancellationToken.None))!);
        var drift = summary.Verdict!.Drift!;
        var metric = Assert.Single(drift.Metrics);
        Assert.Equal("p95", metric.Metric);
        Assert.InRange(t.RunIds.IndexOf(metric.ChangeRunId), 28, 32);
        Assert.InRange(metric.Change, 0.10, 0.20);
        Assert.StartsWith("Drift: p95 shifted +", drift.Explanation, StringComparison.Ordinal);

        Assert.Equal("p95", (await t.Storage.Runs.GetAsync(drifted.RunId, CancellationToken.None))!.Drift);
        foreach (var other in outcomes.Where(o => o.RunId != drifted.RunId))
        {
            Assert.Null((await t.Storage.Runs.GetAsync(other.RunId, CancellationToken.None))!.Drift);
        }

        var trend = await new TrendReader(t.Storage.Runs, t.Storage.Baselines, new FixedTime(Start.AddDays(60)))
            .ReadAsync(TrendRequest.Parse(t.Workload, "p95", "90", null), CancellationToken.None);
        Assert.Equal([drifted.RunId], trend.Runs.Where(r => r.Drift is not null).Select(r => r.RunId));
    }

    [Fact]
    public async Task Analyze_NoiseOnlyHistory_NoDrift()
    {
        var t = await Setup.StartAsync(azurite);
        var values = Values(50, seed: 3, _ => 100, noise: 0.03);
        await t.SeedAsync(values, count: 40);

        for (var n = 40; n < values.Count; n++)
        {
            var outcome = await t.AnalyzeAsync(n, values[n]);

            Assert.Empty(outcome.Drift);
            Assert.Null(YardstickJson.Deserialize<RunSummary>((await t.Storage.Artifacts.GetAsync(t.Workload, outcome.RunId, "summary.json", CancellationToken.None))!).Verdict!.Drift);
            Assert.Null((await t.Storage.Runs.GetAsync(outcome.RunId, CancellationToken.None))!.Drift);
        }
    }

    private static List<double> Values(int count, int seed, Func<int, double> level, double noise)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(n =>
        {
            var gauss = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            return level(n) * (1 + (noise * gauss));
        }).ToList();
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private sealed class Setup
    {
        private Setup(YardstickStorage storage) => Storage = storage;

        public YardstickStorage Storage { get; }

        public string Workload { get; } = AzuriteFixture.UniqueName("drift");

        public List<string> RunIds { get; } = [];

        public YardstickHostOptions Options { get; } = new();

        public static async Task<Setup> StartAsync(AzuriteFixture azurite)
        {
            var storage = azurite.CreateIsolatedStorage();
            await storage.EnsureCreatedAsync(CancellationToken.None);
            return new Setup(storage);
        }

        /// <summary>The first <paramref name="count"/> nights as Runs rows only (history already analysed).</summary>
        public async Task SeedAsync(List<double> values, int count)
        {
            for (var n = 0; n < count; n++)
            {
                await Storage.Runs.UpsertAsync(Row(n, values[n]), CancellationToken.None);
            }
        }

        /// <summary>Night <paramref name="n"/> as persist leaves it (row, plan, summary), then analysed.</summary>
        public async Task<RunOutcome> AnalyzeAsync(int n, double p95)
        {
            var row = Row(n, p95);
            await Storage.Runs.UpsertAsync(row, CancellationToken.None);
            var stored = await TestRuns.StoreAsync(Storage.Artifacts, row.RunId, $"name: {Workload}\ntarget: {{ url: http://127.0.0.1:1/ }}\nload: {{ rate: 10/s, duration: 10s }}\n", Options);
            var summary = new RunSummary
            {
                RunId = row.RunId,
                Workload = Workload,
                Status = "completed",
                Requests = 1000,
                Successes = 1000,
                LatencyMs = new LatencySummary { P50 = p95 / 2, P90 = p95 * 0.9, P95 = p95, P99 = p95 * 1.2, Max = p95 * 2, Mean = p95 / 2 },
                SchedulingLagMs = new LagSummary(),
                ThroughputRps = 100,
                DurationSeconds = 10,
            };
            await Storage.Artifacts.PutAsync(Workload, row.RunId, "summary.json", YardstickJson.ToUtf8(summary), "application/json", CancellationToken.None);
            var activity = new AnalyzeRunActivity(Storage.Artifacts, Storage.Runs, Storage.Baselines, Storage.Verdicts, new PlanReader(Storage.Artifacts), Options, NullLogger<AnalyzeRunActivity>.Instance);
            return await activity.RunAsync(null!, new AnalyzeRequest
            {
                Plan = stored.Plan,
                Outcome = new RunOutcome { RunId = row.RunId, Workload = Workload, Status = RunStatus.Completed, Requests = 1000, P95Ms = p95 },
            });
        }

        private RunRecord Row(int n, double p95)
        {
            var at = Start.AddDays(n);
            var runId = Core.Runs.RunIds.Create(at, new Guid(n + 1, 0, 0, new byte[8]));
            if (!RunIds.Contains(runId))
            {
                RunIds.Add(runId);
            }

            return new RunRecord
            {
                RunId = runId,
                Workload = Workload,
                Status = RunStatus.Completed,
                CreatedAt = at,
                Requests = 1000,
                ThroughputRps = 100,
                P95Ms = p95,
                Verdict = "no-baseline",
                BlobPrefix = $"{Workload}/{runId}/",
            };
        }
    }
}
