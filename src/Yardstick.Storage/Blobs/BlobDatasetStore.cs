using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Yardstick.Core;
using Yardstick.Core.Datasets;
using Yardstick.Core.Ports;

namespace Yardstick.Storage.Blobs;

/// <summary>
/// <see cref="IDatasetStore"/> on the results account's container <c>datasets</c>: blob <c>{name}</c> for
/// <c>data.blob: datasets/{name}</c>, with metadata <c>yardsticksha256</c>, <c>yardstickrows</c>, <c>yardstickbytes</c> and
/// <c>yardstickcolumns</c> (a URL-escaped JSON array) written by <c>yardstick data push</c>. Every name goes through
/// <see cref="DatasetBlobNames"/>, so no other container is reachable through it.
/// </summary>
public sealed class BlobDatasetStore : IDatasetStore
{
    public const string Sha256Key = "yardsticksha256";
    public const string RowsKey = "yardstickrows";
    public const string BytesKey = "yardstickbytes";
    public const string ColumnsKey = "yardstickcolumns";

    /// <summary>Bytes read per ranged GET while streaming (one buffer per open reader).</summary>
    public const int ReadBufferBytes = 1 << 20;

    /// <summary>Columns longer than this (escaped) are not stored as metadata (the account caps all metadata at 8 KiB).</summary>
    private const int MaxColumnsMetadata = 4096;

    private readonly BlobContainerClient _container;
    private readonly CreateOnce _creation;

    public BlobDatasetStore(BlobServiceClient service, string containerName = "datasets")
    {
        ArgumentNullException.ThrowIfNull(service);
        var container = service.GetBlobContainerClient(containerName);
        _container = container;
        _creation = new CreateOnce(() => container.CreateIfNotExistsAsync(cancellationToken: CancellationToken.None));
    }

    public string ContainerName => _container.Name;

    public string Location =>
        new UriBuilder(_container.Uri) { Query = "", Fragment = "", UserName = "", Password = "" }.Uri.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/";

    public async Task<DatasetBlob?> GetAsync(string name, CancellationToken cancellationToken)
    {
        var blob = _container.GetBlobClient(Check(name));
        try
        {
            var p = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken)).Value;
            return new DatasetBlob(name, p.ETag.ToString(), p.VersionId, p.ContentLength, p.LastModified, ReadInfo(name, p.Metadata, p.ContentLength));
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public Stream OpenRead(string name, string etag)
    {
        ArgumentException.ThrowIfNullOrEmpty(etag);
        var blob = _container.GetBlobClient(Check(name));
        try
        {
            // allowModifications: false makes every later range conditional on the same ETag; the first read is too.
            var stream = blob.OpenRead(new BlobOpenReadOptions(allowModifications: false)
            {
                BufferSize = ReadBufferBytes,
                Conditions = new BlobRequestConditions { IfMatch = new ETag(etag) },
            });
            return new ConditionalReadStream(stream, name, etag);
        }
        catch (RequestFailedException e)
        {
            throw Translate(e, name, etag);
        }
    }

    public async Task<DatasetBlob> PutAsync(string name, Stream content, DatasetInfo info, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(info);
        var blob = _container.GetBlobClient(Check(name));
        await _creation.EnsureAsync(cancellationToken);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [Sha256Key] = info.Sha256,
            [RowsKey] = info.Rows.ToString(CultureInfo.InvariantCulture),
            [BytesKey] = info.Bytes.ToString(CultureInfo.InvariantCulture),
        };
        var columns = Uri.EscapeDataString(JsonSerializer.Serialize(info.Columns));
        if (columns.Length <= MaxColumnsMetadata)
        {
            metadata[ColumnsKey] = columns;
        }

        var options = new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = DatasetReader.IsJsonLines(name) ? "application/x-ndjson" : "text/csv" },
            Metadata = metadata,
        };
        await blob.UploadAsync(content, options, cancellationToken);
        return await GetAsync(name, cancellationToken) ?? throw new InvalidOperationException($"dataset {name} vanished right after its upload.");
    }

    public async Task<IReadOnlyList<DatasetBlob>> ListAsync(CancellationToken cancellationToken)
    {
        var list = new List<DatasetBlob>();
        try
        {
            await foreach (var item in _container.GetBlobsAsync(new GetBlobsOptions { Traits = BlobTraits.Metadata }, cancellationToken))
            {
                var length = item.Properties.ContentLength ?? 0;
                list.Add(new DatasetBlob(item.Name, item.Properties.ETag?.ToString() ?? "", item.VersionId, length, item.Properties.LastModified ?? default, ReadInfo(item.Name, item.Metadata, length)));
            }
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return [];
        }

        return list;
    }

    /// <summary>The stored description, when all of it is there and still matches the blob's length; null otherwise.</summary>
    private static DatasetInfo? ReadInfo(string name, IDictionary<string, string>? metadata, long length)
    {
        if (metadata is null
            || !metadata.TryGetValue(Sha256Key, out var sha)
            || !metadata.TryGetValue(RowsKey, out var rowsText)
            || !metadata.TryGetValue(BytesKey, out var bytesText)
            || !long.TryParse(rowsText, NumberStyles.None, CultureInfo.InvariantCulture, out var rows)
            || !long.TryParse(bytesText, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes)
            || bytes != length
            || sha.Length != 64)
        {
            return null;
        }

        IReadOnlyList<string> columns = [];
        if (metadata.TryGetValue(ColumnsKey, out var columnsText))
        {
            try
            {
                columns = JsonSerializer.Deserialize<List<string>>(Uri.UnescapeDataString(columnsText)) ?? [];
            }
            catch (JsonException)
            {
                columns = [];
            }
        }

        return new DatasetInfo(DatasetBlobNames.Prefix + name, sha, rows, bytes, columns);
    }

    private static string Check(string name) => DatasetBlobNames.BlobName(DatasetBlobNames.Prefix + name);

    private static Exception Translate(RequestFailedException e, string name, string etag) => e.Status switch
    {
        412 => new DatasetChangedException(name, etag),
        404 => new InputException("data.blob", $"'{DatasetBlobNames.Prefix}{name}' no longer exists in the datasets container."),
        _ => e,
    };

    /// <summary>Turns the SDK's 412/404 during ranged reads into the dataset's own errors (naming <c>data.blob</c>).</summary>
    private sealed class ConditionalReadStream(Stream inner, string name, string etag) : Core.Datasets.ForwardOnlyReadStream(inner)
    {
        public override int Read(Span<byte> buffer)
        {
            try
            {
                var n = Inner.Read(buffer);
                Consumed += n;
                return n;
            }
            catch (RequestFailedException e)
            {
                throw Translate(e, name, etag);
            }
        }
    }
}
