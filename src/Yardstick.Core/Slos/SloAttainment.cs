using System.Globalization;
using HdrHistogram;
using Yardstick.Core.Summaries;
using Yardstick.Core.Workloads;

namespace Yardstick.Core.Slos;

/// <summary>
/// How far one run attained the objectives of a workload's <c>slo:</c>. Availability counts successful responses
/// among all ended requests; a latency objective counts requests whose latency (from the intended start, so queueing
/// included) is at or under the threshold, read from the run's merged latency histogram (whose buckets are 0.1 % wide,
/// so a request within 0.1 % of the threshold may land either side).
/// </summary>
public static class SloAttainment
{
    /// <summary>The run's <c>slo</c> section, or null when the workload has no <c>slo:</c>.</summary>
    /// <param name="spec">The workload's objectives.</param>
    /// <param name="requests">Ended requests of the run.</param>
    /// <param name="successes">Successful ones.</param>
    /// <param name="latency">Merged latency histogram in µs (null when nothing was measured).</param>
    public static SloSummary? Evaluate(SloSpec? spec, long requests, long successes, HistogramBase? latency)
    {
        if (spec is null)
        {
            return null;
        }

        var objectives = new List<SloObjectiveResult>();
        if (spec.Availability is { } availability)
        {
            objectives.Add(Result("availability", "availability", null, availability, successes, requests));
        }

        foreach (var objective in spec.Latency)
        {
            var thresholdMs = objective.Threshold.TotalMilliseconds;
            var total = latency?.TotalCount ?? 0;
            var good = total == 0 ? 0 : CountAtOrBelow(latency!, (long)Math.Floor(thresholdMs * 1000));
            objectives.Add(Result($"latency <= {Ms(thresholdMs)}", "latency", thresholdMs, objective.Target, good, total));
        }

        return new SloSummary { WindowDays = spec.Window.TotalDays, Objectives = objectives };
    }

    /// <summary>(1 − attainment) ÷ (1 − target): 1 spends the budget exactly as fast as the window allows.</summary>
    public static double BurnRate(double attainment, double target) => (1 - attainment) / (1 - target);

    private static SloObjectiveResult Result(string name, string sli, double? thresholdMs, double target, long good, long total)
    {
        double? attainment = total > 0 ? (double)good / total : null;
        return new SloObjectiveResult
        {
            Objective = name,
            Sli = sli,
            ThresholdMs = thresholdMs,
            Target = target,
            Good = good,
            Total = total,
            Attainment = attainment,
            BurnRate = attainment is { } a ? BurnRate(a, target) : null,
            Met = attainment >= target,
        };
    }

    /// <summary>Recorded values whose bucket starts at or below <paramref name="thresholdUs"/>.</summary>
    private static long CountAtOrBelow(HistogramBase histogram, long thresholdUs)
    {
        long count = 0;
        foreach (var value in histogram.RecordedValues())
        {
            if (histogram.LowestEquivalentValue(value.ValueIteratedTo) > thresholdUs)
            {
                break;
            }

            count += value.CountAtValueIteratedTo;
        }

        return count;
    }

    private static string Ms(double ms) => ms.ToString("0.###", CultureInfo.InvariantCulture) + "ms";
}
