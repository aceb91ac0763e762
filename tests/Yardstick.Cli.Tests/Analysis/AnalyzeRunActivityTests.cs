using Microsoft.DurableTask;
using Microsoft.Extensions.Logging.Abstractions;
using Yardstick.Core;
using Yardstick.Core.Measurements;
using Yardstick.Core.Ports;
using Yardstick.Core.Summaries;
using Yardstick.Reports;
using Yardstick.Core.Runs;
using Yardstick.Core.Verdicts;
using Yardstick.Orchestration.Activities;
using Yardstick.Orchestration.Analysis;
using Yardstick.Orchestration.Contracts;
using Yardstick.Orchestration.Hosting;
using Yardstick.Storage;
using Yardstick.Testing;

namespace Yardstick.Cli.Tests.Analysis;

/// <summary>
/// <see cref="AnalyzeRunActivity"/> on the real Table and Blob stores (Azurite, own tables per test class) with runs stored
/// the way the persist step stores them (<see cref="StoredRunFactory"/>: seeded latencies, so verdicts are reproducible).
/// </summary>
public sealed class AnalyzeRunActivityTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 29, 8, 0, 0, TimeSpan.Zero);
    private readonly YardstickStorage _storage = azurite.CreateIsolatedStorage();

    [Fact]
    public async Task RunAsync_NoBaseline_VerdictNoBaselineAndThresholdsAloneDecide()
    {
        var name = AzuriteFixture.UniqueName("an-nobase");
        var (plan, summary) = await Store(new SyntheticRun
        {
            Workload = name,
            RunId = Id(0),
            MedianMs = 10,
            ErrorEvery = 100,
            WorkloadExtra = "thresholds: [\"p(95) < 5ms\", \"errorRate < 5%\", \"p(99.9) < 1s\"]",
        });

        var outcome = await Activity().RunAsync(new TestActivityContext(), StoredRunFactory.Request(plan, summary));

        Assert.Equal("no-baseline", outcome.Verdict);
        Assert.Equal(["p(95) < 5ms"], outcome.FailedThresholds);
        var stored = await ReadSummary(name, summary.RunId);
        var verdict = stored.Verdict!;
        Assert.Equal("no-baseline", verdict.Overall);
        Assert.Empty(verdict.BaselineRunIds);
        Assert.All(verdict.Metrics, m => Assert.Equal("no-baseline", m.Kind));
        Assert.Equal(["p50", "p95", "p99", "errorRate"], verdict.Metrics.Select(m => m.Metric));
        Assert.Contains("No baseline has been promoted", verdict.Explanation, StringComparison.Ordinal);
        Assert.False(verdict.ThresholdsPassed);
        var p95 = Assert.Single(verdict.Thresholds, t => t.Threshold == "p(95) < 5ms");
        Assert.Equal(summary.LatencyMs.P95, p95.Actual!.Value, 6);
        Assert.Equal(0.01, Assert.Single(verdict.Thresholds, t => t.Metric == "errorRate").Actual!.Value, 9);
        Assert.True(Assert.Single(verdict.Thresholds, t => t.Metric == "p99.9").Passed);

        var rows = await _storage.Verdicts.ListAsync(summary.RunId, CancellationToken.None);
        Assert.Equal(7, rows.Count);
        Assert.Equal("fail", Assert.Single(rows, r => r.Metric == "p(95) < 5ms").Kind);
        Assert.Equal("no-baseline", Assert.Single(rows, r => r.Metric == "p50").Kind);
        Assert.Equal("no-baseline", (await _storage.Runs.GetAsync(summary.RunId, CancellationToken.None))!.Verdict);
        foreach (var report in new[] { "report.html", "report.md", "junit.xml" })
        {
            Assert.NotNull(await _storage.Artifacts.GetAsync(name, summary.RunId, report, CancellationToken.None));
        }
    }

    [Fact]
    public async Task RunAsync_CurrentBaselineSingleRuns_ComparesPerSecondWindowsFromTheStoredTimeline()
    {
        var name = AzuriteFixture.UniqueName("an-windows");
        var (_, baseline) = await Store(new SyntheticRun { Workload = name, RunId = Id(0), MedianMs = 10, Seed = 1 });
        await _storage.Baselines.PromoteAsync(new BaselineKey(name, "default"), [baseline.RunId], "test", null, null, CancellationToken.None);
        var (plan, candidate) = await Store(new SyntheticRun { Workload = name, RunId = Id(1), MedianMs = 20, Seed = 2 });

        var outcome = await Activity().RunAsync(new TestActivityContext(), StoredRunFactory.Request(plan, candidate));

        Assert.Equal("regression", outcome.Verdict);
        var verdict = (await ReadSummary(name, candidate.RunId)).Verdict!;
        Assert.Equal([baseline.RunId], verdict.BaselineRunIds);
        var p50 = Assert.Single(verdict.Metrics, m => m.Metric == "p50");
        Assert.Equal("regression", p50.Kind);
        Assert.Equal("window-block-bootstrap", p50.Method);

        // The run-level values are the stored summary's (what users see), the interval comes from the windows.
        Assert.Equal(baseline.LatencyMs.P50, p50.Baseline!.Value, 9);
        Assert.Equal(candidate.LatencyMs.P50, p50.Candidate!.Value, 9);
        Assert.InRange(p50.Ratio!.Value, 1.9, 2.1);
        Assert.True(p50.CiLow > 1.5 && p50.CiHigh < 2.7, $"{p50.CiLow}…{p50.CiHigh}");
        Assert.Equal("newcombe-windows", Assert.Single(verdict.Metrics, m => m.Metric == "errorRate").Method);
        Assert.DoesNotContain("other settings", verdict.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_BaselineOfAnotherLoadShape_ComparedButTheExplanationSaysSo()
    {
        var name = AzuriteFixture.UniqueName("an-shape");
        var (basePlan, baseline) = await Store(new SyntheticRun { Workload = name, RunId = Id(0), Rate = "40/s", Seed = 11 });
        await _storage.Baselines.PromoteAsync(new BaselineKey(name, "default"), [baseline.RunId], "test", null, null, CancellationToken.None);
        var (plan, candidate) = await Store(new SyntheticRun { Workload = name, RunId = Id(1), Seed = 12 });

        await Activity().RunAsync(new TestActivityContext(), StoredRunFactory.Request(plan, candidate));

        var verdict = (await ReadSummary(name, candidate.RunId)).Verdict!;
        Assert.Equal([baseline.RunId], verdict.BaselineRunIds);
        Assert.Contains($"measured with other settings (hash {basePlan.SettingsHash}, this run {plan.SettingsHash})", verdict.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_RepeatedRounds_EachRoundIsOneRunLevelSample()
    {
        var name = AzuriteFixture.UniqueName("an-rounds");
        const string extra = "compare: { repeat: 3 }";
        var (_, baseline) = await Store(new SyntheticRun { Workload = name, RunId = Id(0), MedianMs = 10, Seconds = 30, Rounds = 3, WorkloadExtra = extra, Seed = 3 });
        var (plan, candidate) = await Store(new SyntheticRun { Workload = name, RunId = Id(1), MedianMs = 10, Seconds = 30, Rounds = 3, WorkloadExtra = extra, Seed = 4 });

        var outcome = await Activity().RunAsync(new TestActivityContext(), StoredRunFactory.Request(plan, candidate, baseline: baseline.RunId));

        var verdict = (await ReadSummary(name, candidate.RunId)).Verdict!;
        Assert.Equal([baseline.RunId], verdict.BaselineRunIds);
        var p50 = Assert.Single(verdict.Metrics, m => m.Metric == "p50");
        Assert.Equal("run-level-student", p50.Method);

        // Reference: the geometric mean of the three rounds' p50 values as stored in summary.json.
        var expected = Math.Exp(baseline.Rounds.Average(r => Math.Log(r.LatencyMs.P50)));
        Assert.Equal(expected, p50.Baseline!.Value, 9);
        Assert.Equal("newcombe-runs", Assert.Single(verdict.Metrics, m => m.Metric == "errorRate").Method);
        Assert.NotEqual("regression", outcome.Verdict);
    }

    [Fact]
    public async Task RunAsync_RollingBaseline_TakesTheLastNAcceptedRunsOfTheSameShapeAndEnvironment()
    {
        var name = AzuriteFixture.UniqueName("an-rolling");
        const string rolling = "compare: { baseline: rolling(3) }";
        async Task<string> Add(int minute, RunStatus status = RunStatus.Completed, string? verdict = null, string rate = "50/s", string extra = rolling)
        {
            var (_, s) = await Store(new SyntheticRun { Workload = name, RunId = Id(minute), Status = status, Verdict = verdict, Rate = rate, WorkloadExtra = extra, Seed = minute, Seconds = 12 });
            return s.RunId;
        }

        var oldest = await Add(0, verdict: "equivalent");
        var accepted = await Add(1, verdict: "equivalent");
        _ = await Add(2, verdict: "regression");
        _ = await Add(3, status: RunStatus.Degraded);
        _ = await Add(4, status: RunStatus.Failed);
        _ = await Add(5, rate: "60/s");
        _ = await Add(6, extra: "compare: { baseline: rolling(3), environment: staging }");
        var promoted = await Add(7, verdict: "regression");
        await _storage.Baselines.PromoteAsync(new BaselineKey(name, "default"), [promoted], "test", "known slow, accepted", null, CancellationToken.None);
        var unanalysed = await Add(8);
        var (plan, candidate) = await Store(new SyntheticRun { Workload = name, RunId = Id(9), WorkloadExtra = rolling, Seed = 9, Seconds = 12 });
        _ = await Add(10, verdict: "equivalent");

        var resolver = new BaselineResolver(_storage.Baselines, _storage.Runs, _storage.Artifacts);
        var selection = await resolver.ResolveAsync(new BaselineKey(name, "default"), candidate.RunId, plan.SettingsHash, requested: null, "rolling(3)", CancellationToken.None);
        Assert.Equal([accepted, promoted, unanalysed], selection.RunIds);
        Assert.Equal("rolling(3)", selection.Source);
        Assert.Null(selection.Note);

        var wider = await resolver.ResolveAsync(new BaselineKey(name, "default"), candidate.RunId, plan.SettingsHash, requested: null, "rolling(9)", CancellationToken.None);
        Assert.Equal([oldest, accepted, promoted, unanalysed], wider.RunIds);
        Assert.Contains("Only 4 accepted runs", wider.Note, StringComparison.Ordinal);

        await Activity().RunAsync(new TestActivityContext(), StoredRunFactory.Request(plan, candidate));
        var verdict = (await ReadSummary(name, candidate.RunId)).Verdict!;
        Assert.Equal([accepted, promoted, unanalysed], verdict.BaselineRunIds);
        Assert.Equal("run-level-student", Assert.Single(verdict.Metrics, m => m.Metric == "p50").Method);
    }

    [Fact]
    public async Task RunAsync_Twice_SameVerdictRowsAndDocuments()
    {
        var name = AzuriteFixture.UniqueName("an-idem");
        var (_, baseline) = await Store(new SyntheticRun { Workload = name, RunId = Id(0), MedianMs = 10, Seed = 5, WorkloadExtra = "thresholds: [\"p(99) < 1s\"]" });
        await _storage.Baselines.PromoteAsync(new BaselineKey(name, "default"), [baseline.RunId], "test", null, null, CancellationToken.None);
        var (plan, candidate) = await Store(new SyntheticRun { Workload = name, RunId = Id(1), MedianMs = 10.5, Seed = 6, WorkloadExtra = "thresholds: [\"p(99) < 1s\"]" });
        var activity = Activity();
        var request = StoredRunFactory.Request(plan, candidate);

        var first = await activity.RunAsync(new TestActivityContext(), request);
        var summaryAfterFirst = await _storage.Artifacts.GetAsync(name, candidate.RunId, ReportFormats.SummaryBlobName, CancellationToken.None);
        var rowsAfterFirst = await _storage.Verdicts.ListAsync(candidate.RunId, CancellationToken.None);
        var second = await activity.RunAsync(new TestActivityContext(), request);

        Assert.Equal(first.Verdict, second.Verdict);
        Assert.Equal(first.FailedThresholds, second.FailedThresholds);
        Assert.Equal(summaryAfterFirst, await _storage.Artifacts.GetAsync(name, candidate.RunId, ReportFormats.SummaryBlobName, CancellationToken.None));
        var rowsAfterSecond = await _storage.Verdicts.ListAsync(candidate.RunId, CancellationToken.None);
        Assert.Equal(5, rowsAfterSecond.Count);
        Assert.Equal(rowsAfterFirst.Select(r => (r.Metric, r.Kind, r.CiLow, r.CiHigh)), rowsAfterSecond.Select(r => (r.Metric, r.Kind, r.CiLow, r.CiHigh)));
        Assert.Equal(first.Verdict, (await _storage.Runs.GetAsync(candidate.RunId, CancellationToken.None))!.Verdict);
    }

    [Fact]
    public async Task RunAsync_FailedRun_NoVerdictButReportsAreWritten()
    {
        var name = AzuriteFixture.UniqueName("an-failed");
        var (plan, summary) = await Store(new SyntheticRun { Workload = name, RunId = Id(0), Status = RunStatus.Failed, WorkloadExtra = "thresholds: [\"p(95) < 5ms\"]" });

        var outcome = await Activity().RunAsync(new TestActivityContext(), StoredRunFactory.Request(plan, summary));

        Assert.Null(outcome.Verdict);
        Assert.Empty(outcome.FailedThresholds);
        Assert.Null((await ReadSummary(name, summary.RunId)).Verdict);
        Assert.Empty(await _storage.Verdicts.ListAsync(summary.RunId, CancellationToken.None));
        var md = System.Text.Encoding.UTF8.GetString((await _storage.Artifacts.GetAsync(name, summary.RunId, "report.md", CancellationToken.None))!);
        Assert.Contains("no measured shard ran", md, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_StoredCalibrationOfTheSameShape_IsUsedAsNoisePrior()
    {
        var name = AzuriteFixture.UniqueName("an-calib");
        var (_, baseline) = await Store(new SyntheticRun { Workload = name, RunId = Id(0), MedianMs = 10, Seed = 7 });
        var (plan, candidate) = await Store(new SyntheticRun { Workload = name, RunId = Id(1), MedianMs = 10, Seed = 8 });
        var calibration = NoiseCalibration.Estimate(
            [
                Values("a", 10.0), Values("b", 10.2), Values("c", 9.9), Values("d", 10.1), Values("e", 9.8),
            ],
            VerdictPolicy.Default);
        await new CalibrationStore(_storage.Artifacts).SaveAsync(
            new StoredCalibration { Workload = name, SettingsHash = plan.SettingsHash, CreatedAt = T0, Result = calibration },
            CancellationToken.None);

        await Activity().RunAsync(new TestActivityContext(), StoredRunFactory.Request(plan, candidate, baseline: baseline.RunId));

        var verdict = (await ReadSummary(name, candidate.RunId)).Verdict!;
        Assert.Contains("Noise priors from the calibration of 2026-11-29 (5 A/A runs)", verdict.Explanation, StringComparison.Ordinal);
        Assert.NotNull(await new CalibrationStore(_storage.Artifacts).LatestAsync(name, CancellationToken.None));
        Assert.Null(await new CalibrationStore(_storage.Artifacts).FindAsync(name, "0000000000000000", null, CancellationToken.None));
    }

    private static RunMetrics Values(string id, double p50) =>
        new(id, new Dictionary<string, double> { [MetricKeys.P50] = p50, [MetricKeys.P95] = p50 * 2, [MetricKeys.P99] = p50 * 3 }, []);

    private static string Id(int minute) => RunIds.Create(T0.AddMinutes(minute), Guid.NewGuid());

    private Task<(StoredPlan Plan, RunSummary Summary)> Store(SyntheticRun run) =>
        StoredRunFactory.WriteAsync(_storage.Artifacts, _storage.Runs, run);

    private async Task<RunSummary> ReadSummary(string workload, string runId) =>
        YardstickJson.Deserialize<RunSummary>((await _storage.Artifacts.GetAsync(workload, runId, ReportFormats.SummaryBlobName, CancellationToken.None))!);

    private AnalyzeRunActivity Activity() => new(
        _storage.Artifacts,
        _storage.Runs,
        _storage.Baselines,
        _storage.Verdicts,
        new PlanReader(_storage.Artifacts),
        new YardstickHostOptions(),
        NullLogger<AnalyzeRunActivity>.Instance);
}

/// <summary>The activity context a host would pass (name and instance id only).</summary>
internal sealed class TestActivityContext : TaskActivityContext
{
    public override TaskName Name => new(nameof(AnalyzeRunActivity));

    public override string InstanceId => "test";
}
