namespace Yardstick.Core.Load;

/// <summary>Deterministic seeds: the same run id, round, variant and shard always give the same seed.</summary>
public static class Seeds
{
    /// <summary>FNV-1a over the text, mixed: a stable 64-bit seed from a run id (string.GetHashCode is randomized per process).</summary>
    public static long FromText(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in text)
        {
            hash ^= c;
            hash *= 1099511628211UL;
        }

        return (long)Mix(hash);
    }

    /// <summary>A seed for one round / variant / shard derived from a base seed.</summary>
    public static long Derive(long seed, int round, string variant, int shard) =>
        (long)Mix((ulong)seed ^ Mix((ulong)round + 1) ^ Mix((ulong)FromText(variant)) ^ Mix(((ulong)shard + 1) << 20));

    /// <summary>SplitMix64 finalizer.</summary>
    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
