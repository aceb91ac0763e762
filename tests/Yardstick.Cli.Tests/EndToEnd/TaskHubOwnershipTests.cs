using Azure.Storage.Blobs;
using Xunit.Abstractions;
using Yardstick.Storage.TaskHubs;
using Yardstick.Testing;

namespace Yardstick.Cli.Tests.EndToEnd;

/// <summary>
/// A CLI host never joins a task hub a Functions app marked as its own (the marker the app writes at start): the
/// worker and run commands refuse with exit code 2 and a message naming the hub and the app.
/// </summary>
public sealed class TaskHubOwnershipTests(AzuriteFixture azurite, ITestOutputHelper output) : SampleTargetCliTests(azurite, output)
{
    [Fact]
    public async Task Worker_OnAFunctionsAppsTaskHub_RefusesNamingTheHubAndApp()
    {
        await MarkAsync(Cli.TaskHub.ToUpperInvariant(), TaskHubOwnership.Functions);

        await using var worker = CliProcess.Start(["worker", .. Cli.HubArguments]);
        int exit;
        try
        {
            exit = await worker.WaitAsync(TimeSpan.FromSeconds(90));
        }
        catch (OperationCanceledException)
        {
            throw new Xunit.Sdk.XunitException("the worker joined the Functions app's task hub:\n" + worker.Output);
        }

        Assert.True(exit == 2, worker.Output);
        Assert.Contains($"task hub '{Cli.TaskHub}'", worker.Output, StringComparison.Ordinal);
        Assert.Contains("Functions app 'bench-app'", worker.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Worker joined", worker.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_OnAFunctionsAppsTaskHub_IsRefused()
    {
        await MarkAsync(Cli.TaskHub, TaskHubOwnership.Functions);

        var result = await Cli.RunAsync("run", Workload(), "--no-progress");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("must not join", result.Out + result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cli")]
    [InlineData(null)]
    public async Task Run_OnAHubMarkedByTheCliOrWithADamagedMarker_Runs(string? owner)
    {
        if (owner is null)
        {
            var container = new BlobServiceClient(Cli.ConnectionString).GetBlobContainerClient(TaskHubOwnership.Container);
            await container.CreateIfNotExistsAsync();
            await container.GetBlobClient(Cli.TaskHub + ".json").UploadAsync(BinaryData.FromString("{ not json"), overwrite: true);
        }
        else
        {
            await MarkAsync(Cli.TaskHub, owner);
        }

        var result = await Cli.RunAsync("run", Workload(), "--no-progress");

        Assert.True(result.ExitCode == 0, result.ToString());
    }

    private string Workload()
    {
        var name = AzuriteFixture.UniqueName("hubowner");
        return Cli.WriteWorkload(name, $"""
            name: {name}
            target:
              url: {Target.BaseUrl}/api/hello
            load:
              rate: 10/s
              duration: 1s
            """);
    }

    private Task MarkAsync(string hub, string owner) =>
        TaskHubOwnership.WriteAsync(new BlobServiceClient(Cli.ConnectionString), hub, new TaskHubOwner(owner, "bench-app", DateTimeOffset.UtcNow), CancellationToken.None);
}
