using Yardstick.Core;
using Yardstick.Core.Datasets;
using Yardstick.Core.Ports;
using Yardstick.Core.Summaries;
using Yardstick.Core.Workloads;
using Yardstick.Core.Workloads.Documents;
using Yardstick.Orchestration.Hosting;

namespace Yardstick.Orchestration.Activities;

/// <summary>
/// <c>data.blob</c> datasets: described once when the run is planned (SHA-256, rows, size and columns from the metadata
/// <c>yardstick data push</c> stored, else by streaming the blob once), pinned to the blob's ETag, and opened by each
/// shard at that ETag only.
/// </summary>
public static class DatasetBlobs
{
    /// <summary>
    /// The run's dataset summary for a <c>data.blob</c> workload. Refuses (naming <c>data.blob</c>) a host without a datasets
    /// store, a blob that does not exist, a malformed one, and <c>${data.x}</c> holes naming a column the blob lacks.
    /// </summary>
    public static async Task<DatasetSummary> DescribeAsync(Workload workload, IDatasetStore? store, YardstickHostOptions options, CancellationToken cancellationToken)
    {
        var blob = await CheckAsync(workload, store, options, cancellationToken);
        var data = workload.Data!;
        var blobPath = data.Blob!;
        var name = blob.Name;
        var info = blob.Info;
        if (info is null)
        {
            // Uploaded by another tool: read it once (streaming, at this ETag) for what push would have stored.
            try
            {
                info = DatasetFiles.Describe(store!.OpenRead(name, blob.ETag), blobPath, DatasetReader.IsJsonLines(name));
            }
            catch (DatasetException e)
            {
                throw new InputException("data.blob", e.Message);
            }
        }

        if (blob.Info is null)
        {
            CheckColumns(workload, blobPath, info.Columns);
        }

        return new DatasetSummary
        {
            File = blobPath,
            Source = "blob",
            ETag = blob.ETag,
            VersionId = blob.VersionId,
            Sha256 = info.Sha256,
            Rows = info.Rows,
            Bytes = info.Bytes,
            Mode = data.Mode.ToString().ToLowerInvariant(),
            OnExhausted = data.Exhaustion.ToString().ToLowerInvariant(),
        };
    }

    /// <summary>
    /// What a front door checks before a run is scheduled, without reading the content: the blob exists, and (when it
    /// carries the description <c>yardstick data push</c> stored) every <c>${data.x}</c> names one of its columns.
    /// </summary>
    public static async Task<DatasetBlob> CheckAsync(Workload workload, IDatasetStore? store, YardstickHostOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(options);
        var data = workload.Data ?? throw new ArgumentException("The workload has no data section.", nameof(workload));
        var blobPath = data.Blob ?? throw new ArgumentException("The workload's dataset is not a blob.", nameof(workload));
        var name = DatasetBlobNames.BlobName(blobPath);
        if (store is null)
        {
            throw new InputException("data.blob", $"the {options.Host} host has no results storage account to read datasets from.");
        }

        var blob = await store.GetAsync(name, cancellationToken)
            ?? throw new InputException("data.blob", $"'{blobPath}' does not exist in the datasets container of the results storage account ({store.Location}); upload it with 'yardstick data push <file> --name {name}'.");
        if (blob.Info is { } info)
        {
            CheckColumns(workload, blobPath, info.Columns);
        }

        return blob;
    }

    /// <summary>Opens the plan's blob dataset for one shard, at the ETag the plan recorded.</summary>
    public static DatasetRows OpenRows(IDatasetStore? store, DataSpec spec, DatasetSummary? planned, int shardIndex, int shardCount, long seed)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var blobPath = spec.Blob ?? throw new ArgumentException("The dataset is not a blob.", nameof(spec));
        var name = DatasetBlobNames.BlobName(blobPath);
        if (store is null)
        {
            throw new InputException("data.blob", "this host has no results storage account to read datasets from.");
        }

        var etag = planned?.ETag ?? throw new InputException("data.blob", $"the run's plan recorded no ETag for '{blobPath}'; run it again.");
        return new DatasetRows(() => new DatasetReader(store.OpenRead(name, etag), blobPath, DatasetReader.IsJsonLines(name)), spec, shardIndex, shardCount, seed);
    }

    /// <summary>Every <c>${data.x}</c> of the workload names a column of the blob (when the columns are known).</summary>
    private static void CheckColumns(Workload workload, string blobPath, IReadOnlyList<string> columns)
    {
        if (columns.Count == 0)
        {
            return;
        }

        var texts = new List<string?> { workload.Target.Url, workload.Target.Body };
        texts.AddRange(workload.Target.Headers.Values);
        foreach (var r in workload.Requests)
        {
            texts.Add(r.Url);
            texts.Add(r.Body);
            texts.AddRange(r.Headers.Values);
        }

        var missing = texts
            .Where(Core.Load.Requests.TemplateText.HasHoles)
            .SelectMany(t => Core.Load.Requests.TemplateText.Columns(t))
            .Distinct(StringComparer.Ordinal)
            .Where(c => !columns.Contains(c, StringComparer.Ordinal))
            .ToList();
        if (missing.Count > 0)
        {
            throw new InputException("data.blob", $"${{data.{missing[0]}}} is not a column of {blobPath} (columns: {string.Join(", ", columns)}).");
        }
    }
}
