using Yardstick.Core.Measurements;
using Yardstick.Core.Summaries;
using Yardstick.Core.Verdicts;

namespace Yardstick.Core.Tests.Verdicts;

/// <summary>Stored run → the verdict engine's units of replication.</summary>
public sealed class RunMetricsFactoryTests
{
    [Fact]
    public void FromRun_OneRound_TheWholeRunWithItsWindows()
    {
        var summary = Summary(rounds: [Round(0, 100, 2, 10)]) with
        {
            ColdStart = new ColdStartSummary { Strategy = "process", ColdP50Ms = 850 },
            Cost = new CostSummary { Plan = "flex", Region = "eastus", Source = "modeled", PerRequestUsd = 2e-7 },
        };
        var timeline = new[] { Window(1, 40, errors: 1), Window(2, 60, errors: 1) };

        var sample = Assert.Single(RunMetricsFactory.FromRun(summary, timeline));

        Assert.Equal(summary.RunId, sample.RunId);
        Assert.Equal(2, sample.Windows.Count);
        Assert.Equal(12.0, sample.Value(MetricKeys.P50));
        Assert.Equal(30.0, sample.Value(MetricKeys.P99));
        Assert.Equal(0.02, sample.Value(MetricKeys.ErrorRate));
        Assert.Equal(50.0, sample.Value(MetricKeys.Throughput));
        Assert.Equal(850.0, sample.Value(MetricKeys.ColdStartP50));
        Assert.Equal(2e-7, sample.Value(MetricKeys.CostPerRequest));
        Assert.Equal((100L, 2L), sample.Counts()); // summed over the windows
    }

    [Fact]
    public void FromRun_ThreeRounds_OneRunLevelSamplePerRound_RunOnlyMetricsOnTheFirst()
    {
        var summary = Summary(rounds: [Round(0, 100, 1, 10), Round(1, 110, 0, 11), Round(2, 90, 3, 9)]) with
        {
            ColdStart = new ColdStartSummary { Strategy = "process", ColdP50Ms = 850 },
        };

        var samples = RunMetricsFactory.FromRun(summary, [Window(1, 300)]);

        Assert.Equal([summary.RunId + "/r0", summary.RunId + "/r1", summary.RunId + "/r2"], samples.Select(s => s.RunId));
        Assert.All(samples, s => Assert.Empty(s.Windows));
        Assert.Equal([10.0, 11.0, 9.0], samples.Select(s => s.Value(MetricKeys.P50)!.Value));
        Assert.Equal([(100L, 1L), (110L, 0L), (90L, 3L)], samples.Select(s => s.Counts()!.Value));
        Assert.Equal(850.0, samples[0].Value(MetricKeys.ColdStartP50));
        Assert.Null(samples[1].Value(MetricKeys.ColdStartP50));
    }

    [Fact]
    public void Pairs_ReferenceAndCandidateRoundsByRound_ALostRoundLeavesItsPairOut_RunOnlyMetricsOnNeither()
    {
        var summary = Summary(rounds:
        [
            Round(0, 100, 0, 10), Round(0, 100, 0, 20) with { Variant = "reference" },
            Round(1, 100, 1, 11), Round(1, 0, 0, 0) with { Variant = "reference" }, // the reference lost round 1
            Round(2, 100, 0, 12), Round(2, 100, 2, 22) with { Variant = "reference" },
        ]) with
        {
            ColdStart = new ColdStartSummary { Strategy = "process", ColdP50Ms = 850 },
        };

        var pairs = RunMetricsFactory.Pairs(summary, "reference");

        Assert.Equal([(20.0, 10.0), (22.0, 12.0)], pairs.Select(p => (p.Reference.Value(MetricKeys.P50)!.Value, p.Candidate.Value(MetricKeys.P50)!.Value)));
        Assert.Equal([summary.RunId + "/r0/reference", summary.RunId + "/r2/reference"], pairs.Select(p => p.Reference.RunId));
        Assert.Equal(0.02, pairs[1].Reference.Value(MetricKeys.ErrorRate));
        Assert.All(pairs, p => Assert.Null(p.Candidate.Value(MetricKeys.ColdStartP50)));
        Assert.Empty(RunMetricsFactory.Pairs(Summary(rounds: [Round(0, 100, 0, 10), Round(1, 100, 0, 10)]), "reference"));
    }

    [Fact]
    public void FromRun_NothingMeasured_NoLatencyOrRates()
    {
        var summary = Summary(rounds: []) with { Requests = 0, Errors = 0, LatencyMs = new LatencySummary() };

        var sample = Assert.Single(RunMetricsFactory.FromRun(summary, []));

        Assert.Null(sample.Value(MetricKeys.P50));
        Assert.Null(sample.Value(MetricKeys.ErrorRate));
        Assert.Null(sample.Counts());
    }

    [Fact]
    public void FromRun_SweepRounds_OnlyTheRequestedVariant()
    {
        var summary = Summary(rounds: [Round(0, 100, 0, 10) with { Variant = "512" }, Round(0, 100, 0, 20) with { Variant = "1024" }, Round(1, 100, 0, 12) with { Variant = "512" }]);

        var samples = RunMetricsFactory.FromRun(summary, [], variant: "512");

        Assert.Equal([10.0, 12.0], samples.Select(s => s.Value(MetricKeys.P50)!.Value));
    }

    private static RunSummary Summary(IReadOnlyList<RoundSummary> rounds) => new()
    {
        RunId = "20261129-081502-3fa9c1",
        Workload = "w",
        Status = "completed",
        Requests = 100,
        Errors = 2,
        ThroughputRps = 50,
        LatencyMs = new LatencySummary { P50 = 12, P90 = 20, P95 = 25, P99 = 30, Max = 40, Mean = 13 },
        SchedulingLagMs = new LagSummary(),
        Rounds = rounds,
    };

    private static RoundSummary Round(int round, long requests, long errors, double p50) => new()
    {
        Round = round,
        Requests = requests,
        Errors = errors,
        ThroughputRps = requests,
        LatencyMs = new LatencySummary { P50 = p50, P90 = p50 * 2, P95 = p50 * 2.5, P99 = p50 * 3, Max = p50 * 4 },
    };

    private static TimelineWindow Window(long second, long requests, long errors = 0)
    {
        var histogram = LatencyHistograms.CreateWindow();
        histogram.RecordValueWithCount(12_000, requests);
        return new TimelineWindow { UnixSecond = second, Requests = requests, Errors = errors, Histogram = HistogramCodec.Encode(histogram) };
    }
}
