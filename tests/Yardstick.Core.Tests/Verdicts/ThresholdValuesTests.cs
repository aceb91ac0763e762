using Yardstick.Core.Measurements;
using Yardstick.Core.Summaries;
using Yardstick.Core.Verdicts;

namespace Yardstick.Core.Tests.Verdicts;

/// <summary>The values thresholds are checked against.</summary>
public sealed class ThresholdValuesTests
{
    [Fact]
    public void From_HistogramStored_PercentilesMinMaxMeanFromIt_RatesFromTheSummary()
    {
        // 1,000 requests: 1 ms × 900, 10 ms × 90, 100 ms × 10 (values exact in a 3-digit HdrHistogram).
        var histogram = LatencyHistograms.Create();
        histogram.RecordValueWithCount(1_000, 900);
        histogram.RecordValueWithCount(10_000, 90);
        histogram.RecordValueWithCount(100_000, 10);
        var thresholds = new[] { ThresholdParser.Parse("p(99.5) < 1s"), ThresholdParser.Parse("p(95) < 1s") };

        var values = ThresholdValues.From(thresholds, Summary(), histogram);

        Assert.Equal(1.0, values["p50"], 2);
        Assert.Equal(10.0, values["p95"], 1);
        Assert.Equal(100.0, values["p99.5"], 0);
        Assert.Equal(1.0, values["min"], 2);
        Assert.Equal(100.0, values["max"], 0);
        Assert.Equal((900 * 1.0 + 90 * 10 + 10 * 100) / 1000.0, values["mean"], 1);
        Assert.Equal(0.005, values["errorRate"], 12);
        Assert.Equal(250.0, values["rps"]);
        Assert.Equal(3.0, values["droppedArrivals"]);
        Assert.Equal(900.0, values["coldStartP50"]);
        Assert.False(values.ContainsKey("costPerRequest"));
    }

    [Fact]
    public void From_NoHistogram_SummaryPercentiles_UnknownPercentileNotMeasured()
    {
        var thresholds = new[] { ThresholdParser.Parse("p(99.9) < 1s") };

        var values = ThresholdValues.From(thresholds, Summary(), latency: null);
        var results = ThresholdEvaluator.Evaluate(thresholds, values);

        Assert.Equal(12.0, values["p95"]);
        Assert.False(values.ContainsKey("p99.9"));
        Assert.False(results[0].Passed);
        Assert.Contains("not measured", results[0].Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void From_NothingMeasured_OnlyCountsRemain()
    {
        var values = ThresholdValues.From([], Summary() with { Requests = 0, Errors = 0, LatencyMs = new LatencySummary() }, LatencyHistograms.Create());

        Assert.False(values.ContainsKey("p95"));
        Assert.False(values.ContainsKey("errorRate"));
        Assert.Equal(3.0, values["droppedArrivals"]);
    }

    [Fact]
    public void From_FaultRun_RecoveryTimeIsTheSlowestRecovery_AndANonRecoveryFailsSayingSo()
    {
        var threshold = ThresholdParser.Parse("recoveryTime < 5s");
        var band = new Core.Faults.PreFaultBand(5, 10, 0, 12, 0);
        Core.Faults.FaultRecovery Fault(double? recover) => new() { Kind = "stall", Description = "stall", AppliedOffsetSeconds = 5, Band = band, TimeToRecoverSeconds = recover };

        var recovered = ThresholdValues.From([threshold], Summary() with { Faults = [Fault(1.5), Fault(3.25)] }, latency: null);
        var stuck = ThresholdEvaluator.Evaluate([threshold], ThresholdValues.From([threshold], Summary() with { Faults = [Fault(1.5), Fault(null)] }, latency: null));

        Assert.Equal(3_250, recovered["recoveryTime"]);
        Assert.True(ThresholdEvaluator.Evaluate([threshold], recovered)[0].Passed);
        Assert.False(stuck[0].Passed);
        Assert.Contains("did not recover within the run", stuck[0].Explanation, StringComparison.Ordinal);
        Assert.False(ThresholdValues.From([threshold], Summary(), latency: null).ContainsKey("recoveryTime"));
    }

    private static RunSummary Summary() => new()
    {
        RunId = "20261129-081502-3fa9c1",
        Workload = "w",
        Status = "completed",
        Requests = 1000,
        Errors = 5,
        ThroughputRps = 250,
        DroppedArrivals = 3,
        LatencyMs = new LatencySummary { P50 = 1, P90 = 9, P95 = 12, P99 = 90, Max = 100, Mean = 2.8 },
        SchedulingLagMs = new LagSummary(),
        ColdStart = new ColdStartSummary { Strategy = "process", ColdP50Ms = 900 },
    };
}
