using System.Runtime.CompilerServices;
namespace Yardstick.Core.Statistics;

/// <summary>
/// Circular block bootstrap (Politis &amp; Romano 1992) of a time series of length n: each replicate concatenates blocks
/// of <see cref="BlockLength"/> consecutive indices starting at uniform positions, wrapping around the end, so every
/// index is equally likely and short-range dependence inside blocks is kept. Seeded, hence reproducible.
/// </summary>
public sealed class CircularBlockBootstrap
{
    private readonly Random _random;

    public CircularBlockBootstrap(int length, int blockLength, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(blockLength, 1);
        Length = length;
        BlockLength = Math.Min(blockLength, length);
        _random = new Random(seed);
    }

    /// <summary>Number of observations in the series (and in each replicate).</summary>
    public int Length { get; }

    /// <summary>Consecutive observations per block.</summary>
    public int BlockLength { get; }

    /// <summary>Blocks per replicate: ⌈n / block length⌉, the last one cut to n mod block length when that is not 0.</summary>
    public int BlocksPerReplicate => (Length + BlockLength - 1) / BlockLength;

    /// <summary>Length of the last block of a replicate (equal to <see cref="BlockLength"/> when it divides n).</summary>
    public int LastBlockLength => Length - ((BlocksPerReplicate - 1) * BlockLength);

    /// <summary>Fills <paramref name="starts"/> (length <see cref="BlocksPerReplicate"/>) with the block starts of one replicate.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void NextStarts(Span<int> starts)
    {
        if (starts.Length != BlocksPerReplicate)
        {
            throw new ArgumentException($"Expected {BlocksPerReplicate} slots, got {starts.Length}.", nameof(starts));
        }

        for (var i = 0; i < starts.Length; i++)
        {
            starts[i] = _random.Next(Length);
        }
    }

    /// <summary>Fills <paramref name="indices"/> (length <see cref="Length"/>) with the indices of one replicate.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Resample(Span<int> indices)
    {
        if (indices.Length != Length)
        {
            throw new ArgumentException($"Expected {Length} slots, got {indices.Length}.", nameof(indices));
        }

        Span<int> starts = BlocksPerReplicate <= 256 ? stackalloc int[BlocksPerReplicate] : new int[BlocksPerReplicate];
        NextStarts(starts);
        var filled = 0;
        foreach (var start in starts)
        {
            for (var j = 0; j < BlockLength && filled < Length; j++)
            {
                indices[filled++] = (start + j) % Length;
            }
        }
    }
}
