using Yardstick.Core.Verdicts;

namespace Yardstick.Core.Tests.Verdicts;

public sealed class ThresholdEvaluatorTests
{
    private static readonly Dictionary<string, double> Values = new()
    {
        [MetricKeys.P95] = 187.25,
        [MetricKeys.ErrorRate] = 0.0042,
        [MetricKeys.Throughput] = 512.4,
    };

    [Fact]
    public void Evaluate_LatencyBelowLimit_PassesWithExplanation()
    {
        var result = Assert.Single(ThresholdEvaluator.Evaluate([new Threshold("p(95) < 200ms", MetricKeys.P95, ThresholdOperator.LessThan, 200)], Values));

        Assert.True(result.Passed);
        Assert.Equal(187.25, result.Actual);
        Assert.Equal("p95 = 187.25 ms, required < 200 ms: passed.", result.Explanation);
    }

    [Fact]
    public void Evaluate_ErrorRateAboveLimit_Fails()
    {
        var result = Assert.Single(ThresholdEvaluator.Evaluate([new Threshold("errorRate < 0.1%", MetricKeys.ErrorRate, ThresholdOperator.LessThan, 0.001)], Values));

        Assert.False(result.Passed);
        Assert.Equal("errorRate = 0.42%, required < 0.1%: failed.", result.Explanation);
    }

    [Fact]
    public void Evaluate_RpsThreshold_ReadsThroughput()
    {
        var result = Assert.Single(ThresholdEvaluator.Evaluate([new Threshold("rps > 500", "rps", ThresholdOperator.GreaterThan, 500)], Values));

        Assert.True(result.Passed);
        Assert.Equal(512.4, result.Actual);
    }

    [Fact]
    public void Evaluate_MissingMetric_FailsAndSaysSo()
    {
        var result = Assert.Single(ThresholdEvaluator.Evaluate([new Threshold("p(99.9) <= 300ms", "p99.9", ThresholdOperator.LessOrEqual, 300)], Values));

        Assert.False(result.Passed);
        Assert.Null(result.Actual);
        Assert.Contains("p99.9 was not measured", result.Explanation);
    }

    [Fact]
    public void Evaluate_BoundaryValue_RespectsStrictAndInclusiveOperators()
    {
        var values = new Dictionary<string, double> { [MetricKeys.P95] = 200 };

        var results = ThresholdEvaluator.Evaluate(
            [new Threshold("p(95) < 200ms", MetricKeys.P95, ThresholdOperator.LessThan, 200), new Threshold("p(95) <= 200ms", MetricKeys.P95, ThresholdOperator.LessOrEqual, 200)],
            values);

        Assert.Equal([false, true], results.Select(r => r.Passed));
    }
}
