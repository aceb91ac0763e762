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
            lines.Add($"  {metric,-10} " + string.Join("  ", kinds.Select(k => $"{k.ToWireName()} {Pct(Rate(metric, k))}")));
        }

        if (_additionalRuns.Count > 0)
        {
            var sorted = _additionalRuns.Order().ToArray();
            lines.Add($"  inconclusive: median {sorted[sorted.Length / 2]} more runs per side (p90 {sorted[(int)(sorted.Length * 0.9)]})");
        }

        return string.Join(Environment.NewLine, lines);
    }
}
