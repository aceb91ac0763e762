using Azure.Storage.Blobs;
using System.Diagnostics;
using Xunit.Abstractions;
using Yardstick.Core;
using Yardstick.Core.Runs;
using Yardstick.Core.Summaries;
using Yardstick.Storage;
using Yardstick.Storage.Local;
using Yardstick.Testing;

namespace Yardstick.Cli.Tests.EndToEnd;

/// <summary>
/// When the host's own machinery fails — storage refusing connections, an Azurite killed mid-run, a full disk — the
/// real <c>yardstick</c> process ends with one line on stderr and exit 3 (never 1, which means "regression", and never
/// the runtime's "Unhandled exception" with a stack trace). Each test has a private Azurite it kills, so the shared
/// one serves the other tests undisturbed. Like every test class here they are a collection of their own (see
/// <see cref="AzuriteFixture"/>), run one at a time among themselves and beside the other classes (about a
/// fifth of this project's time, spent mostly waiting for killed and restarted processes).
/// </summary>
public sealed class HostFailureTests(AzuriteFixture azurite, ITestOutputHelper output) : SampleTargetCliTests(azurite, output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    /// <summary>How long a run may take to end after its storage restarted (see the restart test).</summary>
    private static readonly TimeSpan RestartedPatience = TimeSpan.FromSeconds(240);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Run_StorageRefusesConnections_ExitsThreeWithOneLineNamingTheEndpoint_StackOnlyWithVerbose(bool verbose)
    {
        var closed = TestPorts.Closed();
        var storage = DevelopmentStorage.ConnectionString(closed, TestPorts.Closed(), TestPorts.Closed());
        var file = Cli.WriteWorkload("refused", $"""
            name: refused
            target:
              url: {Target.BaseUrl}/api/hello
            load:
              rate: 10/s
              duration: 1s
            """);

        string[] args = ["run", file, "--no-progress", "--storage", storage, "--task-hub", "refused"];
        await using var cli = CliProcess.Start(verbose ? [.. args, "--verbose"] : args);
        var exit = await cli.WaitAsync(Patience);
        Output.WriteLine(cli.Output);

        Assert.Equal(3, exit);
        var line = verbose ? Lines(cli.Error).First(l => l.StartsWith("yardstick:", StringComparison.Ordinal)) : Assert.Single(Lines(cli.Error));
        Assert.StartsWith($"yardstick: storage at 127.0.0.1:{closed} refused the connection", line, StringComparison.Ordinal);
        Assert.EndsWith("fix it and run the command again.", line, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", cli.Output, StringComparison.Ordinal);
        if (verbose)
        {
            // --verbose adds what happened underneath: the exception with its stack, after the one line.
            Assert.Matches(@"(?m)^\s+at [\w.<>`]+\.", cli.Error[cli.Error.IndexOf(line, StringComparison.Ordinal)..]);
        }
        else
        {
            AssertNoCrash(cli.Output);
        }
    }

    /// <summary>The user's report: the storage under a run of three rounds killed during round 2, and not coming back.</summary>
    [Fact]
    public async Task Run_AzuriteKilledDuringRoundTwo_ExitsThreeWithOneLineToResume_RowStaysResumable()
    {
        await using var store = await PrivateAzurite.StartAsync();
        var name = AzuriteFixture.UniqueName("killed");
        var file = Cli.WriteWorkload(name, ThreeRounds(name));

        await using var cli = CliProcess.Start("run", file, "--no-progress", "--storage", store.ConnectionString, "--task-hub", "killed");
        var runId = await StoredRounds.WaitForRoundAsync(YardstickStorage.Create(store.Connection), name, cli, round: 0, shards: 2, Patience);
        store.Kill();
        var exit = await cli.WaitAsync(Patience);
        Output.WriteLine(cli.Output);

        Assert.Equal(3, exit);
        var line = Assert.Single(Lines(cli.Error));
        Assert.Matches(@"^yardstick: storage at 127\.0\.0\.1:\d+ refused the connection", line);
        Assert.EndsWith($"the run is in the task hub, 'yardstick resume {runId}' finishes it.", line, StringComparison.Ordinal);
        AssertNoCrash(cli.Output);
    }

    /// <summary>
    /// Azurite killed (SIGKILL) in round 2 and started again on the same ports ~10 s later: the run ends cleanly —
    /// completed by the same CLI, or failed with one line and finished by <c>resume</c> — and what is stored agrees:
    /// the Runs row and summary.json have the same status, every measured shard is counted once.
    /// </summary>
    [Fact]
    public async Task Run_AzuriteKilledAndRestartedOnTheSamePorts_RunEndsCleanly_RowSummaryAndShardsAgree()
    {
        await using var store = await PrivateAzurite.StartAsync();
        var name = AzuriteFixture.UniqueName("restarted");
        var file = Cli.WriteWorkload(name, ThreeRounds(name));

        await using var cli = CliProcess.Start("run", file, "--no-progress", "--storage", store.ConnectionString, "--task-hub", "restarted");
        var runId = await StoredRounds.WaitForRoundAsync(YardstickStorage.Create(store.Connection), name, cli, round: 0, shards: 2, Patience);
        store.Kill();
        await Task.Delay(TimeSpan.FromSeconds(10));
        await store.RestartAsync();

        // When the restarted Azurite kept its data, the run goes on: the messages in flight at the kill come back only
        // after their visibility timeouts (20–30 s) and the partitions after their lease (15 s), then rounds 2 and 3,
        // persist and analysis run — beside the other test collections that is more than 90 s (seen once: 1 m 58 s
        // until this wait gave up; alone the test takes ~50 s). An ending is what is asserted, not its speed.
        var exit = await cli.WaitAsync(RestartedPatience);
        Output.WriteLine($"exit {exit}\n{cli.Output}");

        AssertNoCrash(cli.Output);
        Assert.True(exit is 0 or 3, $"exit {exit}");
        var storage = YardstickStorage.Create(store.Connection);
        if (exit == 3)
        {
            var line = Assert.Single(Lines(cli.Error));
            if (line.Contains("cannot be resumed", StringComparison.Ordinal))
            {
                // Azurite saves its data to disk every few seconds: SIGKILLed before the save, the restarted one has
                // lost the task hub (measured: 404 TableNotFound) or a shard result the task hub remembers as stored
                // (seen once in CI: "shard result … is missing"). Then nothing may claim the run finished.
                Assert.Null(await TryAsync(() => storage.Artifacts.GetAsync(name, runId, "summary.json", CancellationToken.None)));
                var lostRow = await TryAsync(() => storage.Runs.GetAsync(runId, CancellationToken.None));
                Assert.True(lostRow is null || lostRow.Status is RunStatus.Running or RunStatus.Failed, $"row {lostRow?.Status}");
                return;
            }

            var resumed = await ResumeAsync(store, runId, "restarted");
            Assert.True(resumed.ExitCode == 0, resumed.ToString());
        }

        var row = await storage.Runs.GetAsync(runId, CancellationToken.None);
        Assert.NotNull(row);
        Assert.NotEqual(RunStatus.Running, row.Status);
        var summary = YardstickJson.Deserialize<RunSummary>((await storage.Artifacts.GetAsync(name, runId, "summary.json", CancellationToken.None))!);
        Assert.Equal(row.Status.ToString().ToLowerInvariant(), summary.Status);
        Assert.Equal(row.Requests, summary.Requests);
        Assert.Equal(row.FailureReason, summary.FailureReason);

        // Each measured shard that succeeded is stored once and counted once.
        var measured = await storage.Artifacts.ListAsync(name, runId, "shards/measured/", CancellationToken.None);
        var shards = new List<Core.Measurements.ShardResult>();
        foreach (var blob in measured)
        {
            shards.Add(YardstickJson.Deserialize<Core.Measurements.ShardResult>((await storage.Artifacts.GetAsync(name, runId, blob, CancellationToken.None))!));
        }

        Assert.Equal(6, measured.Count);
        Assert.Equal(shards.Where(s => s.FailureReason is null).Sum(s => s.Requests), summary.Requests);
        Assert.Equal(summary.ShardsSucceeded, shards.Count(s => s.FailureReason is null));
    }

    /// <summary>
    /// A shard result that was stored vanishes before the run is persisted (what a SIGKILLed Azurite restarted without
    /// its last save did once in CI: the task hub remembered the shard as done, the blob was gone). The run cannot be
    /// finished from what is stored, so it fails: exit 3, one line with the step's own sentence (no engine exception
    /// type, no repeated log line) and that it must be started again; the Runs row says the same, no summary claims more.
    /// </summary>
    [Fact]
    public async Task Run_AStoredShardResultVanishes_ExitsThreeWithOneLineToStartAgain_RowFailedWithTheSameReason()
    {
        var name = AzuriteFixture.UniqueName("vanished");
        var file = Cli.WriteWorkload(name, ThreeRounds(name));

        await using var cli = CliProcess.Start(["run", file, "--no-progress", .. Cli.HubArguments]);
        var runId = await StoredRounds.WaitForRoundAsync(Cli.Storage, name, cli, round: 0, shards: 2, Patience);
        var blob = $"{name}/{runId}/{StoredRounds.ShardPrefix(0)}s000.json";
        await new BlobServiceClient(Cli.ConnectionString).GetBlobContainerClient("yardstick-runs").DeleteBlobAsync(blob);
        var exit = await cli.WaitAsync(Patience);
        Output.WriteLine($"exit {exit}\n{cli.Output}");

        Assert.Equal(3, exit);
        AssertNoCrash(cli.Output);
        var line = Assert.Single(Lines(cli.Error));
        var reason = $"PersistRunActivity failed: Run {runId}: shard result shards/measured/r00/s000.json is missing";
        Assert.Equal($"yardstick: run {runId} failed: {reason}; a failed run cannot be resumed, start it again", line);
        var row = (await Cli.Storage.Runs.GetAsync(runId, CancellationToken.None))!;
        Assert.Equal(RunStatus.Failed, row.Status);
        Assert.StartsWith(reason, row.FailureReason, StringComparison.Ordinal);
        Assert.Null(await Cli.Storage.Artifacts.GetAsync(name, runId, "summary.json", CancellationToken.None));
    }

    /// <summary>
    /// The local disk full under <c>--json</c>: a 1 MiB tmpfs filled to the last byte where mounting is allowed (root,
    /// as on this runner), else <c>/dev/full</c> — both give the kernel's real ENOSPC, no fault injected in our code.
    /// The run itself is stored; the one line says so and how to write the file again.
    /// </summary>
    [Fact]
    public async Task Run_JsonOnAFullDisk_ExitsThreeWithOneLineNamingShowToWriteItAgain()
    {
        using var disk = FullDisk.Create(Output);
        var name = AzuriteFixture.UniqueName("diskfull");
        var file = Cli.WriteWorkload(name, $"""
            name: {name}
            target:
              url: {Target.BaseUrl}/api/hello
            load:
              rate: 20/s
              duration: 1s
            """);

        var result = await Cli.RunAsync("run", file, "--no-progress", "--json", disk.JsonPath);

        Assert.Equal(3, result.ExitCode);
        var runId = CliHarness.RunIdFrom(result);
        var line = Assert.Single(Lines(result.Error));
        Assert.StartsWith($"yardstick: could not write --json {disk.JsonPath} (No space left on device", line, StringComparison.Ordinal);
        Assert.EndsWith($"; free some space; run {runId} is stored, 'yardstick show {runId} --json {disk.JsonPath}' writes it again.", line, StringComparison.Ordinal);
        AssertNoCrash(result.Out + result.Error);
        Assert.Equal(RunStatus.Completed, (await Cli.Storage.Runs.GetAsync(runId, CancellationToken.None))!.Status);
    }

    /// <summary>
    /// The local host's disk fills up under the storage emulator during round 2: Azurite keeps its data on a 24 MiB
    /// tmpfs that the test fills to the last byte once round 1 is stored. Azurite still answers reads (from memory) but
    /// fails every write with 500, so the Durable engine cannot move the run on (measured: without the CLI's write
    /// heartbeat the run waited forever in round 2). The CLI must give up with exit 3 and one line naming
    /// <c>resume</c>, nothing half-written: the row still running (history shows it interrupted), no summary. (Measured
    /// once while writing this test: with the space freed, <c>resume</c> finished the run, completed, row and summary
    /// agreeing; it waits over a minute for leases and the engine's back-off, too long to keep here.)
    /// </summary>
    [Fact]
    public async Task Run_AzuriteDiskFillsDuringRoundTwo_ExitsThreeWithOneLine_RunLeftResumableNothingHalfWritten()
    {
        using var disk = Tmpfs.Mount(sizeMiB: 24);
        await using var store = await PrivateAzurite.StartAsync(disk.Path);
        var name = AzuriteFixture.UniqueName("azfull");
        var file = Cli.WriteWorkload(name, ThreeRounds(name));

        await using var cli = CliProcess.Start("run", file, "--no-progress", "--storage", store.ConnectionString, "--task-hub", "azfull");
        var runId = await StoredRounds.WaitForRoundAsync(YardstickStorage.Create(store.Connection), name, cli, round: 0, shards: 2, Patience);
        disk.Fill();
        var exit = await WaitAsync(cli);
        Output.WriteLine($"exit {exit}\n{cli.Output}");

        Assert.Equal(3, exit);
        AssertNoCrash(cli.Output);
        var line = Assert.Single(Lines(cli.Error));
        // Azurite fails writes with 500, or (its disk full) stops answering at all; both end the run within the patience.
        Assert.Matches(@"^yardstick: storage (fails requests \(500|did not answer within 10 s)", line);
        Assert.EndsWith($"the run is in the task hub, 'yardstick resume {runId}' finishes it.", line, StringComparison.Ordinal);

        var storage = YardstickStorage.Create(store.Connection);
        Assert.Equal(RunStatus.Running, (await storage.Runs.GetAsync(runId, CancellationToken.None))!.Status);
        Assert.Null(await storage.Artifacts.GetAsync(name, runId, "summary.json", CancellationToken.None));
    }

    /// <summary>A read whose table or container the restarted emulator may have lost (404) reads as nothing.</summary>
    private static async Task<T?> TryAsync<T>(Func<Task<T?>> read)
    {
        try
        {
            return await read();
        }
        catch (global::Azure.RequestFailedException e) when (e.Status == 404)
        {
            return default;
        }
    }

    /// <summary>The exit code; a CLI still running after <see cref="Patience"/> is a hang, shown with its output.</summary>
    private static async Task<int> WaitAsync(CliProcess cli)
    {
        try
        {
            return await cli.WaitAsync(Patience);
        }
        catch (OperationCanceledException)
        {
            throw new Xunit.Sdk.XunitException($"the CLI still runs after {Patience.TotalSeconds:0} s (a hang):\n{cli.Output}");
        }
    }

    private async Task<CliResult> ResumeAsync(PrivateAzurite store, string runId, string taskHub)
    {
        await using var resume = CliProcess.Start("resume", runId, "--storage", store.ConnectionString, "--task-hub", taskHub);
        var exit = await resume.WaitAsync(Patience);
        return new CliResult(exit, resume.Output, resume.Error);
    }

    private string ThreeRounds(string name) => $"""
        name: {name}
        target:
          url: {Target.BaseUrl}/api/hello
        load:
          rate: 50/s
          duration: 2s
          shards: 2
        compare:
          repeat: 3
        """;

    private static string[] Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static void AssertNoCrash(string output)
    {
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"(?m)^\s+at [\w.<>`]+\.", output);
    }
}

/// <summary>An Azurite of one test's own, on its own folder, that the test can kill and start again on the same ports.</summary>
internal sealed class PrivateAzurite : IAsyncDisposable
{
    private readonly string _location;
    private AzuriteLauncher _launcher;

    private PrivateAzurite(string location, AzuriteLauncher launcher)
    {
        _location = location;
        _launcher = launcher;
    }

    public string ConnectionString => _launcher.ConnectionString;

    public StorageConnection Connection => _launcher.Connection;

    public static async Task<PrivateAzurite> StartAsync(string? parent = null)
    {
        var location = Path.Combine(parent ?? AzuriteFixture.TestRoot, "private-" + Guid.NewGuid().ToString("N")[..8]);
        return new PrivateAzurite(location, await AzuriteLauncher.StartAsync(new AzuriteOptions { Location = location, PreferDefaultPorts = false, ReuseRunning = false }));
    }

    /// <summary>SIGKILL: no flush, no goodbye — what a crash or the OOM killer does.</summary>
    public void Kill()
    {
        using var process = Process.GetProcessById(_launcher.ProcessId);
        process.Kill();
        process.WaitForExit();
    }

    /// <summary>A new Azurite on the killed one's folder and ports.</summary>
    public async Task RestartAsync()
    {
        var old = _launcher;
        _launcher = await AzuriteLauncher.StartAsync(new AzuriteOptions
        {
            Location = _location,
            Ports = [old.BlobPort, old.QueuePort, old.TablePort],
            ReuseRunning = false,
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _launcher.DisposeAsync();
        try
        {
            Directory.Delete(_location, recursive: true);
        }
        catch (IOException)
        {
            // Left for the next run's clean-up of the test folder.
        }
    }
}

/// <summary>
/// A small tmpfs of the test's own (mount needs root, as on this runner). Where mounting is not allowed the test fails
/// saying so, unless <c>YARDSTICK_TEST_NO_MOUNT=1</c> accepts running without it — never a silent skip.
/// </summary>
internal sealed class Tmpfs : IDisposable
{
    public const string NoMountVariable = "YARDSTICK_TEST_NO_MOUNT";

    private Tmpfs(string path) => Path = path;

    public string Path { get; }

    /// <summary>Mounts a tmpfs of <paramref name="sizeMiB"/>; null when not allowed and <see cref="NoMountVariable"/> accepts that.</summary>
    public static Tmpfs? TryMount(int sizeMiB)
    {
        var path = Directory.CreateTempSubdirectory("yardstick-tmpfs-").FullName;
        if (Run("mount", "-t", "tmpfs", "-o", $"size={sizeMiB}m", "tmpfs", path) == 0)
        {
            return new Tmpfs(path);
        }

        Directory.Delete(path);
        Assert.True(
            Environment.GetEnvironmentVariable(NoMountVariable) == "1",
            $"mount -t tmpfs is not allowed here (needs root); set {NoMountVariable}=1 to run the disk-full tests without a real full filesystem");
        return null;
    }

    /// <summary>A mounted tmpfs; where that is not allowed the test fails (this scenario has no stand-in).</summary>
    public static Tmpfs Mount(int sizeMiB)
    {
        var path = Directory.CreateTempSubdirectory("yardstick-tmpfs-").FullName;
        Assert.True(
            Run("mount", "-t", "tmpfs", "-o", $"size={sizeMiB}m", "tmpfs", path) == 0,
            "mount -t tmpfs is not allowed here (needs root): this test fills a real filesystem under Azurite and has no stand-in");
        return new Tmpfs(path);
    }

    /// <summary>Writes until the kernel says the filesystem is full (ENOSPC); returns the file that fills it.</summary>
    public string Fill()
    {
        // Unbuffered: every write reaches the kernel, and nothing is left to flush (and fail) on dispose.
        var path = System.IO.Path.Combine(Path, "filler-" + Guid.NewGuid().ToString("N")[..6]);
        using var filler = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
        var block = new byte[64 * 1024];
        try
        {
            while (true)
            {
                filler.Write(block);
            }
        }
        catch (IOException)
        {
        }

        // What a 64 KiB block could not take, a byte at a time.
        try
        {
            while (true)
            {
                filler.WriteByte(0);
            }
        }
        catch (IOException)
        {
        }

        return path;
    }

    public void Dispose()
    {
        Run("umount", "-l", Path);
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    internal static int Run(string command, params string[] args)
    {
        var info = new ProcessStartInfo(command) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        try
        {
            using var process = Process.Start(info)!;
            process.WaitForExit();
            return process.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return -1;
        }
    }
}

/// <summary>A place to write where the disk is full: a filled 1 MiB tmpfs when mount is allowed, else /dev/full.</summary>
internal sealed class FullDisk : IDisposable
{
    private readonly Tmpfs? _tmpfs;

    private FullDisk(string jsonPath, Tmpfs? tmpfs)
    {
        JsonPath = jsonPath;
        _tmpfs = tmpfs;
    }

    public string JsonPath { get; }

    public static FullDisk Create(ITestOutputHelper output)
    {
        if (Tmpfs.TryMount(sizeMiB: 1) is { } tmpfs)
        {
            tmpfs.Fill();
            output.WriteLine($"disk full: a filled 1 MiB tmpfs at {tmpfs.Path}");
            return new FullDisk(Path.Combine(tmpfs.Path, "summary.json"), tmpfs);
        }

        // Not allowed to mount (a locked-down CI container): the kernel's always-full device gives the same ENOSPC.
        Assert.True(File.Exists("/dev/full"), "neither tmpfs nor /dev/full is available to make a full disk");
        output.WriteLine("disk full: mount not allowed here, writing to /dev/full");
        return new FullDisk("/dev/full", null);
    }

    public void Dispose() => _tmpfs?.Dispose();
}
