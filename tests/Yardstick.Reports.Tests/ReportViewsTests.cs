using Yardstick.Core.Summaries;
using Yardstick.Reports;

namespace Yardstick.Reports.Tests;

public sealed class ReportViewsTests
{
    private static RunSummary Summary(ColdStartSummary? cold = null) =>
        new() { RunId = "r1", Workload = "w", Status = "completed", LatencyMs = new(), SchedulingLagMs = new(), ColdStart = cold };

    [Fact]
    public void ColdStartViewFrom_Summary_MapsFiguresAndProbes()
    {
        var cold = new ColdStartSummary
        {
            Strategy = "process",
            Cold = 2,
            Warm = 1,
            Unknown = 0,
            ColdP50Ms = 1500,
            ColdP90Ms = 1900,
            ColdMaxMs = 2000,
            WarmP50Ms = 5,
            PenaltyMs = 1495,
            Probes =
            [
                new ColdStartProbeSummary { Index = 0, Classification = "cold", InstanceId = "a", TimeToFirstSuccessMs = 1500, TotalMs = 20, WarmMs = [4, 6, 9] },
                new ColdStartProbeSummary { Index = 1, Classification = "warm", InstanceId = "a", TotalMs = 7, WarmMs = [5, 3], Excluded = true, Note = "mismatch" },
            ],
        };

        var view = ColdStartView.From(Summary(cold))!;

        Assert.Equal("process", view.Strategy);
        Assert.Equal(3, view.TotalProbes);
        Assert.Equal(1495, view.PenaltyMs);
        Assert.Equal(1, view.Probes[0].Probe);
        Assert.Equal(1500, view.Probes[0].FirstRequestMs);
        Assert.Equal(6, view.Probes[0].WarmP50Ms);
        Assert.Equal(7, view.Probes[1].FirstRequestMs);
        Assert.Equal(4, view.Probes[1].WarmP50Ms);
        Assert.Equal("mismatch", view.Probes[1].Note);
    }

    [Fact]
    public void EvictionCurve_InTheViewTheHtmlTableAndTheMarkdownLines()
    {
        var report = ReportFixtures.Regression();
        var curve = new List<EvictionPoint>
        {
            new() { IdleSeconds = 60, Cold = 0, Warm = 5, ColdShare = 0, ColdShareLow = 0, ColdShareHigh = 0.434, FirstP50Ms = 21 },
            new() { IdleSeconds = 1200, Cold = 4, Warm = 0, Unknown = 1, ColdShare = 1, ColdShareLow = 0.51, ColdShareHigh = 1, FirstP50Ms = 1840, ColdP50Ms = 1840 },
        };
        var view = ColdStartView.From(Summary(new ColdStartSummary { Strategy = "idle", Curve = curve }))!;
        Assert.Equal(curve, view.Curve);
        Assert.Empty(ColdStartView.From(Summary(new ColdStartSummary { Strategy = "restart" }))!.Curve);

        report = report with { ColdStart = report.ColdStart! with { Strategy = "idle", Curve = curve } };
        var html = HtmlReport.Render(report);
        var markdown = MarkdownReport.Render(report);

        Assert.Contains("<h3>Eviction curve</h3>", html, StringComparison.Ordinal);
        Assert.Contains("<td class=\"num\">1m</td><td class=\"num\">0 of 5</td><td class=\"num\">0 % (0–43 %)</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td class=\"num\">20m</td><td class=\"num\">4 of 4 (1 unknown)</td><td class=\"num\">100 % (51–100 %)</td>", html, StringComparison.Ordinal);
        Assert.Contains("  - after 1m idle: 0 of 5 cold (0 %, 95 % CI 0–43 %), first request p50 21 ms", markdown, StringComparison.Ordinal);
        Assert.Contains("  - after 20m idle: 4 of 4 cold (100 %, 95 % CI 51–100 %), first request p50 1840 ms, 1 unknown or failed", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("Eviction curve", HtmlReport.Render(ReportFixtures.Regression()), StringComparison.Ordinal);
    }

    [Fact]
    public void TargetChangedDuringTheRun_SaidInBothReports()
    {
        var report = ReportFixtures.Regression();
        report = report with
        {
            Candidate = report.Candidate with
            {
                Environment = new Core.Environments.RunEnvironment
                {
                    Target = new Core.Environments.TargetEnvironment { Kind = "azure", Site = "my-app" },
                    TargetChanges = ["target.maximumInstances 100 → 40"],
                },
            },
        };

        Assert.Contains("⚠️ The target changed during the run: target.maximumInstances 100 → 40", MarkdownReport.Render(report), StringComparison.Ordinal);
        Assert.Contains("The target changed during the run (the run is degraded): target.maximumInstances 100 → 40", HtmlReport.Render(report), StringComparison.Ordinal);
        Assert.DoesNotContain("The target changed during the run", MarkdownReport.Render(ReportFixtures.Regression()), StringComparison.Ordinal);
    }

    [Fact]
    public void PairedVerdict_TablesSayReference()
    {
        var report = ReportFixtures.Regression();
        var paired = report with { Candidate = report.Candidate with { Verdict = report.Candidate.Verdict! with { Reference = "https://my-app.azurewebsites.net" } } };

        Assert.Contains("| Metric | Reference | Candidate |", MarkdownReport.Render(paired), StringComparison.Ordinal);
        Assert.Contains("<th class=\"num\">Reference</th>", HtmlReport.Render(paired), StringComparison.Ordinal);
        Assert.Contains("| Metric | Baseline | Candidate |", MarkdownReport.Render(report), StringComparison.Ordinal);
    }

    [Fact]
    public void From_NoSections_Null()
    {
        Assert.Null(ColdStartView.From(Summary()));
        Assert.Null(CostView.From(Summary()));
    }

    [Fact]
    public void CostViewFrom_MeteredAndModeled_MapsBothAndNotesTheBenchmarksOwnCost()
    {
        var summary = new CostSummary
        {
            Plan = "flex",
            Region = "westeurope",
            Source = "metered",
            PerRequestUsd = 5.6e-6,
            Modeled = new CostFigures { TotalUsd = 5e-5, PerRequestUsd = 5e-6, Per1MRequestsUsd = 5, PerRequestCiLowUsd = 4e-6, PerRequestCiHighUsd = 6e-6 },
            Metered = new CostFigures { TotalUsd = 5.6e-5, PerRequestUsd = 5.6e-6, Per1MRequestsUsd = 5.6 },
            BenchmarkCostUsd = 0.001,
        };

        var view = CostView.From(new RunSummary { RunId = "r", Workload = "w", Status = "completed", LatencyMs = new(), SchedulingLagMs = new(), Cost = summary })!;

        Assert.Equal(5.6e-6, view.Metered!.PerRequest);
        Assert.Equal(6e-6, view.Modeled!.CiHigh);
        Assert.Contains("benchmark itself", view.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void CostViewFrom_ServerSection_MapsItAndKeepsTheUnavailableNoteOtherwise()
    {
        var figures = new CostFigures { TotalUsd = 0.001, PerRequestUsd = 1e-7, Per1MRequestsUsd = 0.1 };
        var server = new ServerTelemetrySummary { Requests = 10, DurationP50Ms = 40, DurationP95Ms = 90, Instances = 2 };
        var withServer = Summary() with { Cost = new CostSummary { Plan = "flexConsumption", Region = "eastus", Source = "modeled", Modeled = figures, ServerModeled = figures with { PerRequestUsd = 2e-7 }, Server = server } };
        var without = Summary() with { Cost = new CostSummary { Plan = "flexConsumption", Region = "eastus", Source = "modeled", Modeled = figures, Notes = ["server durations unavailable: HTTP 403"] } };

        var view = CostView.From(withServer)!;
        var plain = CostView.From(without)!;

        Assert.Equal(2e-7, view.ServerModeled!.PerRequest);
        Assert.Same(server, view.Server);
        Assert.Null(plain.ServerModeled);
        Assert.Contains("server durations unavailable: HTTP 403", plain.Note, StringComparison.Ordinal);
    }
}
