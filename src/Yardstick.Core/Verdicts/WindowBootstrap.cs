using System.Runtime.CompilerServices;
using Yardstick.Core.Statistics;

namespace Yardstick.Core.Verdicts;

/// <summary>
/// Circular block bootstrap of one run's per-second windows: whole windows are resampled in blocks of consecutive
/// seconds (never individual requests, which are correlated in time), the resampled windows' buckets are merged and
/// the statistics recomputed. Yields the run's point values and the bootstrap variances of the log quantiles, the
/// error rate and the log throughput.
/// </summary>
internal sealed class WindowBootstrap
{
    private WindowBootstrap(int windows, int blockLength, double[] logQuantiles, double[] logQuantileVariances, long requests, long errors, double rateVariance, double logThroughputVariance)
    {
        Windows = windows;
        BlockLength = blockLength;
        LogQuantiles = logQuantiles;
        LogQuantileVariances = logQuantileVariances;
        Requests = requests;
        Errors = errors;
        RateVariance = rateVariance;
        LogThroughput = requests > 0 ? Math.Log((double)requests / windows) : double.NaN;
        LogThroughputVariance = logThroughputVariance;
    }

    public int Windows { get; }

    public int BlockLength { get; }

    /// <summary>Batch-means style degrees of freedom of the bootstrap variances: complete blocks - 1.</summary>
    public double DegreesOfFreedom => Math.Max(1, (Windows / BlockLength) - 1);

    /// <summary>Log quantiles of the whole run, in the order of the probabilities given to <see cref="Run"/>.</summary>
    public double[] LogQuantiles { get; }

    public double[] LogQuantileVariances { get; }

    public long Requests { get; }

    public long Errors { get; }

    public double RateVariance { get; }

    public double LogThroughput { get; }

    public double LogThroughputVariance { get; }

    /// <summary>Design effect of the run's error rate: bootstrap variance over the binomial variance (at least 1).</summary>
    public double RateDesignEffect
    {
        get
        {
            if (Requests == 0 || Errors == 0 || Errors == Requests)
            {
                return 1;
            }

            var p = (double)Errors / Requests;
            return Math.Max(1, RateVariance / (p * (1 - p) / Requests));
        }
    }

    /// <summary>Resamples <paramref name="windows"/>; <paramref name="probabilities"/> ascending.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static WindowBootstrap Run(IReadOnlyList<WindowSample> windows, double[] probabilities, int replicates, int? blockLength, int seed)
    {
        var sparse = WindowRows.From(windows);
        var n = windows.Count;
        var k = probabilities.Length;
        var bootstrap = new CircularBlockBootstrap(n, blockLength ?? BlockLengthSelector.FromAutocorrelation(sparse.MeanLogLatency, sparse.MeanLogNoiseVariance), seed);

        var dense = new double[sparse.Grid.Length];
        for (var t = 0; t < n; t++)
        {
            sparse.AddTo(t, dense);
        }

        var point = new double[k];
        BucketQuantileEstimator.QuantilesSorted(sparse.Grid, dense, probabilities, point);

        var tables = k > 0 ? BlockTables.TryBuild(sparse, bootstrap.BlockLength, bootstrap.LastBlockLength) : null;
        var starts = new int[bootstrap.BlocksPerReplicate];
        var indices = new int[n];
        var quantiles = new double[k];
        var quantileStats = new RunningVariance[k];
        var rateStats = default(RunningVariance);
        var throughputStats = default(RunningVariance);
        for (var b = 0; b < replicates; b++)
        {
            long requests = 0, errors = 0;
            bootstrap.NextStarts(starts);
            for (var i = 0; i < starts.Length; i++)
            {
                var length = i == starts.Length - 1 ? bootstrap.LastBlockLength : bootstrap.BlockLength;
                for (var j = 0; j < length; j++)
                {
                    var t = (starts[i] + j) % n;
                    indices[(i * bootstrap.BlockLength) + j] = t;
                    requests += sparse.Requests[t];
                    errors += sparse.Errors[t];
                }
            }

            if (k > 0)
            {
                if (tables is not null)
                {
                    tables.Quantiles(starts, probabilities, sparse.Grid, quantiles);
                }
                else
                {
                    Array.Clear(dense);
                    foreach (var t in indices)
                    {
                        sparse.AddTo(t, dense);
                    }

                    BucketQuantileEstimator.QuantilesSorted(sparse.Grid, dense, probabilities, quantiles);
                }

                for (var j = 0; j < k; j++)
                {
                    if (quantiles[j] > 0)
                    {
                        quantileStats[j].Add(Math.Log(quantiles[j]));
                    }
                }
            }

            if (requests > 0)
            {
                rateStats.Add((double)errors / requests);
                throughputStats.Add(Math.Log((double)requests / n));
            }
        }

        return new WindowBootstrap(
            n, bootstrap.BlockLength, point.Select(v => Math.Log(v)).ToArray(), quantileStats.Select(s => s.Variance).ToArray(),
            sparse.Requests.Sum(), sparse.Errors.Sum(), rateStats.Variance, throughputStats.Variance);
    }

    /// <summary>Welford's running variance.</summary>
    private struct RunningVariance
    {
        private long _count;
        private double _mean;
        private double _m2;

        public readonly double Variance => _count > 1 ? _m2 / (_count - 1) : 0;

        public void Add(double value)
        {
            _count++;
            var delta = value - _mean;
            _mean += delta / _count;
            _m2 += delta * (value - _mean);
        }
    }

    /// <summary>
    /// For every block start, the cumulative latency counts of the block over the grid: a replicate's quantile is then
    /// a binary search whose probes sum one cell per block, exactly the quantile of the merged windows. Skipped (the
    /// caller merges windows instead) when the tables would take more than <see cref="MaxCells"/> cells.
    /// </summary>
    private sealed class BlockTables
    {
        private const long MaxCells = 1 << 22;
        private readonly int[] _full;
        private readonly int[] _last;
        private readonly int _columns;

        private BlockTables(int[] full, int[] last, int columns)
        {
            _full = full;
            _last = last;
            _columns = columns;
        }

        public static BlockTables? TryBuild(WindowRows rows, int blockLength, int lastLength)
        {
            var n = rows.Count;
            var g = rows.Grid.Length;
            if (g == 0 || (long)n * g * (lastLength == blockLength ? 1 : 2) > MaxCells)
            {
                return null;
            }

            var full = Build(rows, blockLength);
            var last = lastLength == blockLength ? full : Build(rows, lastLength);
            return full is null || last is null ? null : new BlockTables(full, last, g);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Quantiles(ReadOnlySpan<int> starts, ReadOnlySpan<double> probabilities, ReadOnlySpan<double> grid, Span<double> result)
        {
            var g = _columns;
            long total = 0;
            for (var i = 0; i < starts.Length; i++)
            {
                total += Table(i, starts.Length)[(starts[i] * g) + g - 1];
            }

            if (total == 0)
            {
                result[..probabilities.Length].Fill(double.NaN);
                return;
            }

            var lo = 0;
            for (var j = 0; j < probabilities.Length; j++)
            {
                // Same tolerance as BucketQuantileEstimator: the smallest cell whose cumulative count reaches p·N.
                var target = (probabilities[j] * total) - (1e-9 * total);
                var hi = g - 1;
                while (lo < hi)
                {
                    var mid = (lo + hi) >> 1;
                    long sum = 0;
                    for (var i = 0; i < starts.Length; i++)
                    {
                        sum += Table(i, starts.Length)[(starts[i] * g) + mid];
                    }

                    if (sum >= target)
                    {
                        hi = mid;
                    }
                    else
                    {
                        lo = mid + 1;
                    }
                }

                result[j] = grid[lo];
            }
        }

        private int[] Table(int block, int blocks) => block == blocks - 1 ? _last : _full;

        /// <summary>Row s: cumulative counts of windows s … s + length - 1 (circular), by a sliding sum.</summary>
        private static int[]? Build(WindowRows rows, int length)
        {
            var n = rows.Count;
            var g = rows.Grid.Length;
            var dense = new long[g];
            var table = new int[n * g];
            for (var j = 0; j < length; j++)
            {
                rows.AddTo(j % n, dense, 1);
            }

            for (var s = 0; s < n; s++)
            {
                long cumulative = 0;
                for (var x = 0; x < g; x++)
                {
                    cumulative += dense[x];
                    if (cumulative > int.MaxValue)
                    {
                        return null;
                    }

                    table[(s * g) + x] = (int)cumulative;
                }

                rows.AddTo(s, dense, -1);
                rows.AddTo((s + length) % n, dense, 1);
            }

            return table;
        }
    }
}
