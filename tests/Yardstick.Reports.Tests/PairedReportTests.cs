using System.Globalization;
using System.Xml.Linq;
using Xunit.Abstractions;
using Yardstick.Core.Summaries;
using Yardstick.Core.Verdicts;
using Yardstick.Reports;

namespace Yardstick.Reports.Tests;

/// <summary>A paired A/B run's report: both sides' rounds on one time axis (HTML chart, Markdown table).</summary>
public sealed class PairedReportTests(ITestOutputHelper output)
{
    private const int Pairs = 6;
    private const string ReferenceGrey = "#8C959F";
    private const string CandidateBlue = "#1F6FEB";
    private static readonly DateTimeOffset Start = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Six ABBA pairs of 2 s rounds, 0.5 s apart; both sides drift up by 1 ms per pair (the candidate 10 % slower), so
    /// pair k's reference p50 is 20 + k ms and the candidate's 22 + 1.1·k ms; p95 is twice p50.
    /// </summary>
    internal static RunReport Paired(bool timed = true)
    {
        var rounds = new List<RoundSummary>();
        var at = Start;
        for (var pair = 0; pair < Pairs; pair++)
        {
            // ABBA: reference first in pairs 0, 3, 4; candidate first in 1, 2, 5.
            var referenceFirst = pair is 0 or 3 or 4;
            foreach (var reference in referenceFirst ? new[] { true, false } : [false, true])
            {
                var p50 = reference ? 20.0 + pair : 22.0 + (1.1 * pair);
                rounds.Add(new RoundSummary
                {
                    Round = pair,
                    Variant = reference ? PairedSchedule.ReferenceVariant : "",
                    Requests = 200,
                    ThroughputRps = 100,
                    LatencyMs = new LatencySummary { P50 = p50, P90 = 1.8 * p50, P95 = 2 * p50, P99 = 3 * p50, Max = 4 * p50, Mean = p50 },
                    StartedAt = timed ? at : null,
                    EndedAt = timed ? at.AddSeconds(2) : null,
                });
                at = at.AddSeconds(2.5);
            }
        }

        var report = ReportFixtures.NoBaseline();
        return report with
        {
            Candidate = report.Candidate with
            {
                Against = "http://127.0.0.1:6000",
                Rounds = [.. rounds.OrderBy(r => r.Round).ThenBy(r => r.Variant, StringComparer.Ordinal)],
            },
        };
    }

    [Fact]
    public void Html_PairedRun_DrawsOneMarkerPerRoundForEachSideOnOneAxis_WithALegend()
    {
        var html = HtmlReport.Render(Paired());

        var svg = Assert.Single(HtmlReportTests.ChartSvgs(html, "paired"));
        output.WriteLine(svg.ToString());
        var texts = svg.Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value).ToList();
        Assert.Contains("Reference and candidate per round", texts);
        Assert.Contains("seconds since the first measured round", texts);
        foreach (var legend in new[] { "reference p50", "reference p95", "candidate p50", "candidate p95" })
        {
            Assert.Contains(legend, texts);
        }

        // Two series (p50, p95) per side, each with one marker per round, plus one marker per series in the legend.
        Assert.Equal((2 * Pairs) + 2, Markers(svg, ReferenceGrey));
        Assert.Equal((2 * Pairs) + 2, Markers(svg, CandidateBlue));
        Assert.Contains("6 of the reference and 6 of the candidate", html, StringComparison.Ordinal);
        Assert.Contains("the candidate's rounds only", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_PairedRun_PlacesTheSidesOnTheSameTimeAxisInTheirOrder()
    {
        var html = HtmlReport.Render(Paired());
        var svg = Assert.Single(HtmlReportTests.ChartSvgs(html, "paired"));

        // The rounds alternate in time, so the markers' x positions of the two sides interleave: the first of each pair
        // (by the ABBA order) lies left of the second, and every reference marker is on the axis the candidate's use.
        var reference = MarkerXs(svg, ReferenceGrey);
        var candidate = MarkerXs(svg, CandidateBlue);
        Assert.Equal(Pairs, reference.Count);
        Assert.Equal(Pairs, candidate.Count);
        bool[] referenceFirst = [true, false, false, true, true, false];
        for (var pair = 0; pair < Pairs; pair++)
        {
            Assert.True(referenceFirst[pair] == reference[pair] < candidate[pair], $"pair {pair}: reference x {reference[pair]}, candidate x {candidate[pair]}");
        }

        Assert.True(reference[^1] > candidate[0] && candidate[^1] > reference[0], "the two series do not share the time axis");
    }

    [Fact]
    public void Html_UnpairedOrUntimedRun_HasNoPairedChart()
    {
        Assert.DoesNotContain("data-chart=\"paired\"", HtmlReport.Render(ReportFixtures.Regression()), StringComparison.Ordinal);
        // Summaries written before rounds carried their times: the rounds table only.
        Assert.DoesNotContain("data-chart=\"paired\"", HtmlReport.Render(Paired(timed: false)), StringComparison.Ordinal);
    }

    [Fact]
    public void Markdown_PairedRun_HasOneRowPerPairWithBothSidesInTimeOrder()
    {
        var md = MarkdownReport.Render(Paired());

        var lines = md.Split('\n');
        var header = Array.FindIndex(lines, l => l.StartsWith("| Pair | Starts at | First |", StringComparison.Ordinal));
        Assert.True(header >= 0, md);
        var rows = lines.Skip(header + 2).TakeWhile(l => l.StartsWith('|')).ToList();
        Assert.Equal(Pairs, rows.Count);
        Assert.Equal("| 1 | 0.0 s | reference | 20.0 ms · 40.0 ms | 22.0 ms · 44.0 ms |", rows[0]);
        Assert.Equal("| 2 | 5.0 s | candidate | 21.0 ms · 42.0 ms | 23.1 ms · 46.2 ms |", rows[1]);
        Assert.StartsWith("| 6 | 25 s | candidate | 25.0 ms · 50.0 ms |", rows[5], StringComparison.Ordinal);
        Assert.DoesNotContain("| Pair | Starts at", MarkdownReport.Render(ReportFixtures.Regression()), StringComparison.Ordinal);
    }

    [Fact]
    public void Reports_PairedRunCost_SayTheCandidatesRequestsOnly()
    {
        const string note = "paired run: cost prices the candidate's 1,200 requests only; the reference's 1,200 requests (http://127.0.0.1:6000) are billed to the reference's app and left out";
        var figures = new CostFigures { TotalUsd = 6e-4, PerRequestUsd = 5e-7, Per1MRequestsUsd = 0.5 };
        var paired = Paired();
        var summary = paired.Candidate with
        {
            Cost = new CostSummary { Plan = "flexConsumption", Region = "eastus", Source = "modeled", Modeled = figures, Notes = ["flex: instance active time from the busy intervals", note] },
        };
        var report = paired with { Candidate = summary, Cost = CostView.From(summary) };

        Assert.StartsWith(note, report.Cost!.Note, StringComparison.Ordinal);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(note), HtmlReport.Render(report), StringComparison.Ordinal);
        var line = Assert.Single(MarkdownReport.Render(report).Split('\n'), l => l.StartsWith("- **Cost**", StringComparison.Ordinal));
        Assert.EndsWith("· the candidate's requests only (the reference's are not priced)", line, StringComparison.Ordinal);

        var unpaired = report with { Candidate = summary with { Against = null } };
        Assert.DoesNotContain("the candidate's requests only", MarkdownReport.Render(unpaired), StringComparison.Ordinal);
    }

    /// <summary>Markers filled in <paramref name="color"/>: ScottPlot draws each as one rect (square) or ellipse (circle).</summary>
    private static int Markers(XElement svg, string color) => MarkerCentres(svg, color).Count;

    private static List<(double X, double Y)> MarkerCentres(XElement svg, string color) =>
        svg.Descendants()
            .Where(e => string.Equals((string?)e.Attribute("fill"), color, StringComparison.OrdinalIgnoreCase))
            .Select(e => e.Name.LocalName switch
            {
                "rect" => ((double?)(Number(e, "x") + (Number(e, "width") / 2)), (double?)(Number(e, "y") + (Number(e, "height") / 2))),
                "ellipse" => (Number(e, "cx"), Number(e, "cy")),
                _ => (null, null),
            })
            .Where(c => c.Item1 is not null)
            .Select(c => (c.Item1!.Value, c.Item2!.Value))
            .ToList();

    /// <summary>
    /// The x centres of the data markers in <paramref name="color"/>, left to right, one per round: the legend (drawn
    /// below the data area) holds the lowest markers, one per series; p50 and p95 of a round share an x.
    /// </summary>
    private static List<double> MarkerXs(XElement svg, string color)
    {
        var centres = MarkerCentres(svg, color);
        var legendY = centres.Max(c => c.Y);
        return centres.Where(c => c.Y < legendY - 1).Select(c => Math.Round(c.X, 1)).Distinct().Order().ToList();
    }

    private static double Number(XElement element, string attribute) =>
        double.Parse((string?)element.Attribute(attribute) ?? "NaN", CultureInfo.InvariantCulture);
}
