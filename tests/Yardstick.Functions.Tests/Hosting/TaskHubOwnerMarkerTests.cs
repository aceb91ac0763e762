using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Yardstick.Functions.Hosting;
using Yardstick.Storage.TaskHubs;
using Yardstick.Testing;

namespace Yardstick.Functions.Tests.Hosting;

/// <summary>The Functions host marks its task hub as its own at start (on Azurite), so a CLI worker refuses to join it.</summary>
[Collection(AzuriteFixture.Collection)]
public sealed class TaskHubOwnerMarkerTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task StartAsync_WritesOwnerFunctions_WithTheAppName_ForTheConfiguredHub()
    {
        var hub = "Hub" + AzuriteFixture.UniqueName("m");
        var at = new DateTimeOffset(2026, 12, 6, 3, 0, 0, TimeSpan.Zero);
        var marker = new TaskHubOwnerMarker(Configuration(new()
        {
            [AppSettings.HostStorage] = azurite.ConnectionString,
            [AppSettings.TaskHub] = hub,
            [AppSettings.PlatformSiteName] = "bench-app",
        }), new FakeTimeProvider(at), NullLogger<TaskHubOwnerMarker>.Instance);

        await marker.StartAsync(CancellationToken.None);

        // Task hub names are case-insensitive: the CLI finds the marker whatever case it was given.
        var owner = await TaskHubOwnership.ReadAsync(new BlobServiceClient(azurite.ConnectionString), hub.ToUpperInvariant(), CancellationToken.None);
        Assert.Equal(new TaskHubOwner(TaskHubOwnership.Functions, "bench-app", at), owner);
    }

    [Fact]
    public async Task StartAsync_HubOrStorageNotSet_StartsWithoutWriting()
    {
        var marker = new TaskHubOwnerMarker(Configuration(new() { [AppSettings.HostStorage] = azurite.ConnectionString }), TimeProvider.System, NullLogger<TaskHubOwnerMarker>.Instance);
        await marker.StartAsync(CancellationToken.None);

        var noStorage = new TaskHubOwnerMarker(Configuration(new() { [AppSettings.TaskHub] = "x" }), TimeProvider.System, NullLogger<TaskHubOwnerMarker>.Instance);
        await noStorage.StartAsync(CancellationToken.None);

        Assert.Null(await TaskHubOwnership.ReadAsync(new BlobServiceClient(azurite.ConnectionString), "x", CancellationToken.None));
    }

    [Fact]
    public void CreateBlobClient_IdentityForm_UsesTheBlobServiceUri()
    {
        var client = TaskHubOwnerMarker.CreateBlobClient(Configuration(new() { ["AzureWebJobsStorage:blobServiceUri"] = "https://acct.blob.core.windows.net" }));

        Assert.Equal("acct", client!.AccountName);
    }

    private static IConfiguration Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
