using System.Globalization;
using Yardstick.Core.Measurements;
using Yardstick.Core.Verdicts;

namespace Yardstick.Core.Cost;

/// <summary>
/// What a paired A/B run's cost prices: the candidate's shards only. The reference's requests go to another app (the
/// reference, billed to whoever runs it); counted in, they would halve the cost per request of a target that served
/// only half the run's requests, and the candidate's metered executions would never reach the expected count.
/// </summary>
public static class PairedCostScope
{
    /// <summary>How the note begins (the reports find it by it).</summary>
    public const string NotePrefix = "paired run:";

    /// <summary>
    /// The shards to price and, for a paired run (<paramref name="against"/> set), a note saying which requests were
    /// priced and which were left out. An unpaired run's shards are returned as they are, with no note.
    /// </summary>
    public static (IReadOnlyList<ShardResult> Priced, string? Note) Select(IReadOnlyList<ShardResult> measured, string? against)
    {
        ArgumentNullException.ThrowIfNull(measured);
        if (against is null)
        {
            return (measured, null);
        }

        var candidate = measured.Where(s => s.Variant.Length == 0).ToList();
        var reference = measured.Where(s => s.Variant == PairedSchedule.ReferenceVariant).Sum(s => s.Requests);
        var note = string.Create(CultureInfo.InvariantCulture,
            $"{NotePrefix} cost prices the candidate's {candidate.Sum(s => s.Requests):N0} requests only; the reference's {reference:N0} requests ({PairedSchedule.OriginOf(against)}) are billed to the reference's app and left out");
        return (candidate, note);
    }
}
