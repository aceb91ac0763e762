using Yardstick.Core.Statistics;
using Yardstick.Core.Summaries;

namespace Yardstick.Core.ColdStart;

/// <summary>
/// The <c>coldStart</c> section of <c>summary.json</c> from classified probes: cold p50/p90/max over the cold probes
/// that were not excluded, warm p50 over the warm requests, and the penalty (cold p50 − warm p50).
/// </summary>
/// <remarks>
/// A probe's cold figure is its time from forcing to the first success (<see cref="ColdStartProbe.TimeToFirstSuccessMs"/>;
/// for <c>process</c> that is from the process start, so it includes the target's initialization), else the first
/// request's total. Quantiles interpolate linearly between order statistics (Hyndman–Fan type 7), so p50 of an even
/// count is the mean of the middle two.
/// </remarks>
public static class ColdStartStatistics
{
    public static ColdStartSummary Summarize(string strategy, IReadOnlyList<ClassifiedProbe> probes, IEnumerable<string>? notes = null)
    {
        var cold = probes
            .Where(p => p.Classification == ColdStartClassifier.Cold && !p.Excluded)
            .Select(p => ColdFigureMs(p.Probe))
            .OfType<double>()
            .Order()
            .ToList();
        var warm = probes.Where(p => p.Probe.Failure is null).SelectMany(p => p.WarmMs).Order().ToList();
        double? coldP50 = cold.Count > 0 ? Quantile(cold, 0.5) : null;
        double? warmP50 = warm.Count > 0 ? Quantile(warm, 0.5) : null;

        var allNotes = new List<string>(notes ?? []);
        var unknown = probes.Count(p => p.Classification == ColdStartClassifier.Unknown);
        var excluded = probes.Count(p => p.Excluded);
        if (excluded > 0)
        {
            allNotes.Add($"{excluded} of {probes.Count} probe(s) excluded from the cold figures (failed, or not answered by a new instance)");
        }

        if (unknown > 0)
        {
            allNotes.Add($"{unknown} probe(s) could not be classified (no instance identity or no successful response)");
        }

        return new ColdStartSummary
        {
            Strategy = strategy,
            Probes = probes.Select(ToSummary).ToList(),
            Cold = probes.Count(p => p.Classification == ColdStartClassifier.Cold),
            Warm = probes.Count(p => p.Classification == ColdStartClassifier.Warm),
            Unknown = unknown,
            Excluded = excluded,
            ColdP50Ms = coldP50,
            ColdP90Ms = cold.Count > 0 ? Quantile(cold, 0.9) : null,
            ColdMaxMs = cold.Count > 0 ? cold[^1] : null,
            WarmP50Ms = warmP50,
            PenaltyMs = coldP50 - warmP50,
            Curve = Curve(probes),
            Notes = allNotes,
        };
    }

    /// <summary>Confidence level of the eviction curve's intervals.</summary>
    public const double CurveConfidence = 0.95;

    /// <summary>
    /// The eviction curve: probes grouped by their idle time (those without one, i.e. other strategies, give null), per
    /// group the cold share among the classified probes with its Wilson score interval (it behaves at 0 and at n, where
    /// a curve's ends usually are), the p50 first-request time over the classified probes and the cold p50.
    /// </summary>
    public static IReadOnlyList<EvictionPoint>? Curve(IReadOnlyList<ClassifiedProbe> probes)
    {
        if (!probes.Any(p => p.Probe.IdleSeconds is not null))
        {
            return null;
        }

        return probes
            .Where(p => p.Probe.IdleSeconds is not null)
            .GroupBy(p => p.Probe.IdleSeconds!.Value)
            .OrderBy(g => g.Key)
            .Select(g =>
            {
                var classified = g.Where(p => p.Probe.Failure is null && p.Classification is ColdStartClassifier.Cold or ColdStartClassifier.Warm).ToList();
                var cold = classified.Count(p => p.Classification == ColdStartClassifier.Cold);
                var interval = classified.Count > 0 ? WilsonScoreInterval.Compute(cold, classified.Count, CurveConfidence) : null;
                var first = classified.Select(p => ColdFigureMs(p.Probe)).OfType<double>().Order().ToList();
                var coldFigures = classified.Where(p => p.Classification == ColdStartClassifier.Cold).Select(p => ColdFigureMs(p.Probe)).OfType<double>().Order().ToList();
                return new EvictionPoint
                {
                    IdleSeconds = g.Key,
                    Cold = cold,
                    Warm = classified.Count - cold,
                    Unknown = g.Count() - classified.Count,
                    ColdShare = interval?.Estimate,
                    ColdShareLow = interval?.Lower,
                    ColdShareHigh = interval?.Upper,
                    FirstP50Ms = first.Count > 0 ? Quantile(first, 0.5) : null,
                    ColdP50Ms = coldFigures.Count > 0 ? Quantile(coldFigures, 0.5) : null,
                };
            })
            .ToList();
    }

    /// <summary>The probe's cold figure: time from forcing to first success, else the first request's total.</summary>
    public static double? ColdFigureMs(ColdStartProbe probe) => probe.TimeToFirstSuccessMs ?? probe.First?.TotalMs;

    /// <summary>Quantile of sorted values, linear interpolation between order statistics (type 7).</summary>
    public static double Quantile(IReadOnlyList<double> sorted, double p)
    {
        ArgumentOutOfRangeException.ThrowIfZero(sorted.Count);
        var h = (sorted.Count - 1) * p;
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(lo + 1, sorted.Count - 1);
        return sorted[lo] + ((h - lo) * (sorted[hi] - sorted[lo]));
    }

    private static ColdStartProbeSummary ToSummary(ClassifiedProbe classified)
    {
        var probe = classified.Probe;
        var first = probe.First;
        return new ColdStartProbeSummary
        {
            Index = probe.Index,
            Classification = classified.Classification,
            InstanceId = probe.InstanceId,
            TimeToFirstSuccessMs = probe.TimeToFirstSuccessMs,
            ConnectMs = first?.ConnectMs,
            TlsMs = first?.TlsMs,
            FirstByteMs = first?.FirstByteMs,
            ServerMs = first?.ServerMs,
            TotalMs = first?.TotalMs,
            WarmMs = probe.Warm.Select(w => w.TotalMs).ToList(),
            IdleSeconds = probe.IdleSeconds,
            Excluded = classified.Excluded,
            Note = classified.Note,
        };
    }
}
