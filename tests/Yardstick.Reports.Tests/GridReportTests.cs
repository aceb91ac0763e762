using System.Text.RegularExpressions;
using Yardstick.Core.Cost;
using Yardstick.Core.Summaries;
using Yardstick.Core.Workloads;

namespace Yardstick.Reports.Tests;

/// <summary>The heat map of a grid sweep in the HTML report: rows and columns by parameter, coloured by p95.</summary>
public sealed partial class GridReportTests
{
    /// <summary>A 2 × 3 grid: memory (rows) × concurrency (columns); p95 falls with memory and rises with concurrency.</summary>
    internal static RunReport WithGrid()
    {
        var cells = new List<VariantSummary>();
        foreach (var memory in new[] { "512", "2048" })
        {
            foreach (var concurrency in new[] { "1", "4", "16" })
            {
                var p95 = (memory == "512" ? 120 : 40) * (concurrency == "16" ? 3 : 1);
                var cost = (memory == "512" ? 1.0e-6 : 2.5e-6) / (concurrency == "1" ? 1 : 2);
                cells.Add(new VariantSummary
                {
                    Variant = $"instanceMemoryMB={memory},perInstanceConcurrency={concurrency}",
                    Settings = new Dictionary<string, string> { ["instanceMemoryMB"] = memory, ["perInstanceConcurrency"] = concurrency },
                    Requests = 1000,
                    Rounds = 2,
                    ThroughputRps = 50,
                    LatencyMs = new LatencySummary { P50 = p95 / 2.0, P95 = p95, P99 = p95 * 1.5 },
                    CostPerRequestUsd = cost,
                    Per1MRequestsUsd = cost * 1e6,
                });
            }
        }

        var strategy = new RecommendSpec { Strategy = RecommendStrategy.Balanced };
        var annotated = SweepRecommendation.Annotate(cells, 0.05, strategy);
        var choice = SweepRecommendation.Choose(annotated, 0.05, strategy);
        var report = ReportFixtures.NoBaseline();
        return report with
        {
            Candidate = report.Candidate with
            {
                Variants = annotated,
                SweepParameter = "instanceMemoryMB × perInstanceConcurrency",
                SweepGrid = ["instanceMemoryMB", "perInstanceConcurrency"],
                Recommendation = new RecommendationSummary { Strategy = "balanced", Variant = choice.Recommended!.Variant, Rule = choice.Rule },
            },
        };
    }

    [Fact]
    public void Html_Grid_HasAHeatMapWithOneCellPerCombination_ColouredFastestGreenSlowestRed()
    {
        var html = HtmlReport.Render(WithGrid());

        Assert.Contains("data-chart=\"heatmap\"", html, StringComparison.Ordinal);
        Assert.Contains("6 cells of the grid <code>" + System.Net.WebUtility.HtmlEncode("instanceMemoryMB × perInstanceConcurrency") + "</code>", html, StringComparison.Ordinal);
        var cells = HeatCell().Matches(html).Select(m => (Hue: int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), Variant: m.Groups[2].Value, P95: m.Groups[3].Value)).ToList();
        Assert.Equal(6, cells.Count);

        // Rows are memory, columns concurrency, in workload order.
        Assert.Equal(
            ["instanceMemoryMB=512,perInstanceConcurrency=1", "instanceMemoryMB=512,perInstanceConcurrency=4", "instanceMemoryMB=512,perInstanceConcurrency=16",
             "instanceMemoryMB=2048,perInstanceConcurrency=1", "instanceMemoryMB=2048,perInstanceConcurrency=4", "instanceMemoryMB=2048,perInstanceConcurrency=16"],
            cells.Select(c => c.Variant));
        Assert.Equal(120, cells.Single(c => c.P95 == "40" && c.Variant.EndsWith("=1", StringComparison.Ordinal)).Hue);
        Assert.Equal(0, cells.Single(c => c.P95 == "360").Hue);
        Assert.InRange(cells.Single(c => c.P95 == "120" && c.Variant.StartsWith("instanceMemoryMB=2048", StringComparison.Ordinal)).Hue, 1, 119);

        // The recommended cell is outlined, and the rule sentence is in the section.
        var recommended = WithGrid().Candidate.Recommendation!;
        Assert.Contains($"heat-recommended\" style=\"background: hsl(", html, StringComparison.Ordinal);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(recommended.Rule), html, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_OneParameterSweep_HasNoHeatMap()
    {
        Assert.DoesNotContain("data-chart=\"heatmap\"", HtmlReport.Render(SweepReportTests.WithSweep()), StringComparison.Ordinal);
    }

    [GeneratedRegex("<td class=\"num heat[^\"]*\" style=\"background: hsl\\((\\d+), 70%, 82%\\)\" data-variant=\"([^\"]+)\" data-p95=\"([^\"]+)\">")]
    private static partial Regex HeatCell();
}
