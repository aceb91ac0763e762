using Spectre.Console;
using Xunit.Abstractions;
using Yardstick.Cli.Console;
using Yardstick.Core.Cost;
using Yardstick.Core.Summaries;
using Yardstick.Core.Workloads;

namespace Yardstick.Cli.Tests.Console;

public sealed class SweepViewTests(ITestOutputHelper output)
{
    private static readonly SweepSpec Sweep = new() { Parameter = "appSetting:YARDSTICK_EXTRA_LATENCY_MS", Values = ["0", "10", "30"] };

    [Fact]
    public void Render_ThreeVariantsOnAnEightyColumnTerminal_OneLinePerVariantWithTheRecommendation()
    {
        var text = Render(Summary(), width: 80);

        var lines = text.Split('\n');
        Assert.All(lines, l => Assert.True(l.TrimEnd().Length <= 80, $"too wide: '{l}'"));
        var rows = lines.Where(l => l.TrimStart().StartsWith("0 ", StringComparison.Ordinal) || l.TrimStart().StartsWith("10 ", StringComparison.Ordinal) || l.TrimStart().StartsWith("30 ", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, rows.Count);
        Assert.Contains(" 9.4 ", rows[0], StringComparison.Ordinal);
        Assert.Contains("4.4–11.8", rows[0], StringComparison.Ordinal);
        Assert.Contains("$0.4000", rows[0], StringComparison.Ordinal);
        Assert.Contains("★", rows[0], StringComparison.Ordinal);
        Assert.DoesNotContain("★", rows[2], StringComparison.Ordinal);
        Assert.Contains("Recommended: appSetting:YARDSTICK_EXTRA_LATENCY_MS = 0 · The cheapest variant whose p95 is within 5 %", text.ReplaceLineEndings(" ").Replace("  ", " ", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("Fastest: 0 (p95 9.41 ms, $0.4000 per 1M requests)", text, StringComparison.Ordinal);
        Assert.Contains("Cheapest: 0 ($0.4000 per 1M requests, p95 9.41 ms)", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_FailingVariant_IsNamedAsNotRecommended()
    {
        var summary = Summary();
        summary = summary with { Variants = SweepRecommendation.Annotate([.. summary.Variants.Take(2), summary.Variants[2] with { LatencyMs = new LatencySummary { P95 = 1 }, Errors = 40, ErrorRate = 0.5 }], 0.05) };

        var text = Render(summary, width: 120);

        Assert.Contains("Not recommended because of errors", text, StringComparison.Ordinal);
        Assert.Contains("40 (50.0%)", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_NoVariants_SaysSo()
    {
        Assert.Contains("No variant results were stored", Render(Summary() with { Variants = [] }, width: 80), StringComparison.Ordinal);
    }

    private string Render(RunSummary summary, int width)
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = AnsiSupport.No,
            Interactive = InteractionSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
        });
        console.Profile.Width = width;
        SweepView.Render(console, summary, Sweep, margin: 0.05);
        output.WriteLine(writer.ToString());
        return writer.ToString();
    }

    /// <summary>The figures of a local smoke sweep (workloads/sweep-local.yaml), with its per-round p95s.</summary>
    private static RunSummary Summary()
    {
        VariantSummary Variant(string name, double p50, double p95, double p99) => new()
        {
            Variant = name,
            Requests = 120,
            Rounds = 2,
            ThroughputRps = 20,
            LatencyMs = new LatencySummary { P50 = p50, P95 = p95, P99 = p99 },
            CostPerRequestUsd = 4e-7,
            Per1MRequestsUsd = 0.4,
        };

        RoundSummary Round(int round, string variant, double p95) => new() { Round = round, Variant = variant, Requests = 60, LatencyMs = new LatencySummary { P95 = p95 } };

        return new RunSummary
        {
            RunId = "20261129-102226-a255e4",
            Workload = "sweep-local",
            Status = "completed",
            LatencyMs = new LatencySummary(),
            SchedulingLagMs = new LagSummary(),
            Variants = SweepRecommendation.Annotate([Variant("0", 1.42, 9.41, 13.41), Variant("10", 13.47, 25.34, 39.14), Variant("30", 33.06, 39.33, 44.42)], 0.05),
            Rounds = [Round(0, "0", 4.42), Round(0, "10", 20.85), Round(0, "30", 37.6), Round(1, "0", 11.77), Round(1, "10", 26.06), Round(1, "30", 39.33)],
            SweepParameter = Sweep.Parameter,
        };
    }
}
