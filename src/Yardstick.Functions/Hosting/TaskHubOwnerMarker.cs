using Azure.Identity;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Yardstick.Storage.TaskHubs;

namespace Yardstick.Functions.Hosting;

/// <summary>
/// Writes <c>owner: functions</c> into the app's task hub account at start (<see cref="TaskHubOwnership"/>), so that a
/// CLI <c>yardstick worker</c> pointed at the app's storage refuses to join its hub. Best effort: a host that cannot
/// write it still starts (and logs why); the marker only protects the hub from the CLI.
/// </summary>
internal sealed class TaskHubOwnerMarker(IConfiguration configuration, TimeProvider time, ILogger<TaskHubOwnerMarker> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var hub = configuration[AppSettings.TaskHub];
        if (string.IsNullOrWhiteSpace(hub) || CreateBlobClient(configuration) is not { } blobs)
        {
            Log.TaskHubMarkerSkipped(logger, AppSettings.TaskHub + " or " + AppSettings.HostStorage + " is not set");
            return;
        }

        try
        {
            var owner = new TaskHubOwner(TaskHubOwnership.Functions, configuration[AppSettings.PlatformSiteName], time.GetUtcNow());
            await TaskHubOwnership.WriteAsync(blobs, hub, owner, cancellationToken);
        }
        catch (Exception e) when (e is global::Azure.RequestFailedException or AuthenticationFailedException or InvalidOperationException)
        {
            Log.TaskHubMarkerSkipped(logger, e.Message);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The task hub account's blob service: <c>AzureWebJobsStorage</c> as a connection string, or its identity-based form.</summary>
    internal static BlobServiceClient? CreateBlobClient(IConfiguration configuration)
    {
        if (configuration[AppSettings.HostStorage] is { Length: > 0 } connectionString)
        {
            return new BlobServiceClient(connectionString);
        }

        if (Setting(configuration, AppSettings.HostStorageBlobUri) is { Length: > 0 } uri && Uri.TryCreate(uri, UriKind.Absolute, out var endpoint))
        {
            return new BlobServiceClient(endpoint, new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = Setting(configuration, AppSettings.HostStorageClientId) }));
        }

        return null;
    }

    /// <summary>An environment-variable name with <c>__</c> is the configuration key with <c>:</c>.</summary>
    private static string? Setting(IConfiguration configuration, string name) => configuration[name.Replace("__", ":", StringComparison.Ordinal)];
}
