using System.Globalization;

namespace Yardstick.Core.Measurements;

/// <summary>The widest start spread of one round: how long after the round's first shard its last one began.</summary>
/// <param name="Round">The round (and <paramref name="Variant"/>, in sweeps).</param>
/// <param name="Variant">The sweep variant, or empty.</param>
/// <param name="LateShard">The shard that began last.</param>
/// <param name="Spread">Its start delay minus the earliest start delay of the round.</param>
public sealed record ShardStartSpread(int Round, string Variant, int LateShard, TimeSpan Spread);

/// <summary>
/// Whether the shards of each round ran together. Shards that begin late re-base their own timelines, so lateness
/// alone costs nothing; what distorts a round is shards that began at different times (one shard re-delivered after a
/// worker died, shards that waited for an instance to be added): for a while the target saw only part of the load.
/// A round whose spread passes the tolerance makes the run <c>degraded</c>, with the spread in the summary.
/// </summary>
public static class ShardStartAlignment
{
    /// <summary>The round with the widest spread of shard start delays, or null with fewer than two shards in every round.</summary>
    public static ShardStartSpread? Widest(IEnumerable<ShardResult> results)
    {
        ShardStartSpread? widest = null;
        foreach (var round in results.GroupBy(r => (r.Round, r.Variant)))
        {
            var shards = round.ToList();
            if (shards.Count < 2)
            {
                continue;
            }

            var earliest = shards.Min(s => s.StartDelay);
            var late = shards.MaxBy(s => s.StartDelay)!;
            var spread = late.StartDelay - earliest;
            if (widest is null || spread > widest.Spread)
            {
                widest = new ShardStartSpread(round.Key.Round, round.Key.Variant, late.ShardIndex, spread);
            }
        }

        return widest;
    }

    /// <summary>Why the run is degraded when <paramref name="widest"/> is wider than <paramref name="tolerance"/>; null otherwise.</summary>
    public static string? Check(ShardStartSpread? widest, TimeSpan tolerance)
    {
        if (widest is null || widest.Spread <= tolerance)
        {
            return null;
        }

        var round = widest.Variant.Length == 0 ? $"round {widest.Round}" : $"round {widest.Round} ({widest.Variant})";
        return string.Create(
            CultureInfo.InvariantCulture,
            $"shards did not start together: in {round} shard {widest.LateShard} began {widest.Spread.TotalSeconds:0.0##} s after the first (tolerance {tolerance.TotalSeconds:0.0##} s)");
    }
}
