using System.Text.RegularExpressions;
using Xunit.Abstractions;
using Yardstick.Cli.Tests.EndToEnd;
using Yardstick.Testing;

namespace Yardstick.Cli.Tests.Commands;

/// <summary><c>yardstick dashboard</c> through the real command tree over 90 stored nights on Azurite (a step at night 60).</summary>
public sealed partial class DashboardCommandTests(AzuriteFixture azurite, ITestOutputHelper output) : IClassFixture<AzuriteFixture>, IDisposable
{
    private readonly CliHarness _cli = new(azurite, output);
    private readonly DirectoryInfo _site = Directory.CreateTempSubdirectory("yardstick-site-");

    public void Dispose()
    {
        _cli.Dispose();
        _site.Delete(recursive: true);
    }

    [Fact]
    public async Task Dashboard_TwoWorkloads_WritesAnOverviewAndAPagePerWorkloadWhoseLinksResolve()
    {
        var (first, runs) = await TrendNights.StoreAsync(_cli, "dash");
        var (second, _) = await TrendNights.StoreAsync(_cli, "dash");
        // One run has a stored report: the page links it, and the site carries a copy.
        await _cli.Storage.Artifacts.PutAsync(first, runs[89].RunId, "report.html", "<!DOCTYPE html><title>r</title>"u8.ToArray(), "text/html", CancellationToken.None);

        var result = await _cli.RunAsync("dashboard", first, second, "--out", _site.FullName);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Dashboard of 2 workload(s) and 1 run report(s)", result.Out, StringComparison.Ordinal);
        var index = await File.ReadAllTextAsync(Path.Combine(_site.FullName, "index.html"));
        var page = await File.ReadAllTextAsync(Path.Combine(_site.FullName, "workloads", first + ".html"));
        Assert.Contains($"data-workload=\"{first}\"", index, StringComparison.Ordinal);
        Assert.Contains("data-spark=\"p95\" data-points=\"89\"", index, StringComparison.Ordinal); // night 30 failed: no p95
        Assert.Contains(runs[60].RunId, index, StringComparison.Ordinal); // the newest change point, at the step
        Assert.Contains("data-chart=\"p95\" data-settings=\"default\" data-points=\"89\" data-change-points=\"1\"", page, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"../runs/{runs[89].RunId}.html\">", page, StringComparison.Ordinal);
        Assert.Equal(7, Regex.Count(page, "<svg data-chart="));  // p50 p95 p99 errorRate throughput coldStartP50 costPer1M
        Assert.Equal(7, Regex.Count(page, "class=\"promotion\"")); // the one promotion, on every chart
        Assert.Equal(7, Regex.Count(page, "class=\"failed\""));    // night 30, under every chart

        // Every relative link of every page points at a file of the site.
        foreach (var file in _site.EnumerateFiles("*.html", SearchOption.AllDirectories).Where(f => f.Directory!.Name != "runs"))
        {
            foreach (Match link in Href().Matches(await File.ReadAllTextAsync(file.FullName)))
            {
                var target = Path.GetFullPath(Path.Combine(file.DirectoryName!, link.Groups[1].Value));
                Assert.True(File.Exists(target), $"{file.Name} links {link.Groups[1].Value}, which is not in the site");
            }
        }
    }

    [Fact]
    public async Task Dashboard_BadWorkloadName_RefusedNamingTheWorkload()
    {
        var result = await _cli.RunAsync("dashboard", "../../etc", "--out", _site.FullName);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("yardstick: workload: ", result.Error, StringComparison.Ordinal);
        Assert.Empty(_site.EnumerateFileSystemInfos());
    }

    [GeneratedRegex("href=\"([^\"#]+)\"")]
    private static partial Regex Href();
}
