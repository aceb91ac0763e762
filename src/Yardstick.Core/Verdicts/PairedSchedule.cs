namespace Yardstick.Core.Verdicts;

/// <summary>
/// The order of a paired A/B gate's rounds: per pair, which side runs first. ABBA-balanced — each consecutive two pairs
/// hold one reference-first and one candidate-first pair, which of the two comes first drawn from the seed — so a
/// linear drift, and the warm-up advantage of whoever runs second, fall on both sides equally.
/// </summary>
public static class PairedSchedule
{
    /// <summary>For each of <paramref name="pairs"/> pairs, whether the reference runs first. Same seed, same order.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than one pair.</exception>
    public static IReadOnlyList<bool> ReferenceFirst(int pairs, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pairs, 1);
        var random = new Random(seed);
        var order = new List<bool>(pairs);
        while (order.Count < pairs)
        {
            var first = random.Next(2) == 0;
            order.Add(first);
            if (order.Count < pairs)
            {
                order.Add(!first);
            }
        }

        return order;
    }
}
