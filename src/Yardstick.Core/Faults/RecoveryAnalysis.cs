using System.Globalization;
using Yardstick.Core.Measurements;

namespace Yardstick.Core.Faults;

/// <summary>
/// How a target took each fault of a fault run, from the run's merged per-second windows (pure, no clock):
/// <list type="bullet">
/// <item>The <b>pre-fault band</b> comes from the seconds wholly before the first applied fault (from the measured phase's
/// start): top = median + max(3 × 1.4826 × MAD, 25 % of the median, 5 ms) of their p99s — robust, so one slow pre-fault
/// second (a JIT or GC pause) does not widen it; the 5 ms floor because a second's p99 at tens of requests is the slowest
/// of a few dozen, which scheduling jitter on a busy generator moves by milliseconds whatever the target does — and error
/// rate at most the largest of theirs. Later
/// faults are judged against the same band, since the seconds before them may still carry the earlier fault.</item>
/// <item><b>Time to recover</b>: from the instant the fault was set off to the start of the first second s, wholly after
/// it, such that s and the next <see cref="SustainSeconds"/> − 1 seconds all have requests, a p99 within the band and an
/// error rate within the band. Searched up to the next fault's second or the end of the run; not finding it is a result
/// ("did not recover within the run"), not an error. Resolution: one second.</item>
/// <item><b>Errors during</b>: errors of the seconds from the fault's own second up to recovery (or the end of the search).</item>
/// <item><b>Time to first success</b> is the fault step's own probe (request level), carried in <see cref="AppliedFault"/>.</item>
/// </list>
/// </summary>
public static class RecoveryAnalysis
{
    /// <summary>Seconds in a row within the band that count as recovered.</summary>
    public const int SustainSeconds = 3;

    /// <summary>Pre-fault seconds with requests needed for a band.</summary>
    public const int MinBandSeconds = 3;

    /// <summary>Width of the band above the median, in robust standard deviations (1.4826 × MAD).</summary>
    public const double BandSigmas = 3;

    /// <summary>The band's least width above the median, as a share of it (a flat pre-fault period must not make every jitter a disruption).</summary>
    public const double MinBandWidth = 0.25;

    /// <summary>The band's least width above the median in milliseconds (per-second p99 jitter of a loaded generator).</summary>
    public const double MinBandWidthMs = 5;

    private const double MadToSigma = 1.4826;

    /// <summary>Analyses every fault, in workload order.</summary>
    /// <param name="timeline">The run's merged per-second windows (measured phase).</param>
    /// <param name="measuredStart">When the measured phase started (offsets are from here).</param>
    /// <param name="faults">What the fault steps did.</param>
    public static IReadOnlyList<FaultRecovery> Analyze(IReadOnlyList<TimelineWindow> timeline, DateTimeOffset measuredStart, IReadOnlyList<AppliedFault> faults)
    {
        ArgumentNullException.ThrowIfNull(timeline);
        ArgumentNullException.ThrowIfNull(faults);
        var windows = timeline.GroupBy(w => w.UnixSecond).ToDictionary(g => g.Key, g => g.First());
        var lastSecond = windows.Count == 0 ? long.MinValue : windows.Keys.Max();
        var start = Seconds(measuredStart);
        var applied = faults.Where(f => f.Applied).OrderBy(f => f.AppliedAt).ToList();
        var band = applied.Count == 0 ? null : Band(timeline, start, Seconds(applied[0].AppliedAt!.Value));

        var results = new List<FaultRecovery>(faults.Count);
        foreach (var fault in faults.OrderBy(f => f.Index))
        {
            var result = new FaultRecovery
            {
                Index = fault.Index,
                Kind = fault.Kind,
                Description = fault.Description,
                PlannedOffsetSeconds = fault.PlannedAt.TotalSeconds,
                ForSeconds = fault.For?.TotalSeconds,
                Failure = fault.Failure,
                TimeToFirstSuccessSeconds = fault.TimeToFirstSuccessMs / 1000,
            };
            if (!fault.Applied)
            {
                results.Add(result with { NotRecoveredReason = "the fault was not applied: " + (fault.Failure ?? "no time recorded") });
                continue;
            }

            var at = Seconds(fault.AppliedAt!.Value);
            var next = applied.FirstOrDefault(f => f.AppliedAt > fault.AppliedAt);
            var horizon = next is null ? lastSecond + 1 : (long)Math.Floor(Seconds(next.AppliedAt!.Value));
            results.Add(Recover(result with { AppliedAt = fault.AppliedAt, AppliedOffsetSeconds = at - start, Band = band }, windows, at, horizon, band, next));
        }

        return results;
    }

    /// <summary>
    /// The value of a <c>recoveryTime</c> threshold (ms): the slowest recovery of the applied faults; +∞ when one did not
    /// recover within the run; null when no fault was applied or one had no band (not measured).
    /// </summary>
    public static double? RecoveryTimeMs(IReadOnlyList<FaultRecovery> faults)
    {
        ArgumentNullException.ThrowIfNull(faults);
        var applied = faults.Where(f => f.AppliedOffsetSeconds is not null).ToList();
        if (applied.Count == 0 || applied.Any(f => f.Band is null))
        {
            return null;
        }

        return applied.Any(f => f.TimeToRecoverSeconds is null) ? double.PositiveInfinity : applied.Max(f => f.TimeToRecoverSeconds!.Value) * 1000;
    }

    /// <summary>The band from the seconds wholly inside [<paramref name="start"/>, <paramref name="firstFault"/>) with requests; null when fewer than <see cref="MinBandSeconds"/>.</summary>
    public static PreFaultBand? Band(IReadOnlyList<TimelineWindow> timeline, double start, double firstFault)
    {
        ArgumentNullException.ThrowIfNull(timeline);
        var before = timeline
            .Where(w => w.Requests > 0 && w.UnixSecond >= Math.Floor(start) && w.UnixSecond + 1 <= firstFault)
            .ToList();
        if (before.Count < MinBandSeconds)
        {
            return null;
        }

        var p99s = before.Select(w => w.LatencyP99Ms).ToArray();
        var median = Median(p99s);
        var mad = Median(p99s.Select(p => Math.Abs(p - median)).ToArray());
        var upper = median + Math.Max(Math.Max(BandSigmas * MadToSigma * mad, MinBandWidth * median), MinBandWidthMs);
        return new PreFaultBand(before.Count, median, mad, upper, before.Max(w => (double)w.Errors / w.Requests));
    }

    private static FaultRecovery Recover(FaultRecovery result, Dictionary<long, TimelineWindow> windows, double at, long horizon, PreFaultBand? band, AppliedFault? next)
    {
        var faultSecond = (long)Math.Floor(at);
        long? recovered = null;
        if (band is not null)
        {
            for (var s = faultSecond + 1; s + SustainSeconds <= horizon; s++)
            {
                var run = 0;
                while (run < SustainSeconds && Within(windows.GetValueOrDefault(s + run), band))
                {
                    run++;
                }

                if (run == SustainSeconds)
                {
                    recovered = s;
                    break;
                }
            }
        }

        long requests = 0, errors = 0;
        double? peak = null;
        for (var s = faultSecond; s < (recovered ?? horizon); s++)
        {
            if (windows.GetValueOrDefault(s) is { Requests: > 0 } w)
            {
                requests += w.Requests;
                errors += w.Errors;
                peak = Math.Max(peak ?? 0, w.LatencyP99Ms);
            }
        }

        result = result with { RequestsDuring = requests, ErrorsDuring = errors, PeakP99Ms = peak };
        if (recovered is { } second)
        {
            return result with { TimeToRecoverSeconds = second - at };
        }

        var reason = band is null
            ? $"no pre-fault band: fewer than {MinBandSeconds} seconds with requests before the first fault"
            : next is not null
                ? $"did not recover before faults[{next.Index}] was set off: no {SustainSeconds} seconds in a row with p99 ≤ {Ms(band.UpperP99Ms)} and error rate ≤ {Percent(band.MaxErrorRate)}"
                : $"did not recover within the run: no {SustainSeconds} seconds in a row with p99 ≤ {Ms(band.UpperP99Ms)} and error rate ≤ {Percent(band.MaxErrorRate)} in the {Math.Max(0, horizon - faultSecond - 1)} s after the fault";
        return result with { NotRecoveredReason = reason };
    }

    private static bool Within(TimelineWindow? window, PreFaultBand band) =>
        window is { Requests: > 0 } w && w.LatencyP99Ms <= band.UpperP99Ms && (double)w.Errors / w.Requests <= band.MaxErrorRate;

    private static double Seconds(DateTimeOffset instant) => (instant - DateTimeOffset.UnixEpoch).Ticks / (double)TimeSpan.TicksPerSecond;

    private static double Median(double[] values)
    {
        Array.Sort(values);
        var mid = values.Length / 2;
        return values.Length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }

    private static string Ms(double ms) => ms.ToString("0.##", CultureInfo.InvariantCulture) + " ms";

    private static string Percent(double fraction) => (fraction * 100).ToString("0.##", CultureInfo.InvariantCulture) + "%";
}
