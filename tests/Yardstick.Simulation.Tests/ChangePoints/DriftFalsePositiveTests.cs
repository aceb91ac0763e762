using Xunit.Abstractions;
using Yardstick.Core.Runs;
using Yardstick.Core.Trends;

namespace Yardstick.Simulation.Tests.ChangePoints;

/// <summary>
/// How often the drift verdict cries wolf: a nightly run analysed against a history with no change at all (90 nights of
/// p95, 3 % and 5 % log-normal noise, seeded), the check a real night runs (<see cref="DriftCheck"/>, margin 5 %, gated
/// p50/p95/p99 and error rate). The printed figure is in the README (Drift verdicts).
/// </summary>
public sealed class DriftFalsePositiveTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset Start = new(2026, 6, 1, 2, 0, 0, TimeSpan.Zero);
    private static readonly string[] Gated = ["p50", "p95", "p99", "errorRate"];

    [Theory]
    [InlineData(0.03)]
    [InlineData(0.05)]
    public void Check_NoChangeHistories_DriftOnAtMostOneNightInAHundred(double noise)
    {
        const int Histories = 2000;
        var drifts = 0;
        Parallel.For(0, Histories, seed =>
        {
            var p95 = NightlySeries.NoChange(2_000_000 + seed, nights: 90, noise: noise);
            var runs = p95.Select((value, night) => Night(night, value, seed)).ToList();
            if (DriftCheck.Check(runs, runs[^1], Gated, margin: 0.05) is not null)
            {
                Interlocked.Increment(ref drifts);
            }
        });

        var rate = (double)drifts / Histories;
        output.WriteLine($"no change, 90 nights, {noise:P0} noise: drift on {drifts} of {Histories} nights ({rate:P1}), about {rate * 365:0.#} false drift alerts a year of nightly runs");
        Assert.True(rate <= 0.01, $"drift on {rate:P1} of no-change nights");
    }

    private static RunRecord Night(int night, double p95, int seed)
    {
        var at = Start.AddDays(night);
        return new RunRecord
        {
            RunId = RunIds.Create(at, new Guid(seed, (short)night, 0, new byte[8])),
            Workload = "checkout",
            Status = RunStatus.Completed,
            CreatedAt = at,
            Requests = 10_000,
            ThroughputRps = 100,
            P50Ms = p95 / 2,
            P95Ms = p95,
            P99Ms = p95 * 1.4,
            Verdict = "equivalent",
            SettingsHash = "aaaaaaaaaaaaaaaa",
        };
    }
}
