using System.Security.Cryptography;
using Xunit.Abstractions;
using Yardstick.Testing;

namespace Yardstick.Cli.Tests.EndToEnd;

/// <summary>
/// <c>yardstick data push</c> then <c>yardstick run</c> of the shipped mix-local.yaml with <c>data.blob</c> instead of the
/// file (the file is deleted first: the rows can only come from the datasets container on Azurite).
/// </summary>
public sealed class BlobDatasetRunTests(AzuriteFixture azurite, ITestOutputHelper output) : SampleTargetCliTests(azurite, output)
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

    /// <summary>The shipped example pointed at this test's target, its data section naming <paramref name="blob"/>.</summary>
    private string WriteWorkload(string name, string blob)
    {
        var yaml = File.ReadAllLines(Path.Combine(RepoRoot(), "workloads", "mix-local.yaml"))
            .Where(l => !l.StartsWith("  process:", StringComparison.Ordinal) && !l.StartsWith("    command:", StringComparison.Ordinal)
                && !l.StartsWith("    args:", StringComparison.Ordinal) && !l.StartsWith("    readyTimeout:", StringComparison.Ordinal))
            .Select(l => l.StartsWith("name: ", StringComparison.Ordinal) ? "name: " + name
                : l.StartsWith("  file: data/users.csv", StringComparison.Ordinal) ? "  blob: " + blob
                : l.Replace("http://127.0.0.1:5080", Target.BaseUrl, StringComparison.Ordinal));
        return Cli.WriteWorkload(name, string.Join('\n', yaml));
    }

    private string CopyUsers(string fileName)
    {
        var path = Cli.PathOf(fileName);
        File.Copy(Path.Combine(RepoRoot(), "workloads", "data", "users.csv"), path, overwrite: true);
        return path;
    }

    [Fact]
    public async Task PushThenRun_UniqueStop_RowsComeFromTheBlobAndThePlanRecordsItsHashAndETag()
    {
        var name = AzuriteFixture.UniqueName("blobdata");
        var csv = CopyUsers(name + ".csv");
        var sha = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(csv)));

        var push = await Cli.RunAsync("data", "push", csv, "--storage", Cli.ConnectionString);

        Assert.True(push.ExitCode == 0, push.ToString());
        Assert.Contains($"Pushed datasets/{name}.csv: 8 rows", push.Out, StringComparison.Ordinal);
        Assert.Contains("sha256 " + sha, push.Out, StringComparison.Ordinal);
        File.Delete(csv);
        var list = await Cli.RunAsync("data", "list", "--storage", Cli.ConnectionString);
        Assert.Contains($"datasets/{name}.csv", list.Out, StringComparison.Ordinal);

        var file = WriteWorkload(name, $"datasets/{name}.csv");
        var result = await Cli.RunAsync("run", file, "--set", "load.duration=2s", "--set", "load.rate=20/s", "--set", "data.onExhausted=stop", "--no-progress");

        Assert.True(result.ExitCode == 0, result.ToString());
        var runId = CliHarness.RunIdFrom(result);
        var (shards, summary) = await Cli.AssertCountsAgreeAsync(name, runId, 8);
        Assert.Equal(8, summary.Successes);
        Assert.All(summary.Checks, c => Assert.Equal(0, c.Failed));
        Assert.All(shards, s => Assert.Contains("ran out after 4 row(s)", s.DataExhausted, StringComparison.Ordinal));
        var dataset = summary.Dataset!;
        Assert.Equal(($"datasets/{name}.csv", "blob", sha, 8L), (dataset.File, dataset.Source, dataset.Sha256, dataset.Rows));
        Assert.False(string.IsNullOrEmpty(dataset.ETag));
        var plan = System.Text.Encoding.UTF8.GetString((await Cli.Storage.Artifacts.GetAsync(name, runId, "plan.json", CancellationToken.None))!);
        Assert.Contains(dataset.ETag!.Replace("\"", "\\u0022", StringComparison.Ordinal), plan, StringComparison.Ordinal);
        Assert.Contains($"datasets/{name}.csv (blob) · 8 rows", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gate_BlobReplacedSinceTheBaseline_LeavesTheBaselineOutWithTheReason()
    {
        var name = AzuriteFixture.UniqueName("blobgate");
        var csv = CopyUsers(name + ".csv");
        string[] load = ["--set", "load.duration=1s", "--set", "load.rate=20/s", "--set", "load.shards=1", "--no-progress"];
        Assert.Equal(0, (await Cli.RunAsync("data", "push", csv, "--storage", Cli.ConnectionString)).ExitCode);
        var file = WriteWorkload(name, $"datasets/{name}.csv");
        var first = await Cli.RunAsync(["run", file, .. load]);
        Assert.True(first.ExitCode == 0, first.ToString());
        var firstId = CliHarness.RunIdFrom(first);

        await File.AppendAllTextAsync(csv, "9,Frances Allen,Peru,optimizing compilers\n");
        Assert.Equal(0, (await Cli.RunAsync("data", "push", csv, "--storage", Cli.ConnectionString)).ExitCode);
        var refused = await Cli.RunAsync(["gate", file, "--baseline", firstId, .. load]);

        var summary = await Cli.ReadSummaryAsync(name, CliHarness.RunIdFrom(refused));
        Assert.Equal(9, summary.Dataset!.Rows);
        Assert.Empty(summary.Verdict!.BaselineRunIds);
        Assert.Contains($"Baseline run {firstId} was measured on another dataset", summary.Verdict.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_BlobNeverPushed_Exits2NamingDataBlob()
    {
        var name = AzuriteFixture.UniqueName("blobnone");
        var file = WriteWorkload(name, $"datasets/{name}-absent.csv");

        var result = await Cli.RunAsync("run", file, "--set", "load.duration=1s", "--no-progress");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"data.blob: 'datasets/{name}-absent.csv' does not exist in the datasets container", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../x.csv")]
    [InlineData("https://elsewhere.example/x.csv")]
    public async Task Push_NameLeavingTheContainer_Exits2NamingTheOption(string badName)
    {
        var csv = CopyUsers("bad-name.csv");

        var result = await Cli.RunAsync("data", "push", csv, "--name", badName, "--storage", Cli.ConnectionString);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--name:", result.Error, StringComparison.Ordinal);
    }
}
