using System.Diagnostics;
using Xunit.Abstractions;
using Yardstick.Cli.Tests.EndToEnd;
using Yardstick.Testing;

namespace Yardstick.Cli.Tests.Commands;

/// <summary>
/// <c>yardstick validate</c> of a <c>data.blob</c> workload looks the blob up in the results storage account (Azurite,
/// in-process commands) with planning's own checks and messages; storage that does not answer is a warning.
/// </summary>
public sealed class ValidateBlobDatasetTests(AzuriteFixture azurite, ITestOutputHelper output) : IClassFixture<AzuriteFixture>, IDisposable
{
    private readonly CliHarness _cli = new(azurite, output);

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Validate_PushedBlob_PrintsWhatPlanningWillRecord()
    {
        var name = await PushUsersAsync();

        var result = await ValidateAsync(Workload(name, $"datasets/{name}.csv", "/api/echo/users/${data.id}?city=${data.city}"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"data.blob datasets/{name}.csv: 8 rows", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_BlobMissing_Exit2NamingDataBlobWithThePushHint()
    {
        var name = AzuriteFixture.UniqueName("nodata");

        var result = await ValidateAsync(Workload(name, $"datasets/{name}.csv", "/api/echo/${data.id}"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"yardstick: data.blob: 'datasets/{name}.csv' does not exist in the datasets container", result.Error, StringComparison.Ordinal);
        Assert.Contains($"'yardstick data push <file> --name {name}.csv'", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_RequestNamesAColumnTheBlobLacks_Exit2NamingIt()
    {
        var name = await PushUsersAsync();

        var result = await ValidateAsync(Workload(name, $"datasets/{name}.csv", "/api/echo/${data.id}?zip=${data.zip}"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"yardstick: data.blob: ${{data.zip}} is not a column of datasets/{name}.csv (columns: id, name, city, note)", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/echo/users/${data.id}?city=REDACTED", 0, "")]
    [InlineData("/api/echo/users/${data.zip}", 2, "load.trace: line 2: ${data.zip} is not a column of datasets/{0}.csv (columns: id, name, city, note).")]
    public async Task Validate_ReplayTraceFileWithABlobDataset_ChecksTheTracesHolesAgainstTheBlobsColumns(string path, int exitCode, string error)
    {
        var name = await PushUsersAsync();
        Directory.CreateDirectory(_cli.PathOf("traces"));
        await File.WriteAllTextAsync(_cli.PathOf(Path.Combine("traces", name + ".jsonl")), $$"""
            {"t":"2026-12-01T10:00:00.000Z","path":"/api/hello"}
            {"t":"2026-12-01T10:00:00.100Z","path":"{{path}}"}

            """);
        var workload = _cli.WriteWorkload(name, $"""
            name: {name}
            target:
              url: http://127.0.0.1:5080/
            data:
              blob: datasets/{name}.csv
            load:
              model: replay
              trace: traces/{name}.jsonl
            """);

        var result = await ValidateAsync(workload);

        Assert.True(result.ExitCode == exitCode, result.ToString());
        if (exitCode != 0)
        {
            Assert.Contains("yardstick: " + error.Replace("{0}", name, StringComparison.Ordinal), result.Error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Validate_StorageDoesNotAnswer_WarnsAndStaysValid()
    {
        var name = AzuriteFixture.UniqueName("away");
        // Azurite's well-known development account on a loopback port nothing listens on.
        var away = _cli.ConnectionString.Replace(new Uri(ExtractBlobEndpoint(_cli.ConnectionString)).Authority, "127.0.0.1:9", StringComparison.Ordinal);
        var watch = Stopwatch.StartNew();

        var result = await ValidateAsync(Workload(name, $"datasets/{name}.csv", "/api/echo/${data.id}"), away);

        Assert.True(result.ExitCode == 0, result.ToString());
        var text = System.Text.RegularExpressions.Regex.Replace(result.Out, @"\s+", " "); // the console wraps at its width
        Assert.Matches(@"warning: data\.blob not checked: (storage at 127\.0\.0\.1:9 refused the connection|the results storage account \(http://127\.0\.0\.1:9/\S+\) did not answer within 8 s)", text);
        Assert.Contains("; 'run' looks it up again when it plans.", text, StringComparison.Ordinal);
        Assert.Contains("valid:", text, StringComparison.Ordinal);
        output.WriteLine($"unreachable storage answered in {watch.Elapsed.TotalSeconds:0.0} s");
    }

    private async Task<string> PushUsersAsync()
    {
        var name = AzuriteFixture.UniqueName("valdata");
        var csv = _cli.PathOf(name + ".csv");
        File.Copy(Path.Combine(RepositoryRoot(), "workloads", "data", "users.csv"), csv, overwrite: true);
        var push = await _cli.RunAsync("data", "push", csv, "--storage", _cli.ConnectionString);
        Assert.True(push.ExitCode == 0, push.ToString());
        return name;
    }

    private Task<CliResult> ValidateAsync(string path, string? storage = null) =>
        _cli.RunAsync("validate", path, "--storage", storage ?? _cli.ConnectionString);

    private string Workload(string name, string blob, string url) => _cli.WriteWorkload(name, $"""
        name: {name}
        target:
          url: http://127.0.0.1:5080/api/hello
        data:
          blob: {blob}
        requests:
          - name: user
            url: {url}
        load:
          model: open
          rate: 10/s
          duration: 10s
        """);

    private static string ExtractBlobEndpoint(string connectionString) =>
        connectionString.Split(';').Select(p => p.Split('=', 2)).First(p => p[0] == "BlobEndpoint")[1];

    private static string RepositoryRoot()
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
}
