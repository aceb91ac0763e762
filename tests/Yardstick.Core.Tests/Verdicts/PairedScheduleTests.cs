using Yardstick.Core.Verdicts;

namespace Yardstick.Core.Tests.Verdicts;

public sealed class PairedScheduleTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(12)]
    public void ReferenceFirst_EveryTwoPairs_OneOfEachOrder(int pairs)
    {
        var order = PairedSchedule.ReferenceFirst(pairs, seed: 42);

        Assert.Equal(pairs, order.Count);
        for (var i = 0; i + 1 < pairs; i += 2)
        {
            Assert.NotEqual(order[i], order[i + 1]);
        }
    }

    [Fact]
    public void ReferenceFirst_SameSeed_SameOrder_SeedsDiffer_OrdersDiffer()
    {
        var a = PairedSchedule.ReferenceFirst(20, seed: 1);
        var b = PairedSchedule.ReferenceFirst(20, seed: 1);
        var distinct = Enumerable.Range(0, 16).Select(s => string.Concat(PairedSchedule.ReferenceFirst(20, s).Select(f => f ? 'A' : 'B'))).Distinct().Count();

        Assert.Equal(a, b);
        Assert.True(distinct > 1, "the seed must change the order");
    }

    [Fact]
    public void Turns_EachPairBothSidesInTheScheduledOrder()
    {
        var turns = PairedSchedule.Turns(6, seed: 1234567890123);
        var first = PairedSchedule.ReferenceFirst(6, unchecked((int)(1234567890123 ^ (1234567890123 >>> 32))));

        Assert.Equal(12, turns.Count);
        for (var pair = 0; pair < 6; pair++)
        {
            var (a, b) = (turns[2 * pair], turns[(2 * pair) + 1]);
            Assert.Equal((pair, pair), (a.Round, b.Round));
            Assert.Equal(first[pair] ? (1, 0) : (0, 1), (a.Variant, b.Variant));
        }
    }

    [Theory]
    [InlineData("http://127.0.0.1:5080/api/hello?x=1", "http://127.0.0.1:5080")]
    [InlineData("https://${env:HOST}/api", "https://${env:HOST}")]
    [InlineData("https://app.example.net", "https://app.example.net")]
    [InlineData("https://app.example.net/", "https://app.example.net")]
    public void OriginOf_UpToThePath_EvenWithAReference(string url, string origin)
    {
        Assert.Equal(origin, PairedSchedule.OriginOf(url));
    }

    [Theory]
    [InlineData("http://127.0.0.1:5080/api/hello?x=${data.id}", "http://10.0.0.1:7/api/hello?x=${data.id}")]
    [InlineData("http://127.0.0.1:5080", "http://10.0.0.1:7")]
    [InlineData("http://127.0.0.1:50801/api", "http://127.0.0.1:50801/api")] // another port: not the target's origin
    [InlineData("https://other.example/api", "https://other.example/api")]
    public void OnReference_ReplacesTheTargetsOriginOnly(string url, string expected)
    {
        Assert.Equal(expected, PairedSchedule.OnReference(url, "http://127.0.0.1:5080", "http://10.0.0.1:7"));
    }

    [Fact]
    public void ReferenceFirst_NoPairs_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PairedSchedule.ReferenceFirst(0, 1));
    }
}
