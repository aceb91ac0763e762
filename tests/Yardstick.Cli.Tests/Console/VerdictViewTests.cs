using Spectre.Console;
using Yardstick.Cli.Console;
using Yardstick.Core.Summaries;

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

    [Fact]
    public void Render_QuantilesWithTailSamples_PrintsTheLine()
    {
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
        console.Profile.Width = 200;
        var verdict = new VerdictSummary
        {
            Overall = "inconclusive",
            Explanation = "Inconclusive: p99 cannot be decided yet.",
            Metrics =
            [
                new MetricVerdictSummary { Metric = "p50", Kind = "equivalent", TailSamples = 1_000, Explanation = "" },
                new MetricVerdictSummary { Metric = "p99", Kind = "inconclusive", TailSamples = 20, Explanation = "" },
                new MetricVerdictSummary { Metric = "errorRate", Kind = "equivalent", Explanation = "" },
            ],
        };

        VerdictView.Render(console, verdict);

        Assert.Contains("tail samples behind each quantile (fewest in a compared run): p50 1,000, p99 20", output.ToString(), StringComparison.Ordinal);
    }
}
