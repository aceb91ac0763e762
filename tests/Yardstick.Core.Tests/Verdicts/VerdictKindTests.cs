using Yardstick.Core.Verdicts;

namespace Yardstick.Core.Tests.Verdicts;

public sealed class VerdictKindTests
{
    [Theory]
    [InlineData(VerdictKind.Regression, "regression")]
    [InlineData(VerdictKind.Equivalent, "equivalent")]
    [InlineData(VerdictKind.Improvement, "improvement")]
    [InlineData(VerdictKind.Inconclusive, "inconclusive")]
    [InlineData(VerdictKind.NoBaseline, "no-baseline")]
    public void WireName_RoundTripsAndIsWhatJsonWrites(VerdictKind kind, string wire)
    {
        Assert.Equal(wire, kind.ToWireName());
        Assert.Equal(kind, VerdictKindNames.ParseWireName(wire.ToUpperInvariant()));
        Assert.Equal($"\"{wire}\"", YardstickJson.Serialize(kind));
        Assert.Equal(kind, YardstickJson.Deserialize<VerdictKind>($"\"{wire}\""));
    }

    [Fact]
    public void ParseWireName_Unknown_ThrowsInputExceptionNamingTheField()
    {
        var error = Assert.Throws<InputException>(() => VerdictKindNames.ParseWireName("maybe", "verdict.overall"));

        Assert.Equal("verdict.overall", error.Field);
    }

    [Fact]
    public void RunVerdict_SerializesWithWireNamesAndNonFiniteNumbers()
    {
        var verdict = VerdictEngine.Compare([], [VerdictFixtures.Values("c", (MetricKeys.P95, 10))], new VerdictPolicy([MetricKeys.P95]));

        var json = YardstickJson.Serialize(verdict);

        Assert.Contains("\"overall\":\"no-baseline\"", json);
        Assert.Contains("\"baseline\":\"NaN\"", json);
    }
}
