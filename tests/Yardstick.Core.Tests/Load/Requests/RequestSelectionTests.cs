using Yardstick.Core.Load;
using Yardstick.Core.Load.Requests;

namespace Yardstick.Core.Tests.Load.Requests;

public sealed class RequestSelectionTests
{
    [Fact]
    public void Select_WeightedMix_PicksEachRequestInProportionToItsWeight()
    {
        var selector = new WeightedRequestSelector([6, 3, 1], seed: 42);
        var counts = new int[3];

        for (var i = 0L; i < 100_000; i++)
        {
            counts[selector.Select(i)]++;
        }

        // Binomial sd at n = 100k is at most ~160; ±1,000 is more than 6 sd.
        Assert.InRange(counts[0], 59_000, 61_000);
        Assert.InRange(counts[1], 29_000, 31_000);
        Assert.InRange(counts[2], 9_000, 11_000);
    }

    [Fact]
    public void Select_SameSeedAndIndex_SameChoiceWhateverTheOrderOfCalls()
    {
        var first = new WeightedRequestSelector([1, 1, 1], seed: 7);
        var second = new WeightedRequestSelector([1, 1, 1], seed: 7);
        var forward = Enumerable.Range(0, 1000).Select(i => first.Select(i)).ToArray();

        // A pure function of the arrival index: asked backwards, the answers are the same.
        var backward = Enumerable.Range(0, 1000).Reverse().Select(i => second.Select(i)).Reverse().ToArray();

        Assert.Equal(forward, backward);
    }

    [Fact]
    public void Select_AnotherSeed_AnotherSequence()
    {
        var a = Enumerable.Range(0, 200).Select(i => new WeightedRequestSelector([1, 1], 1).Select(i));
        var b = Enumerable.Range(0, 200).Select(i => new WeightedRequestSelector([1, 1], 2).Select(i));

        Assert.NotEqual(a, b);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    public void Constructor_WeightNotPositive_InputExceptionNamingTheRequest(double weight)
    {
        var error = Assert.Throws<InputException>(() => new WeightedRequestSelector([1, weight], 0));

        Assert.Equal("requests[1].weight", error.Field);
    }

    [Fact]
    public void For_OneRequest_AlwaysTheFirst()
    {
        var selector = RequestSelection.For([new RequestTemplate { Method = "GET", Url = "http://127.0.0.1/" }], 5);

        Assert.All(Enumerable.Range(0, 100), i => Assert.Equal(0, selector.Select(i)));
    }
}
