using System.Diagnostics;
using Yardstick.Core.ColdStart;
using Yardstick.Core.Load.Transports;
using static Yardstick.Core.Tests.ColdStart.ProbeData;

namespace Yardstick.Core.Tests.ColdStart;

public sealed class ColdStartStatisticsTests
{
    [Fact]
    public void Summarize_ColdAndWarmProbes_QuantilesPenaltyAndCounts()
    {
        // Cold figures 900, 1000, 1200, 3000 (+ one excluded warm mismatch of 15 ms); warm requests 10..50 ms.
        // Reference (Hyndman–Fan type 7, R's default quantile): p50 = (1000 + 1200) / 2 = 1100;
        // p90: h = 0.9 × 3 = 2.7 → 1200 + 0.7 × (3000 − 1200) = 2460; warm p50 = 30. Exact arithmetic, tolerance 1e-9.
        var probes = ColdStartClassifier.Classify(
        [
            Probe(0, "a", 1000, 10, 20),
            Probe(1, "b", 900, 30),
            Probe(2, "b", 15, 40),
            Probe(3, "c", 3000, 50),
            Probe(4, "d", 1200),
        ]);

        var summary = ColdStartStatistics.Summarize("process", probes, ["extra note"]);

        Assert.Equal(4, summary.Cold);
        Assert.Equal(1, summary.Warm);
        Assert.Equal(0, summary.Unknown);
        Assert.Equal(1, summary.Excluded);
        Assert.Equal(1100, summary.ColdP50Ms!.Value, 9);
        Assert.Equal(2460, summary.ColdP90Ms!.Value, 9);
        Assert.Equal(3000, summary.ColdMaxMs!.Value, 9);
        Assert.Equal(30, summary.WarmP50Ms!.Value, 9);
        Assert.Equal(1070, summary.PenaltyMs!.Value, 9);
        Assert.Equal(5, summary.Probes.Count);
        Assert.True(summary.Probes[2].Excluded);
        Assert.Contains("extra note", summary.Notes);
        Assert.Contains(summary.Notes, n => n.Contains("1 of 5 probe(s) excluded", StringComparison.Ordinal));
    }

    [Fact]
    public void Summarize_NoTimeToFirstSuccess_UsesTheFirstRequestsTotal()
    {
        var probe = Probe(0, "a", 0, 4) with { TimeToFirstSuccessMs = null };

        var summary = ColdStartStatistics.Summarize("idle", ColdStartClassifier.Classify([probe]));

        Assert.Equal(12, summary.ColdP50Ms);
    }

    [Fact]
    public void ProbeExchangeFrom_Timestamps_BreakdownInMilliseconds()
    {
        var f = Stopwatch.Frequency;
        const long start = 1_000_000;
        var result = new ExchangeResult
        {
            Outcome = ExchangeOutcome.Response,
            StatusCode = 200,
            StartTimestamp = start,
            ConnectedTimestamp = start + (f * 2 / 1000),
            TlsTimestamp = start + (f * 7 / 1000),
            FirstByteTimestamp = start + (f * 30 / 1000),
            EndTimestamp = start + (f * 31 / 1000),
            InstanceId = "i-1",
            ServerDurationMs = 21.5,
        };

        var exchange = ProbeExchange.From(result, T0);

        Assert.Equal(2, exchange.ConnectMs!.Value, 6);
        Assert.Equal(5, exchange.TlsMs!.Value, 6);
        Assert.Equal(30, exchange.FirstByteMs!.Value, 6);
        Assert.Equal(31, exchange.TotalMs, 6);
        Assert.Equal(21.5, exchange.ServerMs);
        Assert.Equal("i-1", exchange.InstanceId);
    }

    [Fact]
    public void ProbeExchangeFrom_ReusedPlainConnection_NoConnectOrTls()
    {
        var result = new ExchangeResult { Outcome = ExchangeOutcome.Response, StatusCode = 200, StartTimestamp = 10, FirstByteTimestamp = 20, EndTimestamp = 30 };

        var exchange = ProbeExchange.From(result, T0);

        Assert.Null(exchange.ConnectMs);
        Assert.Null(exchange.TlsMs);
    }
}
