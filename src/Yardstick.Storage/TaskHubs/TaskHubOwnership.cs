using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Yardstick.Core;

namespace Yardstick.Storage.TaskHubs;

/// <summary>Which host runs a task hub: the marker a host writes into the hub's storage account when it starts.</summary>
/// <param name="Owner"><see cref="TaskHubOwnership.Functions"/> or <see cref="TaskHubOwnership.Cli"/>.</param>
/// <param name="App">The Functions app's site name (null for the CLI, or when unknown).</param>
/// <param name="WrittenAt">When the host last started.</param>
public sealed record TaskHubOwner(string Owner, string? App, DateTimeOffset WrittenAt);

/// <summary>
/// The owner marker of a task hub: blob <c>yardstick-taskhubs/{hub}.json</c> in the account that holds the hub. The
/// Functions host writes <c>owner: functions</c> at every start; the CLI refuses to start a worker on such a hub,
/// because a CLI worker there would take the app's partitions with other lease settings, another payload serializer and
/// the CLI's allow-list (loopback, local processes) — running the deployment's runs under the wrong rules.
/// </summary>
public static class TaskHubOwnership
{
    /// <summary>The container of the markers (one per task hub).</summary>
    public const string Container = "yardstick-taskhubs";

    public const string Functions = "functions";

    public const string Cli = "cli";

    /// <summary>Writes (overwrites) the marker of <paramref name="taskHub"/>.</summary>
    public static async Task WriteAsync(BlobServiceClient blobs, string taskHub, TaskHubOwner owner, CancellationToken cancellationToken)
    {
        var container = blobs.GetBlobContainerClient(Container);
        await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        await container.GetBlobClient(BlobName(taskHub)).UploadAsync(
            BinaryData.FromObjectAsJson(owner, YardstickJson.Options),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } },
            cancellationToken);
    }

    /// <summary>The marker of <paramref name="taskHub"/>, or null when no host wrote one (or it is unreadable).</summary>
    public static async Task<TaskHubOwner?> ReadAsync(BlobServiceClient blobs, string taskHub, CancellationToken cancellationToken)
    {
        try
        {
            var content = await blobs.GetBlobContainerClient(Container).GetBlobClient(BlobName(taskHub)).DownloadContentAsync(cancellationToken);
            return content.Value.Content.ToObjectFromJson<TaskHubOwner>(YardstickJson.Options) is { Owner: not null } owner ? owner : null;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// Throws an <see cref="InputException"/> naming <c>--task-hub</c> when <paramref name="taskHub"/> belongs to a
    /// Functions app: a CLI host must never join it.
    /// </summary>
    public static async Task EnsureNotFunctionsHubAsync(BlobServiceClient blobs, string taskHub, string storageDescription, CancellationToken cancellationToken)
    {
        if (await ReadAsync(blobs, taskHub, cancellationToken) is { Owner: Functions } owner)
        {
            var app = owner.App is { Length: > 0 } name ? $"the Functions app '{name}'" : "a Functions app";
            throw new InputException(
                "--task-hub",
                $"task hub '{taskHub}' on {storageDescription} belongs to {app} (marker {Container}/{BlobName(taskHub)}); a CLI worker must not join it: the app's runs would run under the CLI's lease settings, serializer and allow-list. Use another task hub, or scale the deployment with shards and instances.");
        }
    }

    /// <summary>Task hub names are case-insensitive in the Azure Storage backend (its queues and containers are lower case).</summary>
    internal static string BlobName(string taskHub) => taskHub.ToLowerInvariant() + ".json";
}
