using Yardstick.Core.Slos;
using Yardstick.Core.Summaries;

namespace Yardstick.Core.Tests.Slos;

public sealed class ErrorBudgetTests
{
    private static readonly DateTimeOffset Day0 = new(2026, 11, 1, 2, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Track_PoolsRunsInTheWindowAndDropsOlderOnes()
    {
        // Target 99 %: 1,000 requests per night allow 10 failures each.
        var nights = new[]
        {
            new SloObservation(Day0, 995, 1000),
            new SloObservation(Day0.AddDays(1), 990, 1000),
            new SloObservation(Day0.AddDays(2), 1000, 1000),
            new SloObservation(Day0.AddDays(3), 970, 1000),
        };

        var points = ErrorBudget.Track(nights, 0.99, TimeSpan.FromDays(2));

        // Window (t − 2 d, t]: night 0 alone; nights 0–1; nights 1–2; nights 2–3.
        Assert.Equal([1, 2, 2, 2], points.Select(p => p.Runs));
        Assert.Equal(0.5, points[0].RemainingBudget, 9);
        Assert.Equal(0.25, points[1].RemainingBudget, 9);
        Assert.Equal(0.5, points[2].RemainingBudget, 9);
        Assert.Equal(-0.5, points[3].RemainingBudget, 9);
        Assert.Equal(1.5, points[3].BurnRate, 9);
        Assert.Equal(0.985, points[3].Attainment, 9);
    }

    [Fact]
    public void Track_UnorderedAndEmptyRuns_AreSortedAndSkipped()
    {
        var points = ErrorBudget.Track([new SloObservation(Day0.AddDays(1), 1000, 1000), new SloObservation(Day0, 0, 0), new SloObservation(Day0, 999, 1000)], 0.999, TimeSpan.FromDays(30));

        Assert.Equal([Day0, Day0.AddDays(1)], points.Select(p => p.At));
        Assert.Equal(0.5, points[1].RemainingBudget, 9);
    }

    [Fact]
    public void FromSummaries_TracksEachObjectiveOfCompletedRuns()
    {
        static RunSummary Run(int day, string status, long good) => new()
        {
            RunId = $"2026110{day + 1}-020000-00000{day}",
            Workload = "w",
            Status = status,
            StartedAt = Day0.AddDays(day),
            LatencyMs = new LatencySummary(),
            SchedulingLagMs = new LagSummary(),
            Slo = new SloSummary
            {
                WindowDays = 30,
                Objectives = [new SloObjectiveResult { Objective = "availability", Sli = "availability", Target = 0.99, Good = good, Total = 1000 }],
            },
        };

        var tracks = ErrorBudget.FromSummaries([Run(0, "completed", 995), Run(1, "failed", 0), Run(2, "degraded", 990)]);

        var availability = tracks["availability"];
        Assert.Equal(2, availability.Count);
        Assert.Equal(0.25, availability[1].RemainingBudget, 9);
    }
}
