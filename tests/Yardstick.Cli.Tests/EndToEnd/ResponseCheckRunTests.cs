using System.Xml.Linq;
using Xunit.Abstractions;
using Yardstick.Testing;

namespace Yardstick.Cli.Tests.EndToEnd;

/// <summary>`yardstick run` with response checks end to end: a fast 200 with the wrong content fails the checks and the gate.</summary>
public sealed class ResponseCheckRunTests(AzuriteFixture azurite, ITestOutputHelper output) : SampleTargetCliTests(azurite, output)
{
    [Fact]
    public async Task Run_Fast200WithWrongContent_FailsItsChecksAsCheckErrorsAndTheChecksThreshold()
    {
        var name = AzuriteFixture.UniqueName("checks");
        var file = Cli.WriteWorkload(name, $$"""
            name: {{name}}
            target:
              url: {{Target.BaseUrl}}/api/hello
              checks: [ "status in [200, 201]" ]
            requests:
              - name: items
                url: /api/items?count=3
                weight: 3
                checks: [ "json $.items.length > 0", { name: status-ok, expect: 'json $.status == "ok"' } ]
              - name: hello
                checks: [ "header content-type ~ json" ]
            load:
              rate: 100/s
              duration: 2s
              shards: 2
            thresholds: ["checks > 99.9%", "items.checks >= 100%"]
            """);

        var result = await Cli.RunAsync("run", file, "--no-progress");

        // /api/hello answers 200 in plain text: its header check fails every time, so the run-wide threshold is breached.
        Assert.True(result.ExitCode == 1, result.ToString());
        var runId = CliHarness.RunIdFrom(result);
        var (shards, summary) = await Cli.AssertCountsAgreeAsync(name, runId, 200);
        var items = summary.PerRequest[0];
        var hello = summary.PerRequest[1];
        Assert.Equal(0, items.Errors);
        Assert.Equal(hello.Requests, hello.Errors);
        Assert.Equal(hello.Requests, hello.ErrorBreakdown.Check);
        Assert.Equal(hello.Requests, summary.ErrorBreakdown.Check);
        Assert.Equal(summary.Errors, summary.ErrorBreakdown.Check);

        Assert.Equal(
            ["items.status in [200, 201]", "items.json $.items.length > 0", "items.status-ok", "hello.status in [200, 201]", "hello.header content-type ~ json"],
            summary.Checks.Select(c => c.Request + "." + c.Name));
        Assert.All(summary.Checks.Take(4), c => Assert.Equal(0, c.Failed));
        Assert.Equal((0L, hello.Requests), (summary.Checks[4].Passed, summary.Checks[4].Failed));

        // Exact across shards: the summary's counts are the shards' sums.
        Assert.Equal(2, shards.Count);
        Assert.Equal(shards.Sum(s => s.Checks.Single(c => c.Name == "status-ok").Passed), summary.Checks[2].Passed);
        Assert.Equal(shards.Sum(s => s.Errors.Check), summary.ErrorBreakdown.Check);

        var thresholds = summary.Verdict!.Thresholds;
        Assert.False(thresholds[0].Passed);
        Assert.True(thresholds[1].Passed);
        Assert.Contains("hello · header content-type ~ json", result.Out, StringComparison.Ordinal);

        var junit = XDocument.Parse(System.Text.Encoding.UTF8.GetString((await Cli.Storage.Artifacts.GetAsync(name, runId, "junit.xml", CancellationToken.None))!));
        var cases = junit.Descendants("testcase").Where(c => ((string?)c.Attribute("classname"))?.EndsWith(".checks", StringComparison.Ordinal) == true).ToList();
        Assert.Equal(5, cases.Count);
        Assert.Single(cases, c => c.Element("failure") is not null);
        var markdown = System.Text.Encoding.UTF8.GetString((await Cli.Storage.Artifacts.GetAsync(name, runId, "report.md", CancellationToken.None))!);
        Assert.Contains("❌ `hello · header content-type ~ json`", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_UnparsableCheck_NamesTheField()
    {
        var name = AzuriteFixture.UniqueName("badcheck");
        var file = Cli.WriteWorkload(name, $$"""
            name: {{name}}
            target: { url: "{{Target.BaseUrl}}/api/hello" }
            requests:
              - { name: items, url: /api/items }
              - { name: hello, checks: [ "status in [200]", "json $.x >" ] }
            load: { rate: 10/s, duration: 1s }
            """);

        var result = await Cli.RunAsync("validate", file);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("requests[1].checks[1]: cannot parse 'json $.x >'", result.Out + result.Error, StringComparison.Ordinal);
    }
}
