using Yardstick.Core.Verdicts;

namespace Yardstick.Core.Tests.Verdicts;

public sealed class ThresholdParserTests
{
    [Theory]
    [InlineData("p(95) < 200ms", "p95", ThresholdOperator.LessThan, 200)]
    [InlineData("p(99.9) <= 1s", "p99.9", ThresholdOperator.LessOrEqual, 1000)]
    [InlineData("p95<200ms", "p95", ThresholdOperator.LessThan, 200)]
    [InlineData("p( 50 ) < 1.5s", "p50", ThresholdOperator.LessThan, 1500)]
    [InlineData("max < 2s", "max", ThresholdOperator.LessThan, 2000)]
    [InlineData("avg < 50ms", "mean", ThresholdOperator.LessThan, 50)]
    [InlineData("mean < 500us", "mean", ThresholdOperator.LessThan, 0.5)]
    [InlineData("min > 250µs", "min", ThresholdOperator.GreaterThan, 0.25)]
    [InlineData("med < 1m", "p50", ThresholdOperator.LessThan, 60_000)]
    [InlineData("errorRate < 0.1%", "errorRate", ThresholdOperator.LessThan, 0.001)]
    [InlineData("errorRate < 0.001", "errorRate", ThresholdOperator.LessThan, 0.001)]
    [InlineData("rps > 500", "rps", ThresholdOperator.GreaterThan, 500)]
    [InlineData("rps >= 500/s", "rps", ThresholdOperator.GreaterOrEqual, 500)]
    [InlineData("coldStartP50 < 1500ms", "coldStartP50", ThresholdOperator.LessThan, 1500)]
    [InlineData("costPerRequest < 0.000002", "costPerRequest", ThresholdOperator.LessThan, 0.000002)]
    [InlineData("costPerRequest < 2e-6", "costPerRequest", ThresholdOperator.LessThan, 0.000002)]
    [InlineData("droppedArrivals <= 0", "droppedArrivals", ThresholdOperator.LessOrEqual, 0)]
    public void TryParse_Valid_NormalisesMetricAndValue(string text, string metric, ThresholdOperator op, double value)
    {
        Assert.True(ThresholdParser.TryParse(text, out var threshold, out var error), error);

        Assert.Equal(metric, threshold!.Metric);
        Assert.Equal(op, threshold.Operator);
        Assert.Equal(value, threshold.Value, 1e-12);
        Assert.Equal(text.Trim(), threshold.Text);
        Assert.Null(error);
    }

    [Theory]
    [InlineData("", "the threshold is empty")]
    [InlineData("p95 below 200ms", "is not a threshold; write metric, operator and value")]
    [InlineData("droppedArrivals == 0", "operator '==' is not supported; use <, <=, > or >= (for example 'droppedArrivals <= 0')")]
    [InlineData("p(95) != 200ms", "operator '!=' is not supported")]
    [InlineData("p(95) => 200ms", "operator '=>' is not supported")]
    [InlineData("p(95) < 200", "p95 needs a time unit: us, ms, s or m (for example 200ms)")]
    [InlineData("p(95) < 200kb", "'kb' is not a time unit for p95")]
    [InlineData("p(101) < 1s", "percentile 101 is outside (0, 100]")]
    [InlineData("errorRate < 2", "above 100 %")]
    [InlineData("errorRate < 5ms", "'ms' does not apply to errorRate")]
    [InlineData("rps > 5ms", "'ms' does not apply to rps")]
    [InlineData("errRate < 1%", "unknown metric 'errRate'; did you mean 'errorRate'?")]
    [InlineData("latency < 1s", "unknown metric 'latency'; known: p(N), max")]
    [InlineData("costPerRequest < 1ms", "'ms' does not apply to costPerRequest")]
    public void TryParse_Invalid_SaysWhatToWrite(string text, string message)
    {
        Assert.False(ThresholdParser.TryParse(text, out var threshold, out var error));

        Assert.Null(threshold);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Invalid_ThrowsInputExceptionNamingTheField()
    {
        var ex = Assert.Throws<InputException>(() => ThresholdParser.Parse("p(95) = 1s", "thresholds[2]"));

        Assert.Equal("thresholds[2]", ex.Field);
        Assert.Contains("operator '='", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Valid_ThresholdEvaluates()
    {
        var threshold = ThresholdParser.Parse("p(95) < 200ms");

        Assert.True(threshold.IsSatisfiedBy(199.9));
        Assert.False(threshold.IsSatisfiedBy(200));
    }
}
