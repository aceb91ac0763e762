using System.Diagnostics;
using System.Globalization;
using Yardstick.Core.Verdicts;

namespace Yardstick.Simulation.Tests;

/// <summary>Counts verdicts over many simulated comparisons.</summary>
public sealed class ComparisonTally
{
    private readonly Dictionary<VerdictKind, int> _overall = [];
    private readonly Dictionary<(string Metric, VerdictKind Kind), int> _metrics = [];
    private readonly List<int> _additionalRuns = [];
    private readonly Dictionary<string, List<int>> _metricAdditionalRuns = [];
    private TimeSpan _elapsed;

    public int Comparisons { get; private set; }

    /// <summary>
    /// Runs <paramref name="count"/> comparisons; <paramref name="comparison"/> gets the comparison's index (its seed) and
    /// returns one verdict per policy. Comparisons run in parallel, but each is seeded by its index and the tallies are
    /// counts, so the figures do not depend on scheduling.
    /// </summary>
    public static ComparisonTally[] Run(int count, int policies, Func<int, RunVerdict[]> comparison)
    {
        var clock = Stopwatch.StartNew();
        var verdicts = new RunVerdict[count][];
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i => verdicts[i] = comparison(i));
        var tallies = Enumerable.Range(0, policies).Select(_ => new ComparisonTally()).ToArray();
        foreach (var row in verdicts)
        {
            for (var p = 0; p < policies; p++)
            {
                tallies[p].Add(row[p]);
            }
        }

        foreach (var tally in tallies)
        {
            tally._elapsed = clock.Elapsed;
        }

        return tallies;
    }

    public void Add(RunVerdict verdict)
    {
        Comparisons++;
        _overall[verdict.Overall] = _overall.GetValueOrDefault(verdict.Overall) + 1;
        foreach (var m in verdict.Metrics)
        {
            _metrics[(m.Metric, m.Kind)] = _metrics.GetValueOrDefault((m.Metric, m.Kind)) + 1;
            if (m.AdditionalRunsNeeded is { } runs)
            {
                _metricAdditionalRuns.TryAdd(m.Metric, []);
                _metricAdditionalRuns[m.Metric].Add(runs);
            }
        }

        if (verdict.Overall == VerdictKind.Inconclusive
            && verdict.Metrics.Where(m => m.Kind == VerdictKind.Inconclusive).Max(m => m.AdditionalRunsNeeded) is { } more)
        {
            _additionalRuns.Add(more);
        }
    }

    /// <summary>Fraction of comparisons whose overall verdict is <paramref name="kind"/>.</summary>
    public double Rate(VerdictKind kind) => (double)_overall.GetValueOrDefault(kind) / Comparisons;

    /// <summary>Fraction of comparisons in which <paramref name="metric"/> got <paramref name="kind"/>.</summary>
    public double Rate(string metric, VerdictKind kind) => (double)_metrics.GetValueOrDefault((metric, kind)) / Comparisons;

    /// <summary>A few lines for the test output: overall rates, per-metric rates, median additional runs, time.</summary>
    public string Describe(string title)
    {
        string Pct(double r) => (r * 100).ToString("F2", CultureInfo.InvariantCulture) + "%";
        var kinds = new[] { VerdictKind.Regression, VerdictKind.Equivalent, VerdictKind.Improvement, VerdictKind.Inconclusive };
        var lines = new List<string>
        {
            $"{title}: {Comparisons} comparisons ({_elapsed.TotalSeconds:F1} s wall for the batch)",
            "  overall    " + string.Join("  ", kinds.Select(k => $"{k.ToWireName()} {Pct(Rate(k))}")),
        };
        foreach (var metric in _metrics.Keys.Select(k => k.Metric).Distinct())
        {
            var more = _metricAdditionalRuns.TryGetValue(metric, out var runs) ? $"  (inconclusive: median {Median(runs)} more runs)" : "";
            lines.Add($"  {metric,-10} " + string.Join("  ", kinds.Select(k => $"{k.ToWireName()} {Pct(Rate(metric, k))}")) + more);
        }

        if (_additionalRuns.Count > 0)
        {
            lines.Add($"  inconclusive overall: median {Median(_additionalRuns)} more runs per side (the most any metric needs)");
        }

        lines.Add($"  overall regression verdicts {Pct(Rate(VerdictKind.Regression))} (95 % Wilson interval {Interval(VerdictKind.Regression)})");
        return string.Join(Environment.NewLine, lines);
    }

    private string Interval(VerdictKind kind)
    {
        var ci = Core.Statistics.WilsonScoreInterval.Compute(_overall.GetValueOrDefault(kind), Comparisons, 0.95);
        return $"{ci.Lower * 100:F2}% … {ci.Upper * 100:F2}%";
    }

    private static int Median(List<int> values) => values.Order().ElementAt(values.Count / 2);
}
