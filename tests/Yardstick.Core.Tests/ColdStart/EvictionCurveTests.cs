using Yardstick.Core.ColdStart;
using Yardstick.Core.Summaries;
using static Yardstick.Core.Tests.ColdStart.ProbeData;

namespace Yardstick.Core.Tests.ColdStart;

/// <summary>The idle strategy's eviction curve: warm probes are results, not mismatches; the cold share per idle time with its Wilson interval.</summary>
public sealed class EvictionCurveTests
{
    // Idle times cycle 1 s, 60 s: the target primed on instance a keeps it for 1 s, loses it within 60 s.
    private static readonly ColdStartProbe[] Probes =
    [
        Probe(0, "a", 10, 5) with { IdleSeconds = 1 },
        Probe(1, "b", 1000, 6) with { IdleSeconds = 60 },
        Probe(2, "b", 12, 7) with { IdleSeconds = 1 },
        Probe(3, "c", 1400, 8) with { IdleSeconds = 60 },
        Probe(4, "c", 14, 9) with { IdleSeconds = 1 },
        Probe(5, "d", 1200, 10) with { IdleSeconds = 60 },
        new ColdStartProbe { Index = 6, ForcedAt = T0.AddMinutes(6), Failure = "no successful response within 120s", IdleSeconds = 60 },
    ];

    [Fact]
    public void Classify_Idle_AWarmProbeIsAResultNotAMismatch()
    {
        var classified = ColdStartClassifier.Classify(Probes, idle: true, primedInstance: "a");

        Assert.Equal(["warm", "cold", "warm", "cold", "warm", "cold", "unknown"], classified.Select(c => c.Classification));
        Assert.False(classified[0].Excluded);
        Assert.Equal("instance a already served the priming request: still warm after the idle time", classified[0].Note);
        Assert.Equal("instance b already served probe 2: still warm after the idle time", classified[2].Note);
        Assert.True(classified[6].Excluded);
    }

    [Fact]
    public void Classify_ForcedStrategies_StillExcludeAProbeOnASeenInstance()
    {
        var classified = ColdStartClassifier.Classify(Probes, primedInstance: "a");

        Assert.Equal("warm", classified[0].Classification);
        Assert.True(classified[0].Excluded);
        Assert.Contains("the forced cold start did not give a new instance", classified[0].Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Summarize_Idle_CurvePerIdleTimeWithWilsonIntervals()
    {
        var summary = ColdStartStatistics.Summarize("idle", ColdStartClassifier.Classify(Probes, idle: true, primedInstance: "a"));

        Assert.Equal((3, 3, 1, 1), (summary.Cold, summary.Warm, summary.Unknown, summary.Excluded));
        var curve = Assert.IsAssignableFrom<IReadOnlyList<EvictionPoint>>(summary.Curve);
        Assert.Equal([1.0, 60.0], curve.Select(p => p.IdleSeconds));

        // Wilson at 0 of n and n of n has closed forms: upper = z²/(n + z²), lower = n/(n + z²); z = 1.959964, n = 3.
        const double z2 = 1.959963984540054 * 1.959963984540054;
        var (shortIdle, longIdle) = (curve[0], curve[1]);
        Assert.Equal((0, 3, 0), (shortIdle.Cold, shortIdle.Warm, shortIdle.Unknown));
        Assert.Equal(0, shortIdle.ColdShare);
        Assert.Equal(0, shortIdle.ColdShareLow!.Value, 12);
        Assert.Equal(z2 / (3 + z2), shortIdle.ColdShareHigh!.Value, 9);
        Assert.Equal(12, shortIdle.FirstP50Ms);
        Assert.Null(shortIdle.ColdP50Ms);

        Assert.Equal((3, 0, 1), (longIdle.Cold, longIdle.Warm, longIdle.Unknown));
        Assert.Equal(1, longIdle.ColdShare);
        Assert.Equal(3 / (3 + z2), longIdle.ColdShareLow!.Value, 9);
        Assert.Equal(1, longIdle.ColdShareHigh!.Value, 12);
        Assert.Equal(1200, longIdle.ColdP50Ms);
        Assert.Equal(1200, longIdle.FirstP50Ms);

        Assert.Equal("1s", shortIdle.IdleText);
        Assert.Equal("0 of 3 cold (0 %, 95 % CI 0–56 %), first request p50 12 ms", shortIdle.Describe());
        Assert.Equal("3 of 3 cold (100 %, 95 % CI 44–100 %), first request p50 1200 ms, 1 unknown or failed", longIdle.Describe());
        Assert.Equal([1.0, 60.0, 1.0], summary.Probes.Take(3).Select(p => p.IdleSeconds!.Value));
    }

    [Fact]
    public void Summarize_ForcedStrategy_HasNoCurve()
    {
        var summary = ColdStartStatistics.Summarize("process", ColdStartClassifier.Classify([Probe(0, "a", 900), Probe(1, "b", 950)]));

        Assert.Null(summary.Curve);
    }

    [Fact]
    public void Summarize_IdleTimeWithOnlyFailedProbes_HasNoShare()
    {
        var failed = new ColdStartProbe { Index = 0, ForcedAt = T0, Failure = "connection refused", IdleSeconds = 300 };

        var point = Assert.Single(ColdStartStatistics.Summarize("idle", ColdStartClassifier.Classify([failed], idle: true)).Curve!);

        Assert.Equal((0, 0, 1), (point.Cold, point.Warm, point.Unknown));
        Assert.Null(point.ColdShare);
        Assert.Equal("no probe classified, 1 unknown or failed", point.Describe());
        Assert.Equal("5m", point.IdleText);
    }
}
