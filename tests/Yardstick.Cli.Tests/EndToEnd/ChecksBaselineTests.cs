using Xunit.Abstractions;
using Yardstick.Testing;

namespace Yardstick.Cli.Tests.EndToEnd;

/// <summary>The response checks are part of the baseline key: a baseline measured with other checks is left out with the reason.</summary>
public sealed class ChecksBaselineTests(AzuriteFixture azurite, ITestOutputHelper output) : SampleTargetCliTests(azurite, output)
{
    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Functions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("repository root not found");
    }

    [Fact]
    public async Task Gate_BaselineMeasuredWithOtherChecks_IsLeftOutWithTheReason_SameChecksCompare()
    {
        var name = AzuriteFixture.UniqueName("checkkey");
        var root = Path.Combine(RepoRoot(), "workloads");
        var yaml = File.ReadAllLines(Path.Combine(root, "mix-local.yaml"))
            .Where(l => !l.StartsWith("  process:", StringComparison.Ordinal) && !l.StartsWith("    command:", StringComparison.Ordinal)
                && !l.StartsWith("    args:", StringComparison.Ordinal) && !l.StartsWith("    readyTimeout:", StringComparison.Ordinal))
            .Select(l => l.StartsWith("name: ", StringComparison.Ordinal) ? "name: " + name : l.Replace("http://127.0.0.1:5080", Target.BaseUrl, StringComparison.Ordinal));
        var file = Cli.WriteWorkload(name, string.Join('\n', yaml));
        Directory.CreateDirectory(Cli.PathOf("data"));
        File.Copy(Path.Combine(root, "data", "users.csv"), Cli.PathOf(Path.Combine("data", "users.csv")), overwrite: true);
        string[] load = ["--set", "load.duration=1s", "--set", "load.rate=20/s", "--set", "load.shards=1", "--no-progress"];

        var first = await Cli.RunAsync(["run", file, .. load]);
        Assert.True(first.ExitCode == 0, first.ToString());
        var firstId = CliHarness.RunIdFrom(first);
        var same = await Cli.RunAsync(["gate", file, "--baseline", firstId, .. load]);
        var other = await Cli.RunAsync(["gate", file, "--baseline", firstId, "--set", "target.checks=[\"status in [200, 201]\"]", .. load]);

        Assert.Equal([firstId], (await Cli.ReadSummaryAsync(name, CliHarness.RunIdFrom(same))).Verdict!.BaselineRunIds);
        var verdict = (await Cli.ReadSummaryAsync(name, CliHarness.RunIdFrom(other))).Verdict!;
        Assert.Empty(verdict.BaselineRunIds);
        Assert.Contains(
            $"Baseline run {firstId} was measured with other response checks (target: status in [200]; profile: body contains /users/; this run target: status in [200, 201]; profile: body contains /users/), so it was not compared",
            verdict.Explanation,
            StringComparison.Ordinal);
    }
}
