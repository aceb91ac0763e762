using System.Runtime.CompilerServices;
using Yardstick.Core.Statistics;
using Yardstick.Core.Verdicts;

namespace Yardstick.Simulation.Tests;

/// <summary>Generates <see cref="RunMetrics"/> from a <see cref="NoiseModel"/>; seeded, hence reproducible.</summary>
public sealed class RunGenerator
{
    private static readonly double[] Probabilities = [0.50, 0.90, 0.95, 0.99];
    private readonly NoiseModel _model;
    private readonly SimulationRandom _random;
    private readonly int _minIndex;
    private readonly double[] _bucketValues;
    private readonly long[] _runCounts;
    private readonly int[] _windowIndices;
    private int _runs;

    public RunGenerator(NoiseModel model, int seed)
    {
        _model = model;
        _random = new SimulationRandom(seed);

        // Bucket range: the median ± 12 request σ and ± 50 % of run/window shifts; values outside are clamped.
        var spread = (12 * model.RequestLogSigma) + 0.7;
        _minIndex = (int)Math.Floor((Math.Log(model.MedianLatencyMs) - spread) / model.BucketLogWidth);
        var maxIndex = (int)Math.Ceiling((Math.Log(model.MedianLatencyMs) + spread + Math.Log(4)) / model.BucketLogWidth);
        _bucketValues = Enumerable.Range(_minIndex, maxIndex - _minIndex + 1).Select(i => Math.Exp((i + 0.5) * model.BucketLogWidth)).ToArray();
        _runCounts = new long[_bucketValues.Length];
        _windowIndices = new int[(int)(model.RequestsPerSecond + (20 * Math.Sqrt(model.RequestsPerSecond)) + 10)];
    }

    /// <summary>A batch of runs of the same build.</summary>
    public List<RunMetrics> Runs(int count, double latencyFactor = 1, double errorFactor = 1) =>
        Enumerable.Range(0, count).Select(_ => Run(latencyFactor, errorFactor)).ToList();

    /// <summary>One run; <paramref name="latencyFactor"/> scales every latency (1.10 = a 10 % regression of every percentile).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public RunMetrics Run(double latencyFactor = 1, double errorFactor = 1)
    {
        var m = _model;
        var runShift = Math.Log(latencyFactor) + (m.RunShiftSigma * Gaussian());
        var errorShift = Math.Log(errorFactor) + (m.ErrorRunSigma * Gaussian());
        var innovation = Math.Sqrt(1 - (m.WindowRho * m.WindowRho));
        var latencyEffect = m.WindowSigma * Gaussian();
        var errorEffect = m.ErrorWindowSigma * Gaussian();
        var logMedian = Math.Log(m.MedianLatencyMs);

        // Mean-preserving log-normal modulation of the error probability (E[exp(X - σ²/2)] = 1).
        var errorSigma2 = (m.ErrorRunSigma * m.ErrorRunSigma) + (m.ErrorWindowSigma * m.ErrorWindowSigma);
        var windows = new WindowSample[m.Seconds];
        Array.Clear(_runCounts);
        long requests = 0, errors = 0;
        for (var t = 0; t < m.Seconds; t++)
        {
            if (t > 0)
            {
                latencyEffect = (m.WindowRho * latencyEffect) + (innovation * m.WindowSigma * Gaussian());
                errorEffect = (m.WindowRho * errorEffect) + (innovation * m.ErrorWindowSigma * Gaussian());
            }

            var n = Math.Clamp((int)Math.Round(m.RequestsPerSecond + (Math.Sqrt(m.RequestsPerSecond) * Gaussian())), 0, _windowIndices.Length);
            var p = Math.Min(1, m.ErrorRate * Math.Exp(errorShift + errorEffect - (errorSigma2 / 2)));
            var location = logMedian + runShift + latencyEffect;
            for (var i = 0; i < n; i++)
            {
                var index = (int)Math.Floor((location + (m.RequestLogSigma * Gaussian())) / m.BucketLogWidth) - _minIndex;
                _windowIndices[i] = Math.Clamp(index, 0, _bucketValues.Length - 1);
            }

            Array.Sort(_windowIndices, 0, n);
            var buckets = new List<LatencyBucket>(n);
            for (var i = 0; i < n;)
            {
                var j = i;
                while (j < n && _windowIndices[j] == _windowIndices[i])
                {
                    j++;
                }

                buckets.Add(new LatencyBucket(_bucketValues[_windowIndices[i]], j - i));
                _runCounts[_windowIndices[i]] += j - i;
                i = j;
            }

            var e = Binomial(n, p);
            windows[t] = new WindowSample(n, e, buckets);
            requests += n;
            errors += e;
        }

        var quantiles = new double[Probabilities.Length];
        BucketQuantileEstimator.QuantilesSorted(_bucketValues, _runCounts.Select(c => (double)c).ToArray(), Probabilities, quantiles);
        var values = new Dictionary<string, double>
        {
            [MetricKeys.P50] = quantiles[0],
            [MetricKeys.P90] = quantiles[1],
            [MetricKeys.P95] = quantiles[2],
            [MetricKeys.P99] = quantiles[3],
            [MetricKeys.ErrorRate] = requests > 0 ? (double)errors / requests : 0,
            [MetricKeys.Throughput] = (double)requests / m.Seconds,
        };
        return new RunMetrics($"sim-{++_runs}", values, windows);
    }

    /// <summary>Binomial(n, p) by inversion of the CDF with one uniform (cheap for the small n·p of error counts).</summary>
    private long Binomial(int n, double p)
    {
        if (p <= 0 || n == 0)
        {
            return 0;
        }

        if (p >= 1)
        {
            return n;
        }

        var u = _random.NextDouble();
        var q = 1 - p;
        var pmf = Math.Pow(q, n);
        var cdf = pmf;
        var k = 0;
        while (u > cdf && k < n)
        {
            pmf *= (n - k) / (double)(k + 1) * (p / q);
            cdf += pmf;
            k++;
        }

        return k;
    }

    private double Gaussian() => _random.Gaussian();
}
