using Yardstick.Cli.Console;

namespace Yardstick.Cli.Tests.Console;

/// <summary>Units of the values the CLI's verdict and threshold tables print.</summary>
public sealed class VerdictViewTests
{
    [Theory]
    [InlineData("checks", 0.996, "99.6 %")]
    [InlineData("items.checks", 1.0, "100 %")]
    [InlineData("items.errorRate", 0.25, "25 %")]
    [InlineData("errorRate", 0.001, "0.1 %")]
    [InlineData("items.rps", 50.0, "50.0 req/s")]
    [InlineData("p95", 12.5, "12.5 ms")]
    [InlineData("items.p95", 170.0, "170 ms")]
    public void Value_ByMetric_WritesItsUnit(string metric, double value, string expected) => Assert.Equal(expected, VerdictView.Value(metric, value));
}
