using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Azure.Data.Tables;
using Yardstick.Storage.Local;
using Yardstick.Testing;

namespace Yardstick.Storage.Tests.Local;

// In the Azurite collection so these extra emulators start one at a time, after the shared one.
[Collection(AzuriteFixture.Collection)]
public sealed class AzuriteLauncherTests : IDisposable
{
    private readonly string _location = Path.Combine(AzuriteFixture.TestRoot, "launcher-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(_location, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    [Fact]
    public async Task StartAsync_DefaultPortsBusy_PicksFreePortsAndServesAllThreeServices()
    {
        // Hold the default blob port when it is free; if something else holds it, it is busy all the same.
        using var blocker = TryListen(DevelopmentStorage.DefaultBlobPort);
        Assert.False(IsFree(DevelopmentStorage.DefaultBlobPort));

        await using var launcher = await AzuriteLauncher.StartAsync(new AzuriteOptions { Location = _location, PreferDefaultPorts = true, ReuseRunning = false });

        int[] ports = [launcher.BlobPort, launcher.QueuePort, launcher.TablePort];
        Assert.Equal(3, ports.Distinct().Count());
        Assert.DoesNotContain(DevelopmentStorage.DefaultBlobPort, ports);
        Assert.Contains($"TableEndpoint=http://127.0.0.1:{launcher.TablePort}/devstoreaccount1", launcher.ConnectionString, StringComparison.Ordinal);
        Assert.Contains($"QueueEndpoint=http://127.0.0.1:{launcher.QueuePort}/devstoreaccount1", launcher.ConnectionString, StringComparison.Ordinal);
        Assert.True(launcher.OwnsProcess);
        Assert.False(launcher.Reused);

        // Real round trips on the table and blob services, and the queue service answering as Azurite.
        var table = launcher.Connection.CreateTableServiceClient().GetTableClient("launchercheck");
        await table.CreateIfNotExistsAsync();
        await table.UpsertEntityAsync(new TableEntity("p", "r") { ["V"] = 1 });
        Assert.Equal(1, (await table.GetEntityAsync<TableEntity>("p", "r")).Value.GetInt32("V"));
        var container = launcher.Connection.CreateBlobServiceClient().GetBlobContainerClient("launchercheck");
        await container.CreateIfNotExistsAsync();
        Assert.True((await container.ExistsAsync()).Value);
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        using var queueAnswer = await http.GetAsync(new Uri($"http://127.0.0.1:{launcher.QueuePort}/devstoreaccount1?comp=list"));
        Assert.StartsWith("Azurite-Queue", queueAnswer.Headers.Server.ToString(), StringComparison.Ordinal);

        // Azurite's output goes to its log file under the location.
        Assert.Contains("successfully listening", await File.ReadAllTextAsync(launcher.LogPath), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DisposeAsync_OwnedAzurite_StopsTheProcessAndFreesThePorts()
    {
        var launcher = await AzuriteLauncher.StartAsync(new AzuriteOptions { Location = _location, PreferDefaultPorts = false, ReuseRunning = false });
        using var process = Process.GetProcessById(launcher.ProcessId);

        await launcher.DisposeAsync();

        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(30)));
        Assert.True(IsFree(launcher.TablePort));
        Assert.False(File.Exists(Path.Combine(_location, "azurite.state.json")));
    }

    [Fact]
    public async Task StartAsync_SecondLauncherWhileOwnerLives_BorrowsTheRunningAzurite()
    {
        await using var first = await AzuriteLauncher.StartAsync(new AzuriteOptions { Location = _location, PreferDefaultPorts = false });

        var second = await AzuriteLauncher.StartAsync(new AzuriteOptions { Location = _location, PreferDefaultPorts = false });
        await second.DisposeAsync();

        Assert.True(second.Reused);
        Assert.False(second.OwnsProcess);
        Assert.Equal((first.ProcessId, first.BlobPort, first.QueuePort, first.TablePort), (second.ProcessId, second.BlobPort, second.QueuePort, second.TablePort));

        // The borrower's dispose leaves the owner's Azurite running.
        var tables = first.Connection.CreateTableServiceClient();
        await tables.CreateTableIfNotExistsAsync("stillserving");
    }

    [Fact]
    public async Task StartAsync_OwnerWasKilled_AdoptsTheOrphanAndStopsItOnDispose()
    {
        // Simulate a SIGKILLed owner: the state file names an owner process that has exited.
        var first = await AzuriteLauncher.StartAsync(new AzuriteOptions { Location = _location, PreferDefaultPorts = false });
        using var dead = Process.Start(new ProcessStartInfo("/bin/sh", "-c true") { UseShellExecute = false })!;
        await dead.WaitForExitAsync();
        var state = AzuriteState.Read(Path.GetFullPath(_location))!;
        state.With(dead.Id, state.OwnerStartTicksUtc - TimeSpan.TicksPerHour).Write(Path.GetFullPath(_location));
        using var azurite = Process.GetProcessById(first.ProcessId);

        var adopter = await AzuriteLauncher.StartAsync(new AzuriteOptions { Location = _location, PreferDefaultPorts = false });

        Assert.True(adopter.Reused);
        Assert.True(adopter.OwnsProcess);
        Assert.Equal(first.ProcessId, adopter.ProcessId);
        await adopter.DisposeAsync();
        Assert.True(azurite.WaitForExit(TimeSpan.FromSeconds(30)));
        await first.DisposeAsync();
    }

    [Fact]
    public async Task StartAsync_ExplicitPortsAfterAKill_ServesAgainOnTheSamePorts()
    {
        var first = await AzuriteLauncher.StartAsync(new AzuriteOptions { Location = _location, PreferDefaultPorts = false, ReuseRunning = false });
        int[] ports = [first.BlobPort, first.QueuePort, first.TablePort];
        await first.Connection.CreateTableServiceClient().CreateTableIfNotExistsAsync("beforekill");

        // SIGKILL, as a crash would: the restart must not move (clients hold the old connection string).
        using (var azurite = Process.GetProcessById(first.ProcessId))
        {
            azurite.Kill();
            await azurite.WaitForExitAsync();
        }

        await using var second = await AzuriteLauncher.StartAsync(new AzuriteOptions { Location = _location, Ports = ports, ReuseRunning = false });

        Assert.Equal((ports[0], ports[1], ports[2]), (second.BlobPort, second.QueuePort, second.TablePort));
        Assert.Equal(first.ConnectionString, second.ConnectionString);
        var tables = second.Connection.CreateTableServiceClient();
        await tables.CreateTableIfNotExistsAsync("afterrestart");
        first.Dispose();
    }

    [Theory]
    [InlineData(new[] { 20001, 20002 })]
    [InlineData(new[] { 20001, 20001, 20002 })]
    [InlineData(new[] { 0, 20001, 20002 })]
    [InlineData(new[] { 20001, 20002, 70000 })]
    public async Task StartAsync_PortsNotThreeDistinctValidPorts_ThrowsNamingThem(int[] ports)
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(() => AzuriteLauncher.StartAsync(new AzuriteOptions { Location = _location, Ports = ports }));

        Assert.Contains($"not [{string.Join(", ", ports)}]", e.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_location));
    }

    [Fact]
    public async Task StopIfOrphaned_LiveOwner_LeavesAzuriteRunning()
    {
        await using var launcher = await AzuriteLauncher.StartAsync(new AzuriteOptions { Location = _location, PreferDefaultPorts = false });

        Assert.False(AzuriteLauncher.StopIfOrphaned(_location));
        using var process = Process.GetProcessById(launcher.ProcessId);
        Assert.False(process.HasExited);
    }

    [Fact]
    public void FindDirectory_FromTheTestBinaries_FindsTheRepositoryToolsFolder()
    {
        var directory = AzuriteInstall.FindDirectory();

        Assert.True(File.Exists(Path.Combine(directory, "package-lock.json")));
        Assert.Equal("azurite", Path.GetFileName(directory));
    }

    [Fact]
    public void FindDirectory_ExplicitFolderWithoutPackageJson_ThrowsNamingTheFolder()
    {
        var error = Assert.Throws<AzuriteLaunchException>(() => AzuriteInstall.FindDirectory(Path.GetTempPath()));

        Assert.Contains("package.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckNode_NodeMissingFromPath_ThrowsNamingNodeJs20()
    {
        var error = Assert.Throws<AzuriteLaunchException>(() => AzuriteInstall.CheckNode(searchPath: Path.GetTempPath()));

        Assert.Contains("Node.js 20", error.Message, StringComparison.Ordinal);
        Assert.Contains(StorageConnection.SettingName, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FindDirectory_EnvironmentVariable_WinsOverTheSearchAndIsChecked()
    {
        var before = Environment.GetEnvironmentVariable(AzuriteInstall.DirectoryVariable);
        try
        {
            var copy = Directory.CreateDirectory(Path.Combine(_location, "tools-copy")).FullName;
            File.Copy(Path.Combine(AzuriteInstall.FindDirectory(), "package.json"), Path.Combine(copy, "package.json"));
            Environment.SetEnvironmentVariable(AzuriteInstall.DirectoryVariable, copy);
            Assert.Equal(copy, AzuriteInstall.FindDirectory());

            Environment.SetEnvironmentVariable(AzuriteInstall.DirectoryVariable, Path.Combine(_location, "missing"));
            var error = Assert.Throws<AzuriteLaunchException>(() => AzuriteInstall.FindDirectory());
            Assert.Contains(AzuriteInstall.DirectoryVariable, error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable(AzuriteInstall.DirectoryVariable, before);
        }
    }

    private static TcpListener? TryListen(int port)
    {
        try
        {
            var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return listener;
        }
        catch (SocketException)
        {
            return null;
        }
    }

    private static bool IsFree(int port)
    {
        using var listener = TryListen(port);
        return listener is not null;
    }
}
