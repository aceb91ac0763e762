using System.Globalization;
using System.Text.Json;
using Xunit.Abstractions;
using Yardstick.Core;
using Yardstick.Core.Summaries;
using Yardstick.Core.Runs;
using Yardstick.SampleTarget;
using Yardstick.Testing;

namespace Yardstick.Cli.Tests.EndToEnd;

/// <summary>
/// The deploy-pipeline gate end to end on the local host: a baseline measured against the sample target and promoted,
/// then candidates gated against it — 20 ms slower (regression, exit 1), unchanged (not a regression, exit 0) and
/// deliberately tiny (inconclusive, exit 4 with --fail-on-inconclusive, 0 without). Real Durable engine on Azurite, real
/// HTTP on loopback; runs are short (1–4 s measured at 20–150 req/s).
/// </summary>
public sealed class GateTests(AzuriteFixture azurite, ITestOutputHelper output) : IClassFixture<AzuriteFixture>, IAsyncLifetime, IDisposable
{
    private readonly CliHarness _cli = new(azurite, output);
    private SampleTargetHost _fast = null!;
    private SampleTargetHost _slow = null!;

    public async Task InitializeAsync()
    {
        // The "build" under test does about 5 ms of work per request; the slower build 20 ms more. A few ms of server time
        // keep the median about the target rather than about this machine's scheduler, which on a busy shared 2-core box
        // moves a sub-millisecond loopback median threefold between runs a minute apart (measured: 1.5 vs 0.44 ms).
        _fast = await SampleTargetHost.StartAsync(new SampleTargetOptions { Urls = "http://127.0.0.1:0", ExtraLatencyMs = 5 });
        _slow = await SampleTargetHost.StartAsync(new SampleTargetOptions { Urls = "http://127.0.0.1:0", ExtraLatencyMs = 25 });
    }

    public async Task DisposeAsync()
    {
        await _fast.DisposeAsync();
        await _slow.DisposeAsync();
    }

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Gate_AgainstPromotedBaseline_UnchangedCandidateExits0_SlowerCandidateExits1()
    {
        // Ten 0.4 s rounds per run (4 s measured): each round is one run-level sample, and with ten per side the engine
        // uses its rank method (Hodges–Lehmann ratio, Mann–Whitney interval), which a round stalled by a busy machine
        // cannot sway the way it sways a mean. Gated: p50 and the error rate with a 50 % margin. The tails of 60-request
        // rounds on a shared machine measure its scheduling stalls (generator lag p99 of 0.5–0.9 s was seen), and its load
        // drifts by tens of percent between runs; this gate must catch a 5× slowdown, not a 5 % one (the engine's power
        // and error rates at realistic margins are proven in Yardstick.Simulation.Tests). A round's p50 rests on about 30
        // requests beyond it, below the default floor of 100 tail samples: compare.minTailSamples lowers it to 10.
        var name = AzuriteFixture.UniqueName("gate");
        var file = _cli.WriteWorkload(name, $"""
            name: {name}
            target:
              url: {_fast.BaseUrl}/api/hello
            load:
              rate: 150/s
              duration: 400ms
              warmup: 1s
            compare:
              repeat: 10
              metrics: [p50, errorRate]
              margin: 50%
              minTailSamples: 10
            thresholds:
              - "errorRate < 1%"
            """);

        var (baselineId, baselineSummary) = await MeasureBaselineAsync(name, file);
        Assert.Equal("no-baseline", baselineSummary.Verdict!.Overall);
        var promote = await _cli.RunAsync("baseline", "promote", baselineId, "--reason", "e2e baseline");
        Assert.True(promote.ExitCode == 0, promote.ToString());

        // The unchanged build first, right after the baseline: the less time between the two, the less this busy
        // machine's load can drift between them (the engine would rightly call a slower machine slower).
        var same = await _cli.RunAsync("gate", file, "--no-progress");
        var sameSummary = await _cli.ReadSummaryAsync(name, CliHarness.RunIdFrom(same));
        Log("unchanged candidate", sameSummary);
        Assert.True(same.ExitCode == 0, same.ToString());
        Assert.NotEqual("regression", sameSummary.Verdict!.Overall);
        Assert.DoesNotContain(sameSummary.Verdict.Metrics, m => m.Kind == "regression");

        var outDir = _cli.PathOf("gate-out");
        var slow = await _cli.RunAsync("gate", file, "--set", $"target.url={_slow.BaseUrl}/api/hello", "--no-progress", "--out", outDir);
        var slowId = CliHarness.RunIdFrom(slow);
        var slowSummary = await _cli.ReadSummaryAsync(name, slowId);
        Log("slower candidate", slowSummary);
        Assert.True(slow.ExitCode == 1, slow.ToString());
        Assert.Equal("regression", slowSummary.Verdict!.Overall);
        Assert.Equal([baselineId], slowSummary.Verdict.BaselineRunIds);
        var p50 = Assert.Single(slowSummary.Verdict.Metrics, m => m.Metric == "p50");
        Assert.Equal("regression", p50.Kind);
        Assert.True(p50.CiLow > 1, $"p50 interval {p50.CiLow}…{p50.CiHigh} should lie above 1");
        Assert.True(slowSummary.Verdict.ThresholdsPassed);
        Assert.Contains("regression", slow.Error, StringComparison.Ordinal);
        foreach (var fileName in new[] { "report.md", "report.html", "junit.xml", "summary.json" })
        {
            Assert.True(File.Exists(Path.Combine(outDir, fileName)), $"{fileName} missing from --out");
        }

        Assert.Contains("regression", await File.ReadAllTextAsync(Path.Combine(outDir, "report.md")), StringComparison.Ordinal);
        Assert.Contains("<failure", await File.ReadAllTextAsync(Path.Combine(outDir, "junit.xml")), StringComparison.Ordinal);
        var row = await _cli.Storage.Runs.GetAsync(slowId, CancellationToken.None);
        Assert.Equal("regression", row!.Verdict);
        var rows = await _cli.Storage.Verdicts.ListAsync(slowId, CancellationToken.None);
        Assert.Contains(rows, r => r.Metric == "p50" && r.Kind == "regression");
        Assert.Contains(rows, r => r.Metric == "errorRate < 1%" && r.Kind == "pass");
    }

    [Fact]
    public async Task Gate_TinyCandidate_InconclusiveExits4WithFailOnInconclusive_0Without_CompareAndReportAgree()
    {
        // Single runs: the engine resamples per-second windows and needs ten of them; a 1 s run cannot decide.
        var name = AzuriteFixture.UniqueName("tiny");
        var file = _cli.WriteWorkload(name, $"""
            name: {name}
            target:
              url: {_fast.BaseUrl}/api/hello
            load:
              rate: 100/s
              duration: 3s
            """);
        var baseline = await _cli.RunAsync("run", file, "--no-progress");
        Assert.True(baseline.ExitCode == 0, baseline.ToString());
        var baselineId = CliHarness.RunIdFrom(baseline);
        Assert.Equal(0, (await _cli.RunAsync("baseline", "promote", baselineId)).ExitCode);

        var tiny = await _cli.RunAsync("gate", file, "--set", "load.duration=1s", "--set", "load.rate=20/s", "--fail-on-inconclusive", "--no-progress");
        var tinyId = CliHarness.RunIdFrom(tiny);
        var summary = await _cli.ReadSummaryAsync(name, tinyId);
        Log("tiny candidate", summary);
        Assert.True(tiny.ExitCode == 4, tiny.ToString());
        Assert.Equal("inconclusive", summary.Verdict!.Overall);
        Assert.All(summary.Verdict.Metrics, m => Assert.Equal("inconclusive", m.Kind));
        Assert.Contains(summary.Verdict.Metrics, m => m.AdditionalRunsNeeded is > 0);
        Assert.Contains("inconclusive", tiny.Error, StringComparison.Ordinal);

        // The same decision offline: 0 without the flag, 4 with it, printed as a table or as the verdict's JSON.
        var compare = await _cli.RunAsync("compare", baselineId, tinyId);
        Assert.True(compare.ExitCode == 0, compare.ToString());
        Assert.Contains("inconclusive", compare.Out, StringComparison.Ordinal);
        var compareJson = await _cli.RunAsync("compare", baselineId, tinyId, "--format", "json", "--fail-on-inconclusive");
        Assert.Equal(4, compareJson.ExitCode);
        var verdict = YardstickJson.Deserialize<VerdictSummary>(compareJson.Out[compareJson.Out.IndexOf('{', StringComparison.Ordinal)..compareJson.Out.LastIndexOf('}')] + "}");
        Assert.Equal("inconclusive", verdict.Overall);
        Assert.Equal([baselineId], verdict.BaselineRunIds);

        // Reports: the stored Markdown as a file, and a regenerated JUnit report on standard output.
        var md = _cli.PathOf("tiny.md");
        var report = await _cli.RunAsync("report", tinyId, "--format", "md", "--out", md);
        Assert.True(report.ExitCode == 0, report.ToString());
        Assert.Contains("inconclusive", await File.ReadAllTextAsync(md), StringComparison.Ordinal);
        await _cli.Storage.Artifacts.PutAsync(name, tinyId, "junit.xml", "stale"u8.ToArray(), "text/plain", CancellationToken.None);
        var junit = await _cli.RunAsync("report", tinyId, "--format", "junit", "--fail-on-inconclusive");
        Assert.True(junit.ExitCode == 0, junit.ToString());
        Assert.Contains("<testsuite", junit.Out, StringComparison.Ordinal);
        Assert.Contains("<failure", junit.Out, StringComparison.Ordinal);

        var unknown = await _cli.RunAsync("report", RunIds.Create(DateTimeOffset.UnixEpoch, Guid.NewGuid()), "--format", "html");
        Assert.Equal(2, unknown.ExitCode);
    }

    /// <summary>
    /// A baseline the load generator measured undisturbed. On this shared 2-core machine the whole test process is now and
    /// then starved for 0.3–2 s; the generator then measures its own stall (scheduling lag p99 of 0.8 s was seen, with two
    /// of ten rounds at 370 ms and 1.7 s against 7 ms for the others), and a baseline with such rounds cannot show a
    /// regression at α 1 %, correctly so. The generator measures its lag, so a disturbed baseline is detected and measured
    /// again (at most three times); the assertions on the verdicts stay as strict.
    /// </summary>
    [Fact]
    public async Task Gate_PairedAgainstTheReference_NoBaselineNeeded_SlowerCandidateExits1_SameBuildExits0()
    {
        // The recommended deploy gate: production (the reference) and the fresh build alternate in one run, six pairs of
        // 0.4 s rounds in an ABBA-balanced order, and the verdict compares the pairs; nothing is promoted first. The
        // candidate is the 20 ms slower build; then the same build as production, on another origin (A/A).
        await using var fastToo = await SampleTargetHost.StartAsync(new SampleTargetOptions { Urls = "http://127.0.0.1:0", ExtraLatencyMs = 5 });
        var name = AzuriteFixture.UniqueName("paired");
        string Workload(SampleTargetHost candidate) => $"""
            name: {name}
            target:
              url: {candidate.BaseUrl}/api/hello
            load:
              rate: 150/s
              duration: 400ms
              warmup: 500ms
            compare:
              repeat: 6
              metrics: [p50, errorRate]
              margin: 50%
              minTailSamples: 10
            """;

        var outDir = _cli.PathOf("paired-out");
        var slower = await _cli.RunAsync("gate", _cli.WriteWorkload(name, Workload(_slow)), "--no-progress", "--against", _fast.BaseUrl, "--out", outDir);
        var slowerSummary = await _cli.ReadSummaryAsync(name, CliHarness.RunIdFrom(slower));
        Log("paired, slower candidate", slowerSummary);

        Assert.True(slower.ExitCode == 1, slower.ToString());
        Assert.Equal("regression", slowerSummary.Verdict!.Overall);
        Assert.Equal(_fast.BaseUrl, slowerSummary.Against);
        Assert.Empty(slowerSummary.Verdict.BaselineRunIds);
        Assert.Contains("Paired design: 6 pairs of rounds", slowerSummary.Verdict.Explanation, StringComparison.Ordinal);
        Assert.Equal(_fast.BaseUrl, slowerSummary.Verdict.Reference);
        Assert.Matches(@"metric\s+reference\s+candidate", slower.Out);
        var p50 = Assert.Single(slowerSummary.Verdict.Metrics, m => m.Metric == "p50");
        Assert.Equal(("regression", "paired-t"), (p50.Kind, p50.Method));
        Assert.True(p50.Ratio > 2, $"p50 ratio {p50.Ratio}"); // ~25 ms vs ~5 ms of server time

        // Six rounds per side, the reference's kept apart from the candidate's headline figures.
        Assert.Equal(6, slowerSummary.Rounds.Count(r => r.Variant == "reference"));
        Assert.Equal(6, slowerSummary.Rounds.Count(r => r.Variant == ""));
        Assert.Equal(slowerSummary.Rounds.Where(r => r.Variant == "").Sum(r => r.Requests), slowerSummary.Requests);
        Assert.True(slowerSummary.LatencyMs.P50 > 20, $"the headline p50 {slowerSummary.LatencyMs.P50} ms is not the slow candidate's");

        // Both sides' rounds on one timeline: every round carries its times, alternating sides in time order, and the
        // reports draw them (report.html's paired chart, report.md's row per pair).
        Assert.All(slowerSummary.Rounds, r => Assert.True(r.StartedAt is not null && r.EndedAt > r.StartedAt, $"round {r.Round} {r.Variant}: {r.StartedAt} – {r.EndedAt}"));
        var inTime = slowerSummary.Rounds.OrderBy(r => r.StartedAt).ToList();
        Assert.All(inTime.Chunk(2), pair => Assert.Equal(2, pair.Select(r => r.Variant).Distinct().Count()));
        Assert.Contains("data-chart=\"paired\"", File.ReadAllText(Path.Combine(outDir, "report.html")), StringComparison.Ordinal);
        Assert.Contains("| Pair | Starts at | First |", File.ReadAllText(Path.Combine(outDir, "report.md")), StringComparison.Ordinal);

        var same = await _cli.RunAsync("gate", _cli.WriteWorkload(name, Workload(fastToo)), "--no-progress", "--against", _fast.BaseUrl);
        var sameSummary = await _cli.ReadSummaryAsync(name, CliHarness.RunIdFrom(same));
        Log("paired, same build", sameSummary);

        Assert.True(same.ExitCode == 0, same.ToString());
        Assert.NotEqual("regression", sameSummary.Verdict!.Overall);
    }

    [Fact]
    public async Task Gate_AgainstItsOwnOriginOrWithoutPairs_RefusedNamingTheField()
    {
        var name = AzuriteFixture.UniqueName("paired-bad");
        var file = _cli.WriteWorkload(name, $"""
            name: {name}
            target:
              url: {_fast.BaseUrl}/api/hello
            load:
              rate: 10/s
              duration: 1s
            compare:
              repeat: 4
            """);

        var self = await _cli.RunAsync("gate", file, "--no-progress", "--against", _fast.BaseUrl + "/");
        var path = await _cli.RunAsync("gate", file, "--no-progress", "--against", _slow.BaseUrl + "/api/hello");
        var onePair = await _cli.RunAsync("gate", file, "--no-progress", "--against", _slow.BaseUrl, "--set", "compare.repeat=1");

        Assert.Equal(2, self.ExitCode);
        Assert.Contains("compare.against.url", self.Error, StringComparison.Ordinal);
        Assert.Contains("is the target's own origin", self.Error, StringComparison.Ordinal);
        Assert.Equal(2, path.ExitCode);
        Assert.Contains("give the reference's origin only", path.Error, StringComparison.Ordinal);
        Assert.Equal(2, onePair.ExitCode);
        Assert.Contains("compare.repeat", onePair.Error, StringComparison.Ordinal);
    }

    private async Task<(string RunId, RunSummary Summary)> MeasureBaselineAsync(string name, string file)
    {
        const double DisturbedLagP99Ms = 100;
        for (var attempt = 1; ; attempt++)
        {
            var result = await _cli.RunAsync("run", file, "--no-progress");
            Assert.True(result.ExitCode == 0, result.ToString());
            var runId = CliHarness.RunIdFrom(result);
            var summary = await _cli.ReadSummaryAsync(name, runId);
            Log("baseline", summary);
            if (summary.SchedulingLagMs.P99 <= DisturbedLagP99Ms || attempt == 3)
            {
                return (runId, summary);
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"baseline attempt {attempt}: scheduling lag p99 {summary.SchedulingLagMs.P99:0} ms > {DisturbedLagP99Ms} ms, the generator was starved; measuring again"));
        }
    }

    private void Log(string label, RunSummary summary)
    {
        output.WriteLine($"== {label}: run {summary.RunId}, {summary.Requests} requests, verdict {summary.Verdict?.Overall}: {summary.Verdict?.Explanation}");
        foreach (var r in summary.Rounds)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   round {r.Round}: {r.Requests} requests, p50 {r.LatencyMs.P50:0.###} p95 {r.LatencyMs.P95:0.###} p99 {r.LatencyMs.P99:0.###} ms, {r.ThroughputRps:0.#} req/s"));
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   run: p50 {summary.LatencyMs.P50:0.###} p95 {summary.LatencyMs.P95:0.###} p99 {summary.LatencyMs.P99:0.###} ms, lag p99 {summary.SchedulingLagMs.P99:0.###} ms"));
        foreach (var m in summary.Verdict?.Metrics ?? [])
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"   {m.Metric}: {m.Kind}, baseline {m.Baseline:0.###}, candidate {m.Candidate:0.###}, ratio {m.Ratio:0.###}, interval {m.CiLow:0.###}…{m.CiHigh:0.###} ({m.ConfidenceLevel:0.####}), p {m.PValue:0.####}, {m.Method}, more runs {m.AdditionalRunsNeeded}"));
        }
    }
}
