using Yardstick.Core.Summaries;
using Yardstick.Core.Verdicts;

namespace Yardstick.Reports;

/// <summary>One measured round of a paired run, placed on the run's time axis.</summary>
/// <param name="Round">The pair it belongs to (0-based, as stored).</param>
/// <param name="Reference">True for the reference's round, false for the candidate's.</param>
/// <param name="StartSeconds">Seconds from the first measured round's start to this round's start.</param>
/// <param name="MidSeconds">Seconds from the first measured round's start to this round's middle (where it is drawn).</param>
/// <param name="LatencyMs">The round's latency quantiles.</param>
internal sealed record PairedRoundPoint(int Round, bool Reference, double StartSeconds, double MidSeconds, LatencySummary LatencyMs)
{
    public string Side => Reference ? PairedSchedule.ReferenceVariant : "candidate";
}

/// <summary>
/// A paired A/B run's rounds of both sides on one time axis, from <c>summary.json</c>'s rounds and their start and end
/// times: drift during the run shows on both series at once, which is what the pairing cancels.
/// </summary>
internal static class PairedTimeline
{
    /// <summary>The rounds in start order; empty for a run that is not paired, or whose rounds carry no times (older summaries).</summary>
    public static IReadOnlyList<PairedRoundPoint> Of(RunSummary run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.Against is null)
        {
            return [];
        }

        var timed = run.Rounds
            .Where(r => r.Variant.Length == 0 || r.Variant == PairedSchedule.ReferenceVariant)
            .Where(r => r.StartedAt is not null && r.EndedAt is not null && r.Requests > 0)
            .ToList();
        if (timed.Count == 0)
        {
            return [];
        }

        var origin = timed.Min(r => r.StartedAt!.Value);
        return timed
            .OrderBy(r => r.StartedAt)
            .Select(r =>
            {
                var start = (r.StartedAt!.Value - origin).TotalSeconds;
                var end = Math.Max(start, (r.EndedAt!.Value - origin).TotalSeconds);
                return new PairedRoundPoint(r.Round, r.Variant.Length > 0, start, (start + end) / 2, r.LatencyMs);
            })
            .ToList();
    }
}
