using System.Globalization;

namespace Yardstick.Core.Verdicts;

/// <summary>The outcome of one absolute threshold.</summary>
/// <param name="Threshold">The threshold as parsed.</param>
/// <param name="Actual">The measured value, or null when the run did not measure the metric.</param>
/// <param name="Passed">Whether the threshold holds; a missing metric does not pass.</param>
/// <param name="Explanation">One sentence with the value and the bound.</param>
public sealed record ThresholdResult(Threshold Threshold, double? Actual, bool Passed, string Explanation);

/// <summary>Checks absolute SLO thresholds (k6-style, <c>p(95) &lt; 200ms</c>) against a run's values, apart from any baseline.</summary>
public static class ThresholdEvaluator
{
    /// <summary>
    /// Evaluates each threshold against <paramref name="values"/> (keyed by <see cref="Threshold.Metric"/>; <c>rps</c> and
    /// <c>throughput</c> stand in for each other). A missing or non-finite value fails: an SLO that was not measured
    /// cannot be claimed to hold.
    /// </summary>
    public static IReadOnlyList<ThresholdResult> Evaluate(IReadOnlyList<Threshold> thresholds, IReadOnlyDictionary<string, double> values) =>
        thresholds.Select(t => Evaluate(t, values)).ToList();

    private static ThresholdResult Evaluate(Threshold threshold, IReadOnlyDictionary<string, double> values)
    {
        if (threshold.Metric == MetricKeys.RecoveryTime && values.TryGetValue(MetricKeys.RecoveryTime, out var recovery) && double.IsPositiveInfinity(recovery))
        {
            // A fault that did not recover within the run is a measured result, not a missing one (Actual stays null: JSON has no infinity).
            return new ThresholdResult(threshold, null, false, $"recoveryTime: a fault did not recover within the run, required {Symbol(threshold.Operator)} {Format(threshold.Metric, threshold.Value)}: failed.");
        }

        var actual = Lookup(threshold.Metric, values);
        if (actual is null)
        {
            return new ThresholdResult(threshold, null, false, $"{threshold.Metric} was not measured in this run, so '{threshold.Text}' cannot pass: failed.");
        }

        var passed = threshold.IsSatisfiedBy(actual.Value);
        var text = $"{threshold.Metric} = {Format(threshold.Metric, actual.Value)}, required {Symbol(threshold.Operator)} {Format(threshold.Metric, threshold.Value)}: {(passed ? "passed" : "failed")}.";
        return new ThresholdResult(threshold, actual, passed, text);
    }

    private static double? Lookup(string metric, IReadOnlyDictionary<string, double> values)
    {
        foreach (var key in metric switch
        {
            "rps" => new[] { "rps", MetricKeys.Throughput },
            MetricKeys.Throughput => [MetricKeys.Throughput, "rps"],
            _ => [metric],
        })
        {
            if (values.TryGetValue(key, out var v) && double.IsFinite(v))
            {
                return v;
            }
        }

        return null;
    }

    private static string Symbol(ThresholdOperator op) => op switch
    {
        ThresholdOperator.LessThan => "<",
        ThresholdOperator.LessOrEqual => "<=",
        ThresholdOperator.GreaterThan => ">",
        ThresholdOperator.GreaterOrEqual => ">=",
        _ => op.ToString(),
    };

    private static string Format(string metric, double value) => metric switch
    {
        MetricKeys.ErrorRate => (value * 100).ToString("0.###", CultureInfo.InvariantCulture) + "%",
        _ when MetricKeys.Base(metric) == MetricKeys.Checks => (value * 100).ToString("0.###", CultureInfo.InvariantCulture) + "%",
        "rps" or MetricKeys.Throughput => value.ToString("0.#", CultureInfo.InvariantCulture) + " req/s",
        MetricKeys.CostPerRequest => value.ToString("0.##########", CultureInfo.InvariantCulture) + " USD",
        "droppedArrivals" => value.ToString("0.###", CultureInfo.InvariantCulture),
        _ => value.ToString("0.##", CultureInfo.InvariantCulture) + " ms",
    };
}
