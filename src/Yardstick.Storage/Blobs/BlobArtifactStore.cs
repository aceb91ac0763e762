using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Yardstick.Core;
using Yardstick.Core.Ports;
using Yardstick.Core.Runs;

namespace Yardstick.Storage.Blobs;

/// <summary>
/// <see cref="IArtifactStore"/> on blob container <c>yardstick-runs</c>: blob <c>{workload}/{runId}/{name}</c>, uploaded
/// with its content type and metadata <c>yardstickschema=1</c>, overwriting (writes are idempotent).
/// </summary>
public sealed class BlobArtifactStore : IArtifactStore
{
    /// <summary>Metadata key carrying the layout version on every blob.</summary>
    public const string SchemaMetadataKey = "yardstickschema";

    public const int CurrentSchemaVersion = 1;

    private static readonly Dictionary<string, string> SchemaMetadata = new(StringComparer.Ordinal)
    {
        [SchemaMetadataKey] = CurrentSchemaVersion.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private readonly BlobContainerClient _container;
    private readonly CreateOnce _creation;

    public BlobArtifactStore(BlobServiceClient service, string containerName = "yardstick-runs")
    {
        var container = service.GetBlobContainerClient(containerName);
        _container = container;
        _creation = new CreateOnce(() => container.CreateIfNotExistsAsync(cancellationToken: CancellationToken.None));
    }

    public string ContainerName => _container.Name;

    /// <summary>The blob folder of a run, relative to the container: <c>{workload}/{runId}/</c>.</summary>
    public static string FolderOf(string workload, string runId) => $"{CheckWorkload(workload)}/{CheckRunId(runId)}/";

    public string DescribeLocation(string workload, string runId)
    {
        // The container URI carries a SAS query when the connection has one: keep scheme, host and path only.
        var container = new UriBuilder(_container.Uri) { Query = "", Fragment = "", UserName = "", Password = "" }.Uri;
        return container.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/" + FolderOf(workload, runId);
    }

    public async Task PutAsync(string workload, string runId, string name, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken)
    {
        var blob = _container.GetBlobClient(FolderOf(workload, runId) + CheckName(name));
        if (string.IsNullOrWhiteSpace(contentType))
        {
            throw new InputException("contentType", "must not be empty.");
        }

        await EnsureContainerAsync(cancellationToken);
        var options = new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = contentType },
            Metadata = SchemaMetadata,
        };

        // Upload without conditions replaces an existing blob: a retried activity writes the same artifact again.
        await blob.UploadAsync(BinaryData.FromBytes(content), options, cancellationToken);
    }

    public async Task<byte[]?> GetAsync(string workload, string runId, string name, CancellationToken cancellationToken)
    {
        var blob = _container.GetBlobClient(FolderOf(workload, runId) + CheckName(name));
        try
        {
            var result = await blob.DownloadContentAsync(cancellationToken);
            return result.Value.Content.ToArray();
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Either the blob or the whole container is missing: both mean "no such artifact".
            return null;
        }
    }

    public async Task<IReadOnlyList<string>> ListAsync(string workload, string runId, string prefix, CancellationToken cancellationToken)
    {
        var folder = FolderOf(workload, runId);
        var names = new List<string>();
        try
        {
            await foreach (var item in _container.GetBlobsAsync(new GetBlobsOptions { Prefix = folder + (prefix ?? "") }, cancellationToken))
            {
                names.Add(item.Name[folder.Length..]);
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return [];
        }

        return names;
    }

    /// <summary>Content type and schema metadata of an artifact, or null when it does not exist.</summary>
    public async Task<(string ContentType, IReadOnlyDictionary<string, string> Metadata)?> GetPropertiesAsync(string workload, string runId, string name, CancellationToken cancellationToken)
    {
        var blob = _container.GetBlobClient(FolderOf(workload, runId) + CheckName(name));
        try
        {
            var properties = await blob.GetPropertiesAsync(cancellationToken: cancellationToken);
            return (properties.Value.ContentType, properties.Value.Metadata.AsReadOnly());
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Creates the container once per store (and again after a failed attempt).</summary>
    public Task EnsureContainerAsync(CancellationToken cancellationToken) => _creation.EnsureAsync(cancellationToken);

    private static string CheckWorkload(string workload) =>
        !string.IsNullOrEmpty(workload) && IsSafeSegment(workload)
            ? workload
            : throw new InputException("workload", $"'{workload}' cannot name a blob folder (no '/', '\\', control characters, '.' or '..').");

    private static string CheckRunId(string runId) => RunIds.IsValid(runId) || ArtifactFolders.IsReserved(runId)
        ? runId
        : throw new InputException("runId", $"'{runId}' is not a run id (expected yyyyMMdd-HHmmss-xxxxxx).");

    private static string CheckName(string name)
    {
        // Names may have folders (histograms/round-1.hdr) but must stay inside the run's folder.
        if (string.IsNullOrEmpty(name) || name.Length > 512 || !name.Split('/').All(IsSafeSegment))
        {
            throw new InputException("artifact", $"'{name}' is not a valid artifact name (relative path of non-empty segments; no '\\', '.', '..' or control characters).");
        }

        return name;
    }

    private static bool IsSafeSegment(string segment) =>
        segment.Length > 0 && segment is not ("." or "..") && !segment.Any(c => c is '/' or '\\' || char.IsControl(c));
}
