using Yardstick.Core.Summaries;

namespace Yardstick.Core.Slos;

/// <summary>One run's good and total requests for an objective, at the time the run was measured.</summary>
public readonly record struct SloObservation(DateTimeOffset At, long Good, long Total);

/// <summary>
/// The error budget of an objective over the window ending at <see cref="At"/>: the runs in (At − window, At] pooled.
/// </summary>
/// <param name="At">End of the window (the time of the run the point belongs to).</param>
/// <param name="Runs">Runs in the window.</param>
/// <param name="Good">Good requests pooled over those runs.</param>
/// <param name="Total">Requests pooled over those runs.</param>
/// <param name="Attainment">Good ÷ total over the window.</param>
/// <param name="BurnRate">(1 − attainment) ÷ (1 − target) over the window.</param>
/// <param name="RemainingBudget">
/// Share of the window's budget not yet spent: 1 − bad ÷ ((1 − target) × total). 1 = untouched, 0 = exhausted,
/// negative = overspent (the objective is not met over the window).
/// </param>
public sealed record BudgetPoint(DateTimeOffset At, int Runs, long Good, long Total, double Attainment, double BurnRate, double RemainingBudget);

/// <summary>
/// Error budgets over time, for trends: at each run, the budget left in the window that ends with it. The budget is
/// counted in requests, pooled over the runs in the window (a run with more requests weighs more), the way request-based
/// SLOs are: allowed bad requests = (1 − target) × all requests in the window.
/// </summary>
public static class ErrorBudget
{
    /// <summary>One point per observation (sorted by time): the budget of the window ending at it.</summary>
    /// <param name="observations">Runs of one objective, any order; runs with no requests are skipped.</param>
    /// <param name="target">The objective (0.999 = 99.9 %).</param>
    /// <param name="window">The SLO window (for example 30 days).</param>
    public static IReadOnlyList<BudgetPoint> Track(IEnumerable<SloObservation> observations, double target, TimeSpan window)
    {
        if (!(target is > 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(target), target, "The target must lie in (0, 1).");
        }

        var sorted = observations.Where(o => o.Total > 0).OrderBy(o => o.At).ToList();
        var points = new List<BudgetPoint>(sorted.Count);
        var start = 0;
        long good = 0, total = 0;
        for (var i = 0; i < sorted.Count; i++)
        {
            good += sorted[i].Good;
            total += sorted[i].Total;
            while (sorted[start].At <= sorted[i].At - window)
            {
                good -= sorted[start].Good;
                total -= sorted[start].Total;
                start++;
            }

            var attainment = (double)good / total;
            var allowed = (1 - target) * total;
            points.Add(new BudgetPoint(sorted[i].At, i - start + 1, good, total, attainment, SloAttainment.BurnRate(attainment, target), 1 - ((total - good) / allowed)));
        }

        return points;
    }

    /// <summary>
    /// Budget tracks per objective from stored run summaries (their <c>slo</c> sections; runs without one are skipped),
    /// keyed by the objective's name (<c>availability</c>, <c>latency &lt;= 300ms</c>). An objective whose target or
    /// window changed is tracked with the newest run's target and window.
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<BudgetPoint>> FromSummaries(IEnumerable<RunSummary> runs)
    {
        var byObjective = new Dictionary<string, (double Target, double WindowDays, DateTimeOffset Latest, List<SloObservation> Points)>(StringComparer.Ordinal);
        foreach (var run in runs)
        {
            if (run.Slo is not { } slo || run.Status is not ("completed" or "degraded"))
            {
                continue;
            }

            foreach (var objective in slo.Objectives)
            {
                if (!byObjective.TryGetValue(objective.Objective, out var entry))
                {
                    entry = (objective.Target, slo.WindowDays, run.StartedAt, []);
                }

                if (run.StartedAt >= entry.Latest)
                {
                    entry = (objective.Target, slo.WindowDays, run.StartedAt, entry.Points);
                }

                entry.Points.Add(new SloObservation(run.StartedAt, objective.Good, objective.Total));
                byObjective[objective.Objective] = entry;
            }
        }

        return byObjective.ToDictionary(
            kv => kv.Key,
            kv => Track(kv.Value.Points, kv.Value.Target, TimeSpan.FromDays(kv.Value.WindowDays)),
            StringComparer.Ordinal);
    }
}
