using Yardstick.Core.Schedules;

namespace Yardstick.Core.Tests.Schedules;

public sealed class WorkloadScheduleTests
{
    private static readonly DateTimeOffset Sunday = new(2026, 11, 29, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("nightly", "nightly", "0 0 2 * * *", "nightly")]
    [InlineData("Weekly", "weekly", "0 0 2 * * Mon", "weekly")]
    [InlineData("hourly", "hourly", "0 0 * * * *", "hourly")]
    [InlineData("0 30 */6 * * *", "cron", "0 30 */6 * * *", "schedule")]
    public void Parse_KeywordsAndExpressions_MapToTheirExpressionAndTrigger(string text, string kind, string expression, string trigger)
    {
        var schedule = WorkloadSchedule.Parse(text);

        Assert.Equal(kind, schedule.Kind);
        Assert.Equal(expression, schedule.Expression.Text);
        Assert.Equal(trigger, schedule.Trigger);
    }

    [Fact]
    public void Parse_Nightly_StandsForTheDeploymentsExpression()
    {
        Assert.Equal("0 15 4 * * *", WorkloadSchedule.Parse("nightly", "0 15 4 * * *").Expression.Text);
    }

    [Theory]
    [InlineData("daily", "is not a schedule; write nightly, weekly, hourly")]
    [InlineData("0 */5 * * * *", "fires 5 min apart; scheduled benchmark runs must be at least 15 minutes apart")]
    [InlineData("* * * * * *", "fires 1 s apart")]
    [InlineData("0 0 0 31 4 *", "never fires")]
    [InlineData("0 0 2 * *", "has 5 field(s)")]
    public void TryParse_Refused_SaysWhy(string text, string expected)
    {
        Assert.False(WorkloadSchedule.TryParse(text, null, out _, out var error));

        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void DueAt_SinceThePreviousTick_IsTheLatestOccurrenceOnly()
    {
        var hourly = WorkloadSchedule.Parse("hourly");

        Assert.Equal(Sunday.AddHours(3), hourly.DueAt(Sunday.AddHours(1).AddMinutes(59), Sunday.AddHours(3).AddMinutes(1)));
        Assert.Null(hourly.DueAt(Sunday.AddHours(3), Sunday.AddHours(3).AddMinutes(59)));
    }

    [Fact]
    public void DueAt_OlderThanTheCatchUpWindow_IsNotDue()
    {
        var nightly = WorkloadSchedule.Parse("nightly");

        Assert.Equal(Sunday.AddHours(2), nightly.DueAt(Sunday.AddHours(1), Sunday.AddHours(7).AddMinutes(59)));
        Assert.Null(nightly.DueAt(Sunday.AddHours(1), Sunday.AddHours(8).AddMinutes(1)));
    }

    [Fact]
    public void DueAt_FirstTick_LooksBackFiveMinutesOnly()
    {
        var nightly = WorkloadSchedule.Parse("nightly");

        Assert.Equal(Sunday.AddHours(2), nightly.DueAt(null, Sunday.AddHours(2).AddMinutes(4)));
        Assert.Null(nightly.DueAt(null, Sunday.AddHours(2).AddMinutes(6)));
    }
}
