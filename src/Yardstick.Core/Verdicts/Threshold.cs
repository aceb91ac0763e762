namespace Yardstick.Core.Verdicts;

public enum ThresholdOperator
{
    LessThan,
    LessOrEqual,
    GreaterThan,
    GreaterOrEqual,
}

/// <summary>
/// An absolute SLO threshold, checked apart from the baseline. Written k6-style (<c>p(95) &lt; 200ms</c>,
/// <c>errorRate &lt; 0.1%</c>, <c>rps &gt; 500</c>) and parsed by <c>ThresholdParser</c>.
/// </summary>
/// <param name="Text">The expression as written.</param>
/// <param name="Metric">Canonical metric: <c>p50</c>, <c>p90</c>, <c>p95</c>, <c>p99</c>, <c>p99.9</c>, <c>max</c>, <c>mean</c>,
/// <c>errorRate</c>, <c>rps</c>, <c>coldStartP50</c>, <c>costPerRequest</c>, <c>droppedArrivals</c>.</param>
/// <param name="Operator">Comparison that must hold for the threshold to pass.</param>
/// <param name="Value">Normalised bound: milliseconds for latencies, a fraction for rates, requests/s for rps, USD for cost.</param>
public sealed record Threshold(string Text, string Metric, ThresholdOperator Operator, double Value)
{
    public bool IsSatisfiedBy(double actual) => Operator switch
    {
        ThresholdOperator.LessThan => actual < Value,
        ThresholdOperator.LessOrEqual => actual <= Value,
        ThresholdOperator.GreaterThan => actual > Value,
        ThresholdOperator.GreaterOrEqual => actual >= Value,
        _ => false,
    };
}
