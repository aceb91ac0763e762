using Yardstick.Core.Schedules;

namespace Yardstick.Core.Tests.Schedules;

public sealed class CronExpressionTests
{
    private static readonly DateTimeOffset Midnight = new(2026, 11, 29, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("0 0 2 * * *", "2026-11-29T02:00:00")]
    [InlineData("0 */15 * * * *", "2026-11-29T00:15:00")]
    [InlineData("30 5-10/5 3 * * *", "2026-11-29T03:05:30")]
    [InlineData("0 0 2 * * Mon", "2026-11-30T02:00:00")]
    [InlineData("0 0 2 * * 1", "2026-11-30T02:00:00")]
    [InlineData("0 0 9 1 Jan *", "2027-01-01T09:00:00")]
    [InlineData("0 0 0 29 2 *", "2028-02-29T00:00:00")]
    [InlineData("0 0 12 * * 7", "2026-11-29T12:00:00")]
    [InlineData("0 0 12 * * Sun", "2026-11-29T12:00:00")]
    [InlineData("0 0 6,18 * * *", "2026-11-29T06:00:00")]
    [InlineData("0 0 22/1 * * *", "2026-11-29T22:00:00")]
    public void Next_Expressions_FireAtTheExpectedTimeUtc(string expression, string expected)
    {
        var next = CronExpression.Parse(expression).Next(Midnight);

        Assert.Equal(DateTimeOffset.Parse(expected + "Z", System.Globalization.CultureInfo.InvariantCulture), next);
    }

    [Theory]
    [InlineData("0 0 2 * *", "has 5 field(s)")]
    [InlineData("0 0 24 * * *", "the hour field '24' has 24, outside 0..23")]
    [InlineData("0 61 * * * *", "the minute field '61' has 61, outside 0..59")]
    [InlineData("0 0 2 * Foo *", "the month field 'Foo' has 'Foo', which is neither a number in 1..12 nor a name (Jan,")]
    [InlineData("0 0 2 * * Xyz", "the day-of-week field 'Xyz'")]
    [InlineData("0 */0 * * * *", "has a step '0' that is not a positive whole number")]
    [InlineData("0 10-5 * * * *", "has a range '10-5' whose end comes before its start")]
    public void TryParse_InvalidExpressions_SayWhichFieldAndWhy(string expression, string expected)
    {
        Assert.False(CronExpression.TryParse(expression, out _, out var error));

        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Invalid_ThrowsNamingTheField()
    {
        var ex = Assert.Throws<InputException>(() => CronExpression.Parse("nope", "schedule"));

        Assert.Equal("schedule", ex.Field);
    }

    [Fact]
    public void Occurrences_HalfOpenRange_ExcludesTheStartIncludesTheEnd()
    {
        var cron = CronExpression.Parse("0 0 * * * *");

        var hours = cron.Occurrences(Midnight, Midnight.AddHours(3)).ToList();

        Assert.Equal([Midnight.AddHours(1), Midnight.AddHours(2), Midnight.AddHours(3)], hours);
    }

    [Fact]
    public void Latest_WindowSpanningDays_FindsTheLastOccurrenceNotTheFirst()
    {
        var cron = CronExpression.Parse("0 30 2 * * *");

        var latest = cron.Latest(Midnight.AddDays(-3), Midnight.AddHours(12));
        var none = cron.Latest(Midnight.AddHours(3), Midnight.AddHours(12));

        Assert.Equal(Midnight.AddHours(2).AddMinutes(30), latest);
        Assert.Null(none);
    }

    [Fact]
    public void Next_ImpossibleDate_IsNull()
    {
        Assert.Null(CronExpression.Parse("0 0 0 30 2 *").Next(Midnight));
    }

    [Fact]
    public void ShortestGap_EveryFiveMinutesAtTheTopOfTheHour_IsFiveMinutes()
    {
        var gap = CronExpression.Parse("0 0-10/5 * * * *").ShortestGap(Midnight, TimeSpan.FromDays(1), TimeSpan.Zero);

        Assert.Equal(TimeSpan.FromMinutes(5), gap);
    }
}
