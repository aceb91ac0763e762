using HdrHistogram;
using Yardstick.Core.Measurements;

namespace Yardstick.Testing;

/// <summary>Seeded latency histograms for tests of codecs, merges and report curves.</summary>
public static class TestHistograms
{
    /// <summary><paramref name="count"/> latencies drawn log-uniformly from 1 µs to ~20 s with <paramref name="seed"/>.</summary>
    public static LongHistogram Random(int seed, int count, LongHistogram? into = null)
    {
        var rng = new Random(seed);
        var h = into ?? LatencyHistograms.Create();
        for (var i = 0; i < count; i++)
        {
            // Log-uniform from 1 µs to ~20 s, like real latencies spread over decades.
            h.RecordValue((long)Math.Exp(rng.NextDouble() * Math.Log(20_000_000)));
        }

        return h;
    }
}
