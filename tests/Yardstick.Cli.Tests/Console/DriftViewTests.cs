using Spectre.Console;
using Yardstick.Cli.Console;
using Yardstick.Core.Summaries;
using Yardstick.Core.Trends;

namespace Yardstick.Cli.Tests.Console;

/// <summary>How the CLI shows a drift verdict: the line under the verdict, and the trend's D marks and drift lines.</summary>
public sealed class DriftViewTests
{
    private static (IAnsiConsole Console, StringWriter Output) Console()
    {
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
        console.Profile.Width = 200;
        return (console, output);
    }

    [Fact]
    public void Verdict_WithDrift_PrintsTheDriftLine_WithoutNone()
    {
        var (console, output) = Console();
        var verdict = new VerdictSummary
        {
            Overall = "equivalent",
            Explanation = "Equivalent.",
            Drift = new DriftSummary { Explanation = "p95 crept up 12 % over 30 nights (change point at run 20261105-020000-aaaaaa)." },
        };

        VerdictView.Render(console, verdict);
        VerdictView.Render(console, verdict with { Drift = null });

        var lines = output.ToString().Split('\n');
        Assert.Single(lines, l => l.StartsWith("drift: ", StringComparison.Ordinal));
        Assert.Contains("drift: p95 crept up 12 % over 30 nights (change point at run 20261105-020000-aaaaaa).", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Trend_RunWithDrift_MarkedDAndListed()
    {
        var (console, output) = Console();
        var to = new DateTimeOffset(2026, 12, 6, 6, 0, 0, TimeSpan.Zero);
        var runs = Enumerable.Range(0, 20).Select(n => new TrendRun($"20261{n:000}-020000-abcdef", to.AddDays(-19.5 + n), "completed", "equivalent", "default", "0123456789abcdef", null, n == 19 ? "p95" : null)).ToList();
        var trend = new TrendReport
        {
            Workload = "checkout",
            From = to.AddDays(-20),
            To = to,
            Days = 20,
            RunsRead = 20,
            Runs = runs,
            Series = [new TrendSeries { Metric = "p95", Unit = "ms", HigherIsBetter = false, SettingsKey = "default", Points = runs.Select((r, i) => new TrendPoint(r.RunId, r.At, 100 + i)).ToList(), Latest = 119 }],
        };

        TrendView.Render(console, trend, "storage");

        var text = output.ToString();
        Assert.Contains($"  drift on p95: {runs[19].RunId} (2026-12-05, settings default); 'yardstick show {runs[19].RunId}' explains it.", text, StringComparison.Ordinal);
        var marks = text.Split('\n').Single(l => l.Contains('D', StringComparison.Ordinal) && l.Contains("ms, n=20", StringComparison.Ordinal));
        Assert.Single(marks, c => c == 'D');
    }
}
