using Yardstick.Core.Datasets;

namespace Yardstick.Core.Ports;

/// <summary>
/// Datasets in the results storage account's datasets container (<c>data.blob: datasets/&lt;name&gt;</c>). Names are the
/// part after <c>datasets/</c>, checked by <see cref="DatasetBlobNames"/>; nothing outside that container is ever read.
/// </summary>
public interface IDatasetStore
{
    /// <summary>Human-readable location of the container (a URL without credentials).</summary>
    string Location { get; }

    /// <summary>The blob's properties and the description <c>yardstick data push</c> stored with it; null when it does not exist.</summary>
    Task<DatasetBlob?> GetAsync(string name, CancellationToken cancellationToken);

    /// <summary>
    /// A forward-only stream of the blob as it was at <paramref name="etag"/>: it is read in ranges (never loaded whole),
    /// and every range is conditional on the ETag, so a blob replaced since then throws <see cref="DatasetChangedException"/>.
    /// </summary>
    Stream OpenRead(string name, string etag);

    /// <summary>Uploads <paramref name="content"/> (overwriting) with <paramref name="info"/> as metadata.</summary>
    Task<DatasetBlob> PutAsync(string name, Stream content, DatasetInfo info, CancellationToken cancellationToken);

    /// <summary>Every dataset in the container, by name.</summary>
    Task<IReadOnlyList<DatasetBlob>> ListAsync(CancellationToken cancellationToken);
}

/// <summary>A dataset blob: its name (after <c>datasets/</c>), ETag, version (when the account keeps versions), size and stored description.</summary>
/// <param name="Name">Name inside the datasets container.</param>
/// <param name="ETag">The blob's ETag (changes with every write).</param>
/// <param name="VersionId">The blob version, when versioning is on for the account; null otherwise.</param>
/// <param name="Bytes">Content length.</param>
/// <param name="LastModified">When it was last written.</param>
/// <param name="Info">SHA-256, rows, size and columns written by <c>yardstick data push</c>; null for a blob uploaded otherwise.</param>
public sealed record DatasetBlob(string Name, string ETag, string? VersionId, long Bytes, DateTimeOffset LastModified, DatasetInfo? Info);

/// <summary>A dataset blob was replaced after the run was planned (its ETag no longer matches); names <c>data.blob</c>.</summary>
public sealed class DatasetChangedException(string blob, string plannedETag)
    : InputException("data.blob", $"'{DatasetBlobNames.Prefix}{blob}' changed after the run was planned (ETag {plannedETag} no longer matches): the run's rows would not be the ones whose SHA-256 it recorded; run it again.")
{
    public string Blob { get; } = blob;
}
