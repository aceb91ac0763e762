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
            Notes = allNotes,
        };
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
            Excluded = classified.Excluded,
            Note = classified.Note,
        };
    }
}
