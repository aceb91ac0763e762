using Yardstick.Core.Faults;
using Yardstick.Reports;

namespace Yardstick.Reports.Tests;

/// <summary>A fault run in the HTML and Markdown reports: the faults marked on the per-second charts, their table and notes.</summary>
public sealed class FaultReportTests
{
    private static readonly PreFaultBand Band = new(8, 4.75, 0.79, 5.94, 0);

    private static RunReport WithFaults()
    {
        var report = ReportFixtures.NoBaseline();
        var start = DateTimeOffset.FromUnixTimeSeconds(report.Timeline[0].UnixSecond);
        IReadOnlyList<FaultRecovery> faults =
        [
            new() { Index = 0, Kind = "stall", Description = "stall 300 ms for 4s", PlannedOffsetSeconds = 8, AppliedOffsetSeconds = 7.7, AppliedAt = start.AddSeconds(7.7), ForSeconds = 4, Band = Band, RequestsDuring = 500, ErrorsDuring = 0, TimeToFirstSuccessSeconds = 0.34, TimeToRecoverSeconds = 4.75, PeakP99Ms = 317 },
            new() { Index = 1, Kind = "fail", Description = "fail 100% for 3s", PlannedOffsetSeconds = 20, AppliedOffsetSeconds = 19.8, AppliedAt = start.AddSeconds(19.8), ForSeconds = 3, Band = Band, RequestsDuring = 900, ErrorsDuring = 900, NotRecoveredReason = "did not recover within the run: no 3 seconds in a row with p99 ≤ 5.94 ms" },
            new() { Index = 2, Kind = "stall", Description = "stall 10 ms for 1s", PlannedOffsetSeconds = 25, Failure = "POST http://127.0.0.1:5087/admin/stall answered HTTP 404", NotRecoveredReason = "the fault was not applied" },
        ];
        return report with { Candidate = report.Candidate with { Faults = faults } };
    }

    [Fact]
    public void Html_FaultRun_MarksTheFaultsOnTheTimelineAndListsThem()
    {
        var html = HtmlReport.Render(WithFaults());

        Assert.Contains("<a href=\"#timeline\">Timeline and faults</a>", html, StringComparison.Ordinal);
        Assert.Contains("<h3 id=\"faults\">Faults</h3>", html, StringComparison.Ordinal);
        Assert.Contains("<code>[0] stall 300 ms for 4s</code>", html, StringComparison.Ordinal);
        Assert.Contains(">4.75 s<", html, StringComparison.Ordinal);
        Assert.Contains(">0.34 s<", html, StringComparison.Ordinal);
        Assert.Contains("r-fail\">not recovered", html, StringComparison.Ordinal);
        Assert.Contains("r-fail\">not applied", html, StringComparison.Ordinal);
        Assert.Contains("HTTP 404", html, StringComparison.Ordinal);
        Assert.Contains("p99 ≤ 5.94 ms", System.Net.WebUtility.HtmlDecode(html), StringComparison.Ordinal);

        // The legend of the per-second charts names the marks (in both the throughput and the latency chart).
        var timeline = html[html.IndexOf("<section id=\"timeline\">", StringComparison.Ordinal)..html.IndexOf("<h3 id=\"faults\">", StringComparison.Ordinal)];
        Assert.Equal(2, CountOf(timeline, "fault set off"));
        Assert.Equal(2, CountOf(timeline, "recovered"));
    }

    [Fact]
    public void Html_RunWithoutFaults_HasNoFaultTableOrMarks()
    {
        var html = HtmlReport.Render(ReportFixtures.NoBaseline());

        Assert.DoesNotContain("id=\"faults\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("fault set off", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Markdown_FaultRun_OneRowPerFault_TheBandAndTheNotes()
    {
        var md = MarkdownReport.Render(WithFaults());

        Assert.Contains("| `[0] stall 300 ms for 4s` | 7.7 s | 0 of 500 | 317 ms | 0.34 s | 4.75 s |", md, StringComparison.Ordinal);
        Assert.Contains("| `[1] fail 100% for 3s` | 19.8 s | 900 of 900 | - | - | **not recovered** |", md, StringComparison.Ordinal);
        Assert.Contains("| `[2] stall 10 ms for 1s` | - | - | - | - | **not applied** |", md, StringComparison.Ordinal);
        Assert.Contains(@"Pre-fault band: p99 ≤ 5.94 ms, errors ≤ 0 % \(median 4.75 ms, MAD 0.79 ms, 8 s before the first fault\).", md, StringComparison.Ordinal);
        Assert.Contains("- faults[1]: did not recover within the run", md, StringComparison.Ordinal);
        Assert.Contains("- faults[2]: not applied: POST", md, StringComparison.Ordinal);
    }

    [Fact]
    public void FaultText_Line_SaysWhatHappened()
    {
        var faults = WithFaults().Candidate.Faults!;

        Assert.Equal("faults[0] stall 300 ms for 4s at 7.7 s: 0 of 500 errors, first success 0.34 s, recovered 4.75 s", FaultText.Line(faults[0]));
        Assert.StartsWith("faults[1] fail 100% for 3s at 19.8 s: 900 of 900 errors, first success -, not recovered: did not recover", FaultText.Line(faults[1]), StringComparison.Ordinal);
    }

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
