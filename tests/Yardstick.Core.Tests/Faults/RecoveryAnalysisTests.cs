using Yardstick.Core.Faults;
using Yardstick.Core.Measurements;

namespace Yardstick.Core.Tests.Faults;

/// <summary>
/// <see cref="RecoveryAnalysis"/> on synthetic per-second windows. Reference values are worked out by hand from the
/// documented rule (band top = median + max(3 × 1.4826 × MAD, 25 % of the median); recovered at the first second
/// starting 3 in-band seconds in a row); exact, since the inputs are exact.
/// </summary>
public sealed class RecoveryAnalysisTests
{
    private const long T0 = 1_800_000_000;
    private static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeSeconds(T0);

    /// <summary>Windows from T0 on, one per p99 (ms); errors per second optional.</summary>
    private static List<TimelineWindow> Windows(double[] p99s, long[]? errors = null) =>
        p99s.Select((p, i) => new TimelineWindow { UnixSecond = T0 + i, Requests = 100, Errors = errors?[i] ?? 0, LatencyP99Ms = p }).ToList();

    private static AppliedFault Fault(double atSeconds, int index = 0, double? ttfsMs = 120, string kind = "stall") => new()
    {
        Index = index,
        Kind = kind,
        Description = kind,
        PlannedAt = TimeSpan.FromSeconds(Math.Floor(atSeconds)),
        For = TimeSpan.FromSeconds(3),
        AppliedAt = Start.AddSeconds(atSeconds),
        TimeToFirstSuccessMs = ttfsMs,
    };

    [Fact]
    public void Band_FromThePreFaultSeconds_IsMedianPlusThreeRobustSigmas()
    {
        // p99s 40, 50, 60, 40, 50 → median 50, |d| = 10, 0, 10, 10, 0 → MAD 10 → 50 + 3 × 1.4826 × 10 = 94.478
        // (> 25 % of 50 and > 5 ms).
        var band = RecoveryAnalysis.Band(Windows([40, 50, 60, 40, 50, 500]), T0, T0 + 5.5)!;

        Assert.Equal(5, band.Seconds);
        Assert.Equal(50, band.MedianP99Ms);
        Assert.Equal(10, band.MadP99Ms);
        Assert.Equal(94.478, band.UpperP99Ms, 6);
        Assert.Equal(0, band.MaxErrorRate);
    }

    [Fact]
    public void Band_OneSlowPreFaultSecond_DoesNotWidenIt()
    {
        // A 1 s JIT second among 100 ms ones: median 100, MAD 0 → the least relative width, 25 % → 125.
        var band = RecoveryAnalysis.Band(Windows([1000, 100, 100, 100, 100]), T0, T0 + 5)!;

        Assert.Equal(125, band.UpperP99Ms, 9);
    }

    [Fact]
    public void Band_FastTarget_IsAtLeastFiveMillisecondsWide()
    {
        // A 6 ms target: 25 % would be 1.5 ms, within a loaded generator's per-second p99 jitter; the floor is 5 ms.
        var band = RecoveryAnalysis.Band(Windows([6, 6.4, 6.2, 6, 6.4]), T0, T0 + 5)!;

        Assert.Equal(6.2 + RecoveryAnalysis.MinBandWidthMs, band.UpperP99Ms, 9);
    }

    [Fact]
    public void Band_FewerThanThreeSecondsBeforeTheFault_IsNull() =>
        Assert.Null(RecoveryAnalysis.Band(Windows([10, 10, 10, 10]), T0, T0 + 2.5));

    [Fact]
    public void Analyze_StallThenBackInBand_RecoversAtTheFirstOfThreeInBandSeconds()
    {
        // Fault at 5.4 s: band from seconds 0–4 (median 10, MAD 0, top 12.5); seconds 6–8 stalled (300 ms),
        // 9 on back at 10–11 ms → recovered at 9 → 9 − 5.4 = 3.6 s.
        var timeline = Windows([10, 11, 10, 12, 10, 10, 300, 310, 305, 10, 11, 10, 10, 10]);

        var result = Assert.Single(RecoveryAnalysis.Analyze(timeline, Start, [Fault(5.4)]));

        Assert.Equal(3.6, result.TimeToRecoverSeconds!.Value, 6);
        Assert.Equal(5.4, result.AppliedOffsetSeconds!.Value, 6);
        Assert.Equal(0.12, result.TimeToFirstSuccessSeconds!.Value, 6);
        Assert.Equal(310, result.PeakP99Ms);
        Assert.Equal(400, result.RequestsDuring);
        Assert.Null(result.NotRecoveredReason);
        Assert.Equal(5, result.Band!.Seconds);
    }

    [Fact]
    public void Analyze_OneInBandSecondInsideTheDisruption_DoesNotCountAsRecovered()
    {
        // Second 8 dips into the band but 9 is out again: recovery needs three in a row, found from 10.
        var timeline = Windows([10, 10, 10, 10, 10, 10, 300, 300, 10, 300, 10, 10, 10, 10]);

        var result = Assert.Single(RecoveryAnalysis.Analyze(timeline, Start, [Fault(5.5)]));

        Assert.Equal(4.5, result.TimeToRecoverSeconds!.Value, 6);
    }

    [Fact]
    public void Analyze_ErrorsWithoutSlowness_AreOutOfBandUntilTheyStop()
    {
        // A fail fault: p99 unchanged, 50 errors per second in 6–7; the band allows the pre-fault error rate (0).
        var timeline = Windows([10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10], [0, 0, 0, 0, 0, 0, 50, 50, 0, 0, 0, 0]);

        var result = Assert.Single(RecoveryAnalysis.Analyze(timeline, Start, [Fault(5.9)]));

        Assert.Equal(8 - 5.9, result.TimeToRecoverSeconds!.Value, 6);
        Assert.Equal(100, result.ErrorsDuring);
    }

    [Fact]
    public void Analyze_NeverBackInBand_IsAResultWithAReason()
    {
        var timeline = Windows([10, 10, 10, 10, 10, 10, 300, 300, 300, 300, 10, 10]);

        var result = Assert.Single(RecoveryAnalysis.Analyze(timeline, Start, [Fault(5.2)]));

        Assert.Null(result.TimeToRecoverSeconds);
        Assert.StartsWith("did not recover within the run", result.NotRecoveredReason, StringComparison.Ordinal);
        Assert.Equal(double.PositiveInfinity, RecoveryAnalysis.RecoveryTimeMs([result]));
    }

    [Fact]
    public void Analyze_AnEmptySecond_IsNotInBand()
    {
        // A restart: seconds 6 and 7 have no exchanges at all; recovered from 8.
        var timeline = Windows([10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10]);
        timeline.RemoveAll(w => w.UnixSecond is T0 + 6 or T0 + 7);

        var result = Assert.Single(RecoveryAnalysis.Analyze(timeline, Start, [Fault(5.5, kind: "restart")]));

        Assert.Equal(2.5, result.TimeToRecoverSeconds!.Value, 6);
    }

    [Fact]
    public void Analyze_TwoFaults_TheFirstIsSearchedOnlyUntilTheSecondAndBothUseTheFirstBand()
    {
        // Fault 0 at 5.5 never recovers before fault 1 at 9.2; fault 1 recovers at 12 (10–11 out of band).
        var timeline = Windows([10, 10, 10, 10, 10, 10, 300, 300, 300, 300, 300, 300, 10, 10, 10, 10]);

        var results = RecoveryAnalysis.Analyze(timeline, Start, [Fault(5.5, 0), Fault(9.2, 1)]);

        Assert.StartsWith("did not recover before faults[1]", results[0].NotRecoveredReason, StringComparison.Ordinal);
        Assert.Equal(12 - 9.2, results[1].TimeToRecoverSeconds!.Value, 6);
        Assert.Same(results[0].Band, results[1].Band);
    }

    [Fact]
    public void Analyze_NotApplied_ReportsTheFailureAndNoRecovery()
    {
        var failed = new AppliedFault { Index = 0, Kind = "stall", Description = "stall", PlannedAt = TimeSpan.FromSeconds(5), Failure = "POST /admin/stall answered 404" };

        var result = Assert.Single(RecoveryAnalysis.Analyze(Windows([10, 10, 10, 10, 10, 10]), Start, [failed]));

        Assert.Null(result.AppliedOffsetSeconds);
        Assert.Contains("404", result.NotRecoveredReason, StringComparison.Ordinal);
        Assert.Null(RecoveryAnalysis.RecoveryTimeMs([result]));
    }

    [Fact]
    public void RecoveryTimeMs_IsTheSlowestRecovery()
    {
        // Fault 0 at 5.5: 6 out, 7–9 in → 1.5 s (searched up to second 10, where fault 1 starts); fault 1 at 10.5: 11–12
        // out, 13–15 in → 2.5 s.
        var timeline = Windows([10, 10, 10, 10, 10, 10, 300, 10, 10, 10, 300, 300, 300, 10, 10, 10]);

        var results = RecoveryAnalysis.Analyze(timeline, Start, [Fault(5.5, 0), Fault(10.5, 1)]);

        Assert.Equal(1.5, results[0].TimeToRecoverSeconds!.Value, 6);
        Assert.Equal(2.5, results[1].TimeToRecoverSeconds!.Value, 6);
        Assert.Equal(2_500, RecoveryAnalysis.RecoveryTimeMs(results)!.Value, 6);
    }
}
