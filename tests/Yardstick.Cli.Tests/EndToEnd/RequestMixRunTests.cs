using Xunit.Abstractions;
using Yardstick.Testing;

namespace Yardstick.Cli.Tests.EndToEnd;

/// <summary>`yardstick run` of a request mix end to end: per-request figures in summary.json, the reports and the verdict.</summary>
public sealed class RequestMixRunTests(AzuriteFixture azurite, ITestOutputHelper output) : SampleTargetCliTests(azurite, output)
{
    [Fact]
    public async Task Run_WeightedMix_PerRequestFiguresInSummaryReportsAndThresholds()
    {
        var name = AzuriteFixture.UniqueName("mix");
        var file = Cli.WriteWorkload(name, $$"""
            name: {{name}}
            target:
              url: {{Target.BaseUrl}}/api/hello
            requests:
              - { name: browse, url: /api/items?count=3, weight: 3 }
              - { name: hello, weight: 1 }
              - { name: broken, url: /api/fail?rate=1, weight: 1 }
            load:
              rate: 100/s
              duration: 2s
              shards: 2
            compare: { metrics: [p95, browse.p95, broken.errorRate] }
            thresholds: ["browse.p(95) < 5s", "broken.errorRate < 50%"]
            """);

        var result = await Cli.RunAsync("run", file, "--no-progress");

        // The broken request fails every time: its threshold is breached, the run itself completed.
        Assert.True(result.ExitCode == 1, result.ToString());
        var runId = CliHarness.RunIdFrom(result);
        var (_, summary) = await Cli.AssertCountsAgreeAsync(name, runId, 200);
        Assert.Equal(["browse", "hello", "broken"], summary.PerRequest.Select(r => r.Name));
        Assert.Equal(summary.Requests, summary.PerRequest.Sum(r => r.Requests));
        var broken = summary.PerRequest[2];
        Assert.Equal(broken.Requests, broken.Errors);
        Assert.Equal(summary.Errors, broken.Errors);
        Assert.Equal(1.0, broken.ErrorRate);
        Assert.Equal("/api/fail?rate=1", new Uri(broken.Url).PathAndQuery);
        Assert.True(summary.PerRequest[0].LatencyMs.P95 > 0);

        var verdict = summary.Verdict!;
        Assert.Equal(["p95", "browse.p95", "broken.errorRate"], verdict.Metrics.Select(m => m.Metric));
        Assert.Equal(1.0, verdict.Metrics[2].Candidate);
        Assert.True(verdict.Thresholds[0].Passed);
        Assert.False(verdict.Thresholds[1].Passed);
        Assert.Contains("browse", result.Out, StringComparison.Ordinal);

        var markdown = System.Text.Encoding.UTF8.GetString((await Cli.Storage.Artifacts.GetAsync(name, runId, "report.md", CancellationToken.None))!);
        Assert.Contains("| `broken` |", markdown, StringComparison.Ordinal);
        var html = System.Text.Encoding.UTF8.GetString((await Cli.Storage.Artifacts.GetAsync(name, runId, "report.html", CancellationToken.None))!);
        Assert.Contains("<section id=\"requests\">", html, StringComparison.Ordinal);
        Assert.NotNull(await Cli.Storage.Artifacts.GetAsync(name, runId, "request-timelines.json", CancellationToken.None));
        Assert.NotNull(await Cli.Storage.Artifacts.GetAsync(name, runId, "histograms/requests/browse.hdr", CancellationToken.None));
    }
}
