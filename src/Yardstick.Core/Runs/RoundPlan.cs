using Yardstick.Core.Load;

namespace Yardstick.Core.Runs;

/// <summary>One measured turn of a run: which round, and which settings variant (its index in the run's variant list).</summary>
/// <param name="Round">0-based measured round.</param>
/// <param name="Variant">Index into the run's variants (0 when there is no sweep).</param>
public sealed record RoundTurn(int Round, int Variant);

/// <summary>How a run orders its variants within each round.</summary>
public enum RoundOrder
{
    /// <summary>A B C A B C: every round in workload order.</summary>
    Interleaved,

    /// <summary>Every round runs each variant once, in a seeded random order per round (C A B, B C A, …).</summary>
    Shuffled,
}

/// <summary>
/// The order of a run's measured turns: every variant once per round, rounds one after another, so whatever drifts
/// during the run lands on every variant alike. Pure and seeded: the same inputs give the same turns (Durable replay
/// and resume rely on it). Planned once (<c>PlanRunActivity</c>) and carried in the run plan, so the orchestrator only
/// walks the list.
/// </summary>
public static class RoundPlan
{
    /// <summary>The turns of <paramref name="rounds"/> rounds over <paramref name="variants"/> variants.</summary>
    /// <param name="variants">Number of variants (1 without a sweep).</param>
    /// <param name="rounds">Measured rounds (<c>compare.repeat</c>).</param>
    /// <param name="order">Order of the variants within each round.</param>
    /// <param name="seed">Seeds the per-round shuffle (ignored for <see cref="RoundOrder.Interleaved"/>).</param>
    public static IReadOnlyList<RoundTurn> Turns(int variants, int rounds, RoundOrder order, long seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(variants, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 1);
        var turns = new List<RoundTurn>(variants * rounds);
        for (var round = 0; round < rounds; round++)
        {
            var indices = Enumerable.Range(0, variants).ToArray();
            if (order == RoundOrder.Shuffled)
            {
                Shuffle(indices, Seeds.Derive(seed, round, "round-order", 0));
            }

            turns.AddRange(indices.Select(i => new RoundTurn(round, i)));
        }

        return turns;
    }

    /// <summary>Fisher–Yates with a SplitMix64 stream: stable across .NET versions, unlike <see cref="Random"/>'s unseeded algorithms.</summary>
    private static void Shuffle(int[] items, long seed)
    {
        var state = (ulong)seed;
        for (var i = items.Length - 1; i > 0; i--)
        {
            state += 0x9E3779B97F4A7C15UL;
            var z = state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            var j = (int)(z % (ulong)(i + 1));
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
