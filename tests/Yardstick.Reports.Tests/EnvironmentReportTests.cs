using Yardstick.Core.Environments;

namespace Yardstick.Reports.Tests;

/// <summary>The Environment section of report.html and the environment line of report.md.</summary>
public sealed class EnvironmentReportTests
{
    private static readonly GeneratorEnvironment Local = new()
    {
        HostKind = "local",
        Os = "linux",
        OsDescription = "Linux 6.8.0-1021-azure #25-Ubuntu SMP",
        Kernel = "6.8.0.1021",
        CpuModel = "AMD EPYC 7763 64-Core Processor",
        LogicalCores = 4,
        MemoryMB = 16_384,
        Runtime = ".NET 10.0.1",
        Architecture = "x64",
        YardstickVersion = "1.0.0+abc123",
    };

    [Fact]
    public void Render_TwoGeneratorsAndAProcessTarget_CollapsibleSectionWithShardsAndDigestLine()
    {
        var report = ReportFixtures.NoBaseline();
        report = report with
        {
            Candidate = report.Candidate with
            {
                Environment = new RunEnvironment
                {
                    Generators =
                    [
                        new GeneratorEnvironmentEntry { Environment = Local, Shards = ["m-r0-s0", "m-r0-s1"] },
                        new GeneratorEnvironmentEntry { Environment = Local with { HostKind = "functions", LogicalCores = 2, Region = "swedencentral", Sku = "FlexConsumption", InstanceMemoryMB = 2048 }, Shards = ["m-r0-s2"] },
                    ],
                    Target = new TargetEnvironment { Kind = "process", Command = "dotnet", Args = ["target.dll", "--port", "5000"], ExecutableSha256 = "0123456789abcdef" },
                },
            },
        };

        var html = HtmlReport.Render(report);
        var md = MarkdownReport.Render(report);

        Assert.Contains("<a href=\"#environment\">Environment</a>", html, StringComparison.Ordinal);
        Assert.Contains("<section id=\"environment\">", html, StringComparison.Ordinal);
        Assert.Contains("<details>\n<summary>2 generator environments (first: local ", html, StringComparison.Ordinal);
        Assert.Contains("Yardstick 1.0.0+abc123); target process dotnet (sha256 0123456789abcdef)</summary>", html, StringComparison.Ordinal);
        Assert.Contains("<dt>CPU</dt><dd>AMD EPYC 7763 64-Core Processor, 4 logical cores</dd>", html, StringComparison.Ordinal);
        Assert.Contains("<dt>Shards</dt><dd>m-r0-s0, m-r0-s1</dd>", html, StringComparison.Ordinal);
        Assert.Contains("<dt>Shards</dt><dd>m-r0-s2</dd>", html, StringComparison.Ordinal);
        Assert.Contains("<dt>Instance</dt><dd>swedencentral, FlexConsumption, 2048 MB</dd>", html, StringComparison.Ordinal);
        Assert.Contains("<dt>args</dt><dd>target.dll --port 5000</dd>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("different environment", html, StringComparison.Ordinal);

        Assert.Contains("🖥️ Environment: 2 generator environments \\(first: local · linux 6.8.0.1021 · 4 cores", md, StringComparison.Ordinal);
        Assert.DoesNotContain("different environment", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_EnvironmentDiffersFromBaseline_NoteInBothReportsAndTheSectionOpen()
    {
        var report = ReportFixtures.Regression();
        report = report with
        {
            Candidate = report.Candidate with
            {
                Environment = new RunEnvironment { Generators = [new GeneratorEnvironmentEntry { Environment = Local, Shards = ["m-r0-s0"] }] },
                Verdict = report.Candidate.Verdict! with { EnvironmentDifferences = ["logicalCores 4 vs 2", "runtime .NET 10.0.1 vs .NET 10.0.0"] },
            },
        };

        var html = HtmlReport.Render(report);
        var md = MarkdownReport.Render(report);

        Assert.Contains("Measured in a different environment than the baseline (a note, not a failure): logicalCores 4 vs 2; runtime .NET 10.0.1 vs .NET 10.0.0", html, StringComparison.Ordinal);
        Assert.Contains("<details open>", html, StringComparison.Ordinal);
        Assert.Contains("⚠️ Measured in a different environment than the baseline: logicalCores 4 vs 2; runtime .NET 10.0.1 vs .NET 10.0.0", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_SummaryWithoutEnvironment_NoSection()
    {
        var report = ReportFixtures.NoBaseline();

        Assert.DoesNotContain("id=\"environment\"", HtmlReport.Render(report), StringComparison.Ordinal);
        Assert.DoesNotContain("Environment:", MarkdownReport.Render(report), StringComparison.Ordinal);
    }
}
