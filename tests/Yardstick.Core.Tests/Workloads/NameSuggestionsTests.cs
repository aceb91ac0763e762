using Yardstick.Core.Workloads;

namespace Yardstick.Core.Tests.Workloads;

public sealed class NameSuggestionsTests
{
    private static readonly string[] LoadFields = ["model", "rate", "startRate", "stages", "concurrency", "thinkTime", "duration", "warmup", "shards", "maxInFlight", "connections", "timeout"];

    [Theory]
    [InlineData("rat", "rate")]
    [InlineData("duraton", "duration")]
    [InlineData("concurency", "concurrency")]
    [InlineData("Shards", "shards")]
    [InlineData("maxInflight", "maxInFlight")]
    [InlineData("wramup", "warmup")]
    [InlineData("think", "thinkTime")]
    public void Closest_Typo_SuggestsTheIntendedName(string typo, string expected)
    {
        Assert.Equal(expected, NameSuggestions.Closest(typo, LoadFields));
    }

    [Theory]
    [InlineData("xyz")]
    [InlineData("requests")]
    public void Closest_NothingClose_SuggestsNothing(string input)
    {
        Assert.Null(NameSuggestions.Closest(input, LoadFields));
    }

    [Theory]
    [InlineData("abc", "abc", 0)]
    [InlineData("abc", "acb", 1)]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("", "abc", 3)]
    public void Distance_KnownPairs(string a, string b, int expected)
    {
        // Reference values: Levenshtein distance as usually defined, with one adjacent transposition counting 1.
        Assert.Equal(expected, NameSuggestions.Distance(a, b));
    }
}
