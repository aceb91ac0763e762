using Xunit.Abstractions;
using Yardstick.Cli.Tests.EndToEnd;
using Yardstick.Testing;

namespace Yardstick.Cli.Tests.Commands;

/// <summary><c>yardstick workload push|list|show|diff</c> on the local storage's registry (Azurite, the real Workloads table and blobs).</summary>
public sealed class WorkloadCommandTests(AzuriteFixture azurite, ITestOutputHelper output) : IClassFixture<AzuriteFixture>, IDisposable
{
    private readonly CliHarness _cli = new(azurite, output);

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task PushListShowDiff_TwoVersions_StoredOnceEachAndComparedLineByLine()
    {
        var name = AzuriteFixture.UniqueName("reg");
        var v1 = _cli.WriteWorkload(name, Yaml(name, "10/s"));

        var first = await _cli.RunAsync("workload", "push", v1, "--author", "cli:test");
        var again = await _cli.RunAsync("workload", "push", v1);
        var v2 = _cli.WriteWorkload(name, Yaml(name, "20/s"));
        var second = await _cli.RunAsync("workload", "push", v2, "--author", "cli:test");
        var list = await _cli.RunAsync("workload", "list");
        var show = await _cli.RunAsync("workload", "show", name);
        var showV1 = await _cli.RunAsync("workload", "show", name, "--version", "1");
        var diff = await _cli.RunAsync("workload", "diff", name);

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains($"Registered {name} v1 (", first.Out, StringComparison.Ordinal);
        Assert.Contains("cli:test", first.Out, StringComparison.Ordinal);
        Assert.Contains($"{name} v1 (", again.Out, StringComparison.Ordinal);
        Assert.Contains("already has this text", again.Out, StringComparison.Ordinal);
        Assert.Contains($"Registered {name} v2 (", second.Out, StringComparison.Ordinal);
        Assert.Equal(2, (await _cli.Storage.Registry.VersionsAsync(name, CancellationToken.None)).Count);
        Assert.Contains(name, list.Out, StringComparison.Ordinal);
        Assert.Contains("v2", list.Out, StringComparison.Ordinal);
        Assert.Contains("Text of v2:", show.Out, StringComparison.Ordinal);
        Assert.Contains("rate: 20/s", show.Out, StringComparison.Ordinal);
        Assert.Contains("rate: 10/s", showV1.Out, StringComparison.Ordinal);
        Assert.True(diff.ExitCode == 0, diff.ToString());
        Assert.Contains($"--- {name} v1 (", diff.Out, StringComparison.Ordinal);
        Assert.Contains($"+++ {name} v2 (", diff.Out, StringComparison.Ordinal);
        Assert.Contains("-   rate: 10/s", diff.Out, StringComparison.Ordinal);
        Assert.Contains("+   rate: 20/s", diff.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("- name:", diff.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Diff_AgainstAFile_ShowsWhatAPushWouldChange()
    {
        var name = AzuriteFixture.UniqueName("reg");
        await _cli.RunAsync("workload", "push", _cli.WriteWorkload(name, Yaml(name, "10/s")));
        var edited = _cli.PathOf(name + "-edited.yaml");
        await File.WriteAllTextAsync(edited, Yaml(name, "10/s").Replace("duration: 2s", "duration: 30s", StringComparison.Ordinal));

        var diff = await _cli.RunAsync("workload", "diff", name, "--file", edited);
        var same = await _cli.RunAsync("workload", "diff", name, "--file", _cli.PathOf(name + ".yaml"));

        Assert.Contains("-   duration: 2s", diff.Out, StringComparison.Ordinal);
        Assert.Contains("+   duration: 30s", diff.Out, StringComparison.Ordinal);
        Assert.Contains("(identical lines)", same.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Push_InvalidFile_Exit2NamingTheFieldNothingStored()
    {
        var name = AzuriteFixture.UniqueName("reg");
        var file = _cli.WriteWorkload(name, Yaml(name, "lots"));

        var push = await _cli.RunAsync("workload", "push", file);

        Assert.Equal(2, push.ExitCode);
        Assert.Contains("load.rate", push.Error, StringComparison.Ordinal);
        Assert.Empty(await _cli.Storage.Registry.VersionsAsync(name, CancellationToken.None));
    }

    [Fact]
    public async Task ShowAndDiff_UnknownWorkloadOrVersion_Exit2NamingWhatToFix()
    {
        var name = AzuriteFixture.UniqueName("reg");
        var unknown = await _cli.RunAsync("workload", "show", name);
        await _cli.RunAsync("workload", "push", _cli.WriteWorkload(name, Yaml(name, "10/s")));
        var noVersion = await _cli.RunAsync("workload", "show", name, "--version", "9");
        var onlyOne = await _cli.RunAsync("workload", "diff", name);
        var traversal = await _cli.RunAsync("workload", "show", "../../etc/passwd");
        var badAuthor = await _cli.RunAsync("workload", "push", _cli.PathOf(name + ".yaml"), "--author", "a b");

        Assert.Equal(2, unknown.ExitCode);
        Assert.StartsWith($"yardstick: workload: no registered workload '{name}'", unknown.Error, StringComparison.Ordinal);
        Assert.Equal(2, noVersion.ExitCode);
        Assert.StartsWith("yardstick: --version: ", noVersion.Error, StringComparison.Ordinal);
        Assert.Equal(2, onlyOne.ExitCode);
        Assert.StartsWith("yardstick: --from: ", onlyOne.Error, StringComparison.Ordinal);
        Assert.Equal(2, traversal.ExitCode);
        Assert.StartsWith("yardstick: workload: ", traversal.Error, StringComparison.Ordinal);
        Assert.Equal(2, badAuthor.ExitCode);
        Assert.StartsWith("yardstick: --author: ", badAuthor.Error, StringComparison.Ordinal);
    }

    private static string Yaml(string name, string rate) => $"""
        name: {name}
        target:
          url: http://127.0.0.1:5080/api/hello
        load:
          rate: {rate}
          duration: 2s
        """;
}
