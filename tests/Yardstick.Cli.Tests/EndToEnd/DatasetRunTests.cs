using Xunit.Abstractions;
using Yardstick.Testing;

namespace Yardstick.Cli.Tests.EndToEnd;

/// <summary>`yardstick run` of the shipped workloads/mix-local.yaml with its dataset, against the in-process sample target.</summary>
public sealed class DatasetRunTests(AzuriteFixture azurite, ITestOutputHelper output) : SampleTargetCliTests(azurite, output)
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

    /// <summary>The shipped example, pointed at this test's target (no process of its own), with its dataset beside it.</summary>
    private string CopyMixLocal(string name)
    {
        var root = Path.Combine(RepoRoot(), "workloads");
        var yaml = File.ReadAllLines(Path.Combine(root, "mix-local.yaml"))
            .Where(l => !l.StartsWith("  process:", StringComparison.Ordinal) && !l.StartsWith("    command:", StringComparison.Ordinal)
                && !l.StartsWith("    args:", StringComparison.Ordinal) && !l.StartsWith("    readyTimeout:", StringComparison.Ordinal))
            .Select(l => l.StartsWith("name: ", StringComparison.Ordinal) ? "name: " + name : l.Replace("http://127.0.0.1:5080", Target.BaseUrl, StringComparison.Ordinal));
        var file = Cli.WriteWorkload(name, string.Join('\n', yaml));
        Directory.CreateDirectory(Cli.PathOf("data"));
        File.Copy(Path.Combine(root, "data", "users.csv"), Cli.PathOf(Path.Combine("data", "users.csv")), overwrite: true);
        return file;
    }

    [Fact]
    public async Task Run_MixLocalUniqueStop_EachRowSentOnceAcrossShardsThenTheShardsSayTheyRanOut()
    {
        var name = AzuriteFixture.UniqueName("mixdata");
        var file = CopyMixLocal(name);

        // 2 s at 20/s is 40 arrivals, but 8 rows dealt to 2 shards allow 4 requests each.
        var result = await Cli.RunAsync("run", file, "--set", "load.duration=2s", "--set", "load.rate=20/s", "--set", "data.onExhausted=stop", "--no-progress");

        Assert.True(result.ExitCode == 0, result.ToString());
        var (shards, summary) = await Cli.AssertCountsAgreeAsync(name, CliHarness.RunIdFrom(result), 8);
        Assert.Equal(8, summary.Successes);
        Assert.All(summary.Checks, c => Assert.Equal(0, c.Failed));
        Assert.Equal(2, shards.Count);
        Assert.All(shards, s =>
        {
            Assert.Equal(4, s.Requests);
            Assert.Contains("ran out after 4 row(s)", s.DataExhausted, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Run_MixLocalAsShipped_WrapsAndEveryResponsePassesItsChecks()
    {
        var name = AzuriteFixture.UniqueName("mixwrap");
        var file = CopyMixLocal(name);

        var result = await Cli.RunAsync("run", file, "--set", "load.duration=2s", "--set", "load.rate=20/s", "--no-progress");

        Assert.True(result.ExitCode == 0, result.ToString());
        var (shards, summary) = await Cli.AssertCountsAgreeAsync(name, CliHarness.RunIdFrom(result), 40);
        Assert.Equal(40, summary.Successes);
        Assert.All(shards, s => Assert.Null(s.DataExhausted));
    }

    [Fact]
    public async Task Run_RecordsTheDatasetsHashRowsAndSize_AndRefusesABaselineMeasuredOnAnotherDataset()
    {
        var name = AzuriteFixture.UniqueName("mixhash");
        var file = CopyMixLocal(name);
        var csv = Cli.PathOf(Path.Combine("data", "users.csv"));
        string[] load = ["--set", "load.duration=1s", "--set", "load.rate=20/s", "--set", "load.shards=1", "--no-progress"];

        var first = await Cli.RunAsync(["run", file, .. load]);

        Assert.True(first.ExitCode == 0, first.ToString());
        var firstId = CliHarness.RunIdFrom(first);
        var dataset = (await Cli.ReadSummaryAsync(name, firstId)).Dataset!;
        Assert.Equal("data/users.csv", dataset.File);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(csv))), dataset.Sha256);
        Assert.Equal(8, dataset.Rows);
        Assert.Equal(new FileInfo(csv).Length, dataset.Bytes);
        Assert.Equal(("unique", "wrap"), (dataset.Mode, dataset.OnExhausted));
        Assert.Contains("data/users.csv · 8 rows", first.Out, StringComparison.Ordinal);
        var markdown = System.Text.Encoding.UTF8.GetString((await Cli.Storage.Artifacts.GetAsync(name, firstId, "report.md", CancellationToken.None))!);
        Assert.Contains(dataset.Sha256, markdown, StringComparison.Ordinal);

        // Same workload, one more row: the first run is not a baseline for it unless asked (gate takes --baseline).
        await File.AppendAllTextAsync(csv, "9,Frances Allen,Peru,optimizing compilers\n");
        var refused = await Cli.RunAsync(["gate", file, "--baseline", firstId, .. load]);
        var allowed = await Cli.RunAsync(["gate", file, "--baseline", firstId, "--allow-dataset-change", .. load]);

        var refusedVerdict = (await Cli.ReadSummaryAsync(name, CliHarness.RunIdFrom(refused))).Verdict!;
        Assert.Empty(refusedVerdict.BaselineRunIds);
        Assert.Contains($"Baseline run {firstId} was measured on another dataset", refusedVerdict.Explanation, StringComparison.Ordinal);
        Assert.Contains("--allow-dataset-change", refusedVerdict.Explanation, StringComparison.Ordinal);
        var allowedVerdict = (await Cli.ReadSummaryAsync(name, CliHarness.RunIdFrom(allowed))).Verdict!;
        Assert.Equal([firstId], allowedVerdict.BaselineRunIds);
        Assert.Contains("compared anyway", allowedVerdict.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_UnknownColumn_NamesTheFieldTheFileAndItsColumns()
    {
        var name = AzuriteFixture.UniqueName("mixbad");
        var file = CopyMixLocal(name);
        await File.WriteAllTextAsync(file, (await File.ReadAllTextAsync(file)).Replace("users/${data.id}?", "users/${data.userId}?", StringComparison.Ordinal));

        var result = await Cli.RunAsync("validate", file);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("requests[0].url: ${data.userId} is not a column of data/users.csv (columns: id, name, city, note)", result.Out + result.Error, StringComparison.Ordinal);
    }
}
