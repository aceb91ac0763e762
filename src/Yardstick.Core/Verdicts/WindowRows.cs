using System.Runtime.CompilerServices;

namespace Yardstick.Core.Verdicts;

/// <summary>A run's windows as sparse rows over the run's sorted distinct latency values, plus per-window counts.</summary>
internal sealed class WindowRows
{
    private readonly int[][] _index;
    private readonly long[][] _count;

    private WindowRows(double[] grid, int[][] index, long[][] count, long[] requests, long[] errors, List<double> meanLogLatency, double meanLogNoiseVariance)
    {
        Grid = grid;
        _index = index;
        _count = count;
        Requests = requests;
        Errors = errors;
        MeanLogLatency = meanLogLatency;
        MeanLogNoiseVariance = meanLogNoiseVariance;
    }

    public int Count => _index.Length;

    /// <summary>Sorted distinct latency values (ms) over all windows.</summary>
    public double[] Grid { get; }

    public long[] Requests { get; }

    public long[] Errors { get; }

    /// <summary>Per-window mean log latency (windows with latencies only): the series the block length is chosen from.</summary>
    public List<double> MeanLogLatency { get; }

    /// <summary>Average sampling variance of a window's mean log latency (within-window variance / count).</summary>
    public double MeanLogNoiseVariance { get; }

    public static WindowRows From(IReadOnlyList<WindowSample> windows)
    {
        var grid = windows.SelectMany(w => w.Latency).Where(b => b.Count > 0).Select(b => b.ValueMs).Distinct().Order().ToArray();
        var index = new int[windows.Count][];
        var count = new long[windows.Count][];
        var series = new List<double>(windows.Count);
        var noise = new List<double>(windows.Count);
        for (var t = 0; t < windows.Count; t++)
        {
            var buckets = windows[t].Latency.Where(b => b.Count > 0).ToArray();
            index[t] = buckets.Select(b => Array.BinarySearch(grid, b.ValueMs)).ToArray();
            count[t] = buckets.Select(b => b.Count).ToArray();
            var total = count[t].Sum();
            if (total > 0)
            {
                var mean = buckets.Sum(b => b.Count * Math.Log(Math.Max(b.ValueMs, 1e-9))) / total;
                var spread = buckets.Sum(b => b.Count * Math.Pow(Math.Log(Math.Max(b.ValueMs, 1e-9)) - mean, 2)) / total;
                series.Add(mean);
                noise.Add(spread / total);
            }
        }

        return new WindowRows(grid, index, count, windows.Select(w => w.Requests).ToArray(), windows.Select(w => w.Errors).ToArray(), series, noise.Count > 0 ? noise.Average() : 0);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void AddTo(int window, double[] dense)
    {
        var index = _index[window];
        var count = _count[window];
        for (var i = 0; i < index.Length; i++)
        {
            dense[index[i]] += count[i];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void AddTo(int window, long[] dense, int sign)
    {
        var index = _index[window];
        var count = _count[window];
        for (var i = 0; i < index.Length; i++)
        {
            dense[index[i]] += sign * count[i];
        }
    }
}
