using Yardstick.Core.ColdStart;
using Yardstick.Core.Ports;
using static Yardstick.Core.Tests.ColdStart.ProbeData;

namespace Yardstick.Core.Tests.ColdStart;

public sealed class ColdStartClassifierTests
{
    [Fact]
    public void Classify_EveryProbeOnANewInstance_AllColdNoneExcluded()
    {
        var classified = ColdStartClassifier.Classify([Probe(0, "a", 900, 5), Probe(1, "b", 950, 6), Probe(2, "c", 1000, 7)]);

        Assert.All(classified, c => Assert.Equal(ColdStartClassifier.Cold, c.Classification));
        Assert.All(classified, c => Assert.False(c.Excluded));
    }

    [Fact]
    public void Classify_InstanceAlreadySeen_WarmMismatchExcludedAndNamed()
    {
        var classified = ColdStartClassifier.Classify([Probe(0, "a", 900, 5), Probe(1, "a", 15, 6), Probe(2, "c", 1000, 7)]);

        Assert.Equal(ColdStartClassifier.Cold, classified[0].Classification);
        Assert.Equal(ColdStartClassifier.Warm, classified[1].Classification);
        Assert.True(classified[1].Excluded);
        Assert.Contains("instance a already served probe 1", classified[1].Note, StringComparison.Ordinal);
        Assert.Equal(ColdStartClassifier.Cold, classified[2].Classification);
        Assert.False(classified[2].Excluded);
    }

    [Fact]
    public void Classify_SeenOnlyInAnEarlierProbesWarmRequests_IsWarm()
    {
        // Probe 0's warm requests reached instance b (a scale-out); probe 1 answered by b was not a new instance.
        var classified = ColdStartClassifier.Classify([Probe(0, "a", 900, [5, 6], warmInstance: "b"), Probe(1, "b", 20, 6)]);

        Assert.Equal(ColdStartClassifier.Warm, classified[1].Classification);
        Assert.True(classified[1].Excluded);
        // The first warm request that reached b was b's cold start, not a warm reference; the second found b warm.
        Assert.Equal([6.0], classified[0].WarmMs);
        Assert.Contains("1 warm request(s) reached a new instance", classified[0].Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Classify_NoInstanceHeader_UnknownAndNotCounted()
    {
        var classified = ColdStartClassifier.Classify([Probe(0, null, 900, 5)], "x-instance-id");

        Assert.Equal(ColdStartClassifier.Unknown, classified[0].Classification);
        Assert.False(classified[0].Excluded);
        Assert.Contains("x-instance-id", classified[0].Note, StringComparison.Ordinal);
        Assert.Null(ColdStartStatistics.Summarize("restart", classified).ColdP50Ms);
    }

    [Fact]
    public void Classify_FailedProbe_UnknownExcludedWithTheFailure()
    {
        var failed = new ColdStartProbe { Index = 0, ForcedAt = T0, Attempts = 40, Failure = "no successful response within 30s" };

        var classified = ColdStartClassifier.Classify([failed, Probe(1, "a", 900, 5)]);

        Assert.Equal(ColdStartClassifier.Unknown, classified[0].Classification);
        Assert.True(classified[0].Excluded);
        Assert.Equal("no successful response within 30s", classified[0].Note);
        Assert.Equal(ColdStartClassifier.Cold, classified[1].Classification);
    }

    [Fact]
    public void AttachTelemetry_ProbeWithoutHeader_TakesTheClosestRoleInstanceInItsWindow()
    {
        var probe = Probe(0, null, 900, 5);
        var at = probe.First!.At;
        ServerRequest[] requests =
        [
            new() { Timestamp = at.AddSeconds(-30), RoleInstance = "too-early" },
            new() { Timestamp = at.AddMilliseconds(400), RoleInstance = "near" },
            new() { Timestamp = at.AddMilliseconds(-50), RoleInstance = "nearest" },
            new() { Timestamp = at, RoleInstance = null },
        ];

        var attached = ColdStartClassifier.AttachTelemetry([probe], requests);

        Assert.Equal("nearest", attached[0].InstanceId);
        Assert.Equal(ColdStartClassifier.Cold, ColdStartClassifier.Classify(attached)[0].Classification);
    }

    [Fact]
    public void Classify_TelemetryInstanceFirstSeenBeforeTheForcing_WarmExcluded()
    {
        var probe = Probe(0, null, 900, 5) with { TelemetryInstanceId = "kept" };
        var firstSeen = new Dictionary<string, DateTimeOffset> { ["kept"] = probe.ForcedAt.AddMinutes(-10) };

        var classified = ColdStartClassifier.Classify([probe], firstSeen: firstSeen);

        Assert.Equal(ColdStartClassifier.Warm, classified[0].Classification);
        Assert.True(classified[0].Excluded);
        Assert.Contains("before the cold start was forced", classified[0].Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Classify_TelemetryInstanceFirstSeenAfterTheForcing_Cold()
    {
        var probe = Probe(0, null, 900, 5) with { TelemetryInstanceId = "fresh" };
        var firstSeen = new Dictionary<string, DateTimeOffset> { ["fresh"] = probe.ForcedAt.AddSeconds(3) };

        var classified = ColdStartClassifier.Classify([probe], firstSeen: firstSeen);

        Assert.Equal(ColdStartClassifier.Cold, classified[0].Classification);
        Assert.False(classified[0].Excluded);
    }
}
