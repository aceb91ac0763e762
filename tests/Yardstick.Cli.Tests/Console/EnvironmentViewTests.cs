using Spectre.Console;
using Yardstick.Cli.Console;
using Yardstick.Core.Environments;
using Yardstick.Core.Summaries;

namespace Yardstick.Cli.Tests.Console;

/// <summary>The run summary's one-line environment digest and the different-environment note.</summary>
public sealed class EnvironmentViewTests
{
    private static readonly GeneratorEnvironment Local = new()
    {
        HostKind = "local",
        Os = "linux",
        Kernel = "6.8.0.1021",
        LogicalCores = 4,
        MemoryMB = 8192,
        Runtime = ".NET 10.0.1",
        Architecture = "x64",
        YardstickVersion = "1.0.0",
    };

    [Fact]
    public void Render_WithEnvironment_OneDigestLine()
    {
        var text = Render(Summary() with { Environment = new RunEnvironment { Generators = [new GeneratorEnvironmentEntry { Environment = Local, Shards = ["m-r0-s0"] }], Target = new TargetEnvironment { Kind = "url" } } });

        var line = Assert.Single(text.Split('\n'), l => l.StartsWith("environment:", StringComparison.Ordinal));
        Assert.Equal("environment: local · linux 6.8.0.1021 · 4 cores · 8 GB · .NET 10.0.1 x64 · workstation GC · Yardstick 1.0.0; target url", line.TrimEnd());
        Assert.DoesNotContain("different environment", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_EnvironmentDiffersFromBaseline_PrintsTheNote()
    {
        var text = Render(Summary() with
        {
            Environment = new RunEnvironment { Generators = [new GeneratorEnvironmentEntry { Environment = Local, Shards = ["m-r0-s0"] }] },
            Verdict = new VerdictSummary { Overall = "equivalent", EnvironmentDifferences = ["logicalCores 4 vs 2"] },
        });

        Assert.Contains("note: measured in a different environment than the baseline: logicalCores 4 vs 2", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_OldSummaryWithoutEnvironment_NoLine()
    {
        Assert.DoesNotContain("environment:", Render(Summary()), StringComparison.Ordinal);
    }

    private static RunSummary Summary() => new()
    {
        RunId = "20261206T000000Z-abc",
        Workload = "hello",
        Status = "completed",
        Requests = 100,
        LatencyMs = new LatencySummary { P50 = 1 },
        SchedulingLagMs = new LagSummary(),
    };

    private static string Render(RunSummary summary)
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = AnsiSupport.No,
            Interactive = InteractionSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
        });
        console.Profile.Width = 400;
        SummaryView.Render(console, summary);
        return writer.ToString();
    }
}
