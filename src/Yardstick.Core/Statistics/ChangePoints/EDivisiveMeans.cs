namespace Yardstick.Core.Statistics.ChangePoints;

/// <summary>
/// E-divisive means change-point detection (Matteson &amp; James, "A Nonparametric Approach for Multiple Change Point
/// Analysis of Multivariate Data", JASA 2014), in the form MongoDB uses for its performance CI (Daly et al., "Change Point
/// Detection in Software Performance Testing", ICPE 2020) and Apache Otava (Hunter) builds on: hierarchical bisection by
/// the energy-distance divergence, each candidate tested by permutation.
/// </summary>
/// <remarks>
/// <para>For a segment Z and a split τ into X = Z[..τ) (m points) and Y = Z[τ..) (n points), with d(a, b) = |a − b|^α:
/// Ê = 2/(mn) Σ d(Xᵢ, Yⱼ) − Σ_{i&lt;k} d(Xᵢ, Xₖ)/C(m,2) − Σ_{j&lt;k} d(Yⱼ, Yₖ)/C(n,2), and Q̂ = mn/(m+n) · Ê. As in MongoDB's and
/// Otava's implementations the split's end κ is the segment's end. Every τ of a segment is evaluated in O(len²) total from
/// running sums (see <see cref="BestSplit"/>).</para>
/// <para>Each step takes the segment whose best split has the largest Q̂. Its significance is a permutation test that
/// respects the change points found so far: every permutation shuffles the points within each current segment and takes
/// the largest best-split Q̂ over all segments; p = (1 + #{permuted ≥ observed}) / (R + 1). Accepted when p ≤ α; the first
/// candidate that is not accepted ends the detection. Permutations stop early once p can no longer reach α.</para>
/// <para><b>Incremental.</b> <see cref="DetectIncremental"/> keeps every earlier change point but the last one, and re-tests
/// only the tail from there: a new night re-examines the newest segment and the one before it (so the latest change point
/// may move or vanish as data arrives), never the settled history.</para>
/// </remarks>
public static class EDivisiveMeans
{
    /// <summary>Detects every change point of <paramref name="series"/>.</summary>
    /// <exception cref="InputException">Invalid options, or a value that is not finite.</exception>
    public static ChangePointDetection Detect(IReadOnlyList<double> series, ChangePointOptions? options = null) =>
        DetectFrom(series, 0, [], options ?? new ChangePointOptions());

    /// <summary>
    /// Detects the change points of <paramref name="series"/> given those a previous detection found on a shorter prefix of
    /// it: all but the last of <paramref name="previous"/> are kept, and only the points from there on are tested again.
    /// </summary>
    /// <param name="series">The whole series (the previous one with new points appended).</param>
    /// <param name="previous">Change points of the previous detection (indices into the same series), in any order.</param>
    /// <param name="options">Detection settings; use the same ones as the previous detection.</param>
    public static ChangePointDetection DetectIncremental(IReadOnlyList<double> series, IReadOnlyList<DetectedChangePoint> previous, ChangePointOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(previous);
        var sorted = previous.Where(c => c.Index > 0 && c.Index < series.Count).OrderBy(c => c.Index).ToList();
        var settled = sorted.Count == 0 ? [] : sorted.Take(sorted.Count - 1).ToList();
        var from = settled.Count == 0 ? 0 : settled[^1].Index;
        return DetectFrom(series, from, settled, options ?? new ChangePointOptions());
    }

    private static ChangePointDetection DetectFrom(IReadOnlyList<double> series, int from, List<DetectedChangePoint> settled, ChangePointOptions options)
    {
        ArgumentNullException.ThrowIfNull(series);
        options.Validate();
        for (var i = 0; i < series.Count; i++)
        {
            if (!double.IsFinite(series[i]))
            {
                throw new InputException($"series[{i}]", "must be a finite number (leave runs without the metric out of the series).");
            }
        }

        var values = series.Skip(from).ToArray();
        var random = new SplitMixRandom(options.Seed ^ ((long)from * 0x2545F4914F6CDD1DL));
        var boundaries = new List<int> { 0, values.Length };
        var found = new List<DetectedChangePoint>();
        long drawn = 0;
        while (found.Count + settled.Count < options.MaxChangePoints)
        {
            var candidate = BestOverSegments(values, boundaries, options);
            if (candidate is not { } best)
            {
                break;
            }

            var (pValue, permutations) = PermutationPValue(values, boundaries, best.Statistic, options, random);
            drawn += permutations;
            if (pValue > options.SignificanceLevel)
            {
                break;
            }

            found.Add(new DetectedChangePoint(from + best.Index, best.Statistic, pValue));
            boundaries.Add(best.Index);
            boundaries.Sort();
        }

        var all = settled.Concat(found).OrderBy(c => c.Index).ToList();
        return new ChangePointDetection(all, from, series.Count, drawn);
    }

    /// <summary>The split with the largest Q̂ over all current segments, or null when no segment can be split.</summary>
    private static (int Index, double Statistic)? BestOverSegments(double[] values, List<int> boundaries, ChangePointOptions options)
    {
        (int Index, double Statistic)? best = null;
        for (var s = 0; s + 1 < boundaries.Count; s++)
        {
            var start = boundaries[s];
            var length = boundaries[s + 1] - start;
            if (BestSplit(values.AsSpan(start, length), options) is { } split && (best is null || split.Statistic > best.Value.Statistic))
            {
                best = (start + split.Offset, split.Statistic);
            }
        }

        return best;
    }

    private static (double PValue, int Drawn) PermutationPValue(double[] values, List<int> boundaries, double observed, ChangePointOptions options, SplitMixRandom random)
    {
        var r = options.Permutations;
        // Exceedances beyond this make p = (1 + e)/(R + 1) larger than α whatever the remaining permutations give.
        var allowed = (int)Math.Floor((options.SignificanceLevel * (r + 1)) - 1 + 1e-9);
        var shuffled = new double[values.Length];
        var exceedances = 0;
        var drawn = 0;
        while (drawn < r)
        {
            drawn++;
            Array.Copy(values, shuffled, values.Length);
            var largest = double.NegativeInfinity;
            for (var s = 0; s + 1 < boundaries.Count; s++)
            {
                var segment = shuffled.AsSpan(boundaries[s], boundaries[s + 1] - boundaries[s]);
                random.Shuffle(segment);
                if (BestSplit(segment, options) is { } split)
                {
                    largest = Math.Max(largest, split.Statistic);
                }
            }

            if (largest >= observed && ++exceedances > allowed)
            {
                break;
            }
        }

        return (exceedances > allowed ? 1.0 : (1.0 + exceedances) / (r + 1), drawn);
    }

    /// <summary>
    /// The split of <paramref name="z"/> with the largest Q̂, both sides at least the minimum segment length; null when the
    /// segment is too short. O(len²): left[t] = Σ_{i&lt;t} d(zᵢ, z_t) and right[t] = Σ_{j&gt;t} d(z_t, zⱼ) are computed once;
    /// then, moving the split from τ to τ + 1, the within-X sum grows by left[τ], the within-Y sum shrinks by right[τ], and
    /// the between sum changes by right[τ] − left[τ].
    /// </summary>
    internal static (int Offset, double Statistic)? BestSplit(ReadOnlySpan<double> z, ChangePointOptions options)
    {
        var n = z.Length;
        var min = options.MinSegmentLength;
        if (n < 2 * min)
        {
            return null;
        }

        Span<double> left = n <= 512 ? stackalloc double[n] : new double[n];
        Span<double> right = n <= 512 ? stackalloc double[n] : new double[n];
        left.Clear();
        right.Clear();
        var exponent = options.DistanceExponent;
        var within = 0.0;
        for (var i = 0; i < n; i++)
        {
            for (var j = i + 1; j < n; j++)
            {
                var d = Math.Abs(z[i] - z[j]);
                if (exponent != 1.0)
                {
                    d = Math.Pow(d, exponent);
                }

                left[j] += d;
                right[i] += d;
                within += d;
            }
        }

        double withinX = 0, withinY = within, between = 0;
        (int Offset, double Statistic)? best = null;
        for (var tau = 0; tau < n - min; tau++)
        {
            // Move point tau from Y to X.
            withinX += left[tau];
            withinY -= right[tau];
            between += right[tau] - left[tau];
            var m = tau + 1;
            if (m < min)
            {
                continue;
            }

            var k = n - m;
            var e = (2.0 * between / ((double)m * k)) - (withinX / (m * (m - 1) / 2.0)) - (withinY / (k * (k - 1) / 2.0));
            var q = (double)m * k / n * e;
            if (best is null || q > best.Value.Statistic)
            {
                best = (m, q);
            }
        }

        return best;
    }

    /// <summary>SplitMix64 (Steele, Lea &amp; Flood 2014): a fixed sequence per seed on every runtime, so detections are reproducible.</summary>
    private sealed class SplitMixRandom(long seed)
    {
        private ulong _state = (ulong)seed;

        public void Shuffle(Span<double> values)
        {
            // Fisher–Yates with Lemire's nearly divisionless bounded draw.
            for (var i = values.Length - 1; i > 0; i--)
            {
                var j = (int)(((ulong)(uint)(Next() >> 32) * (ulong)(i + 1)) >> 32);
                (values[i], values[j]) = (values[j], values[i]);
            }
        }

        private ulong Next()
        {
            var z = _state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
