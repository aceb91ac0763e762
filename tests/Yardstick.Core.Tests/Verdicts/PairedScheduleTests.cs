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
    public void ReferenceFirst_NoPairs_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PairedSchedule.ReferenceFirst(0, 1));
    }
}
