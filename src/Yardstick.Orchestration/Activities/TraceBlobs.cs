using Yardstick.Core;
using Yardstick.Core.Datasets;
using Yardstick.Core.Ports;
using Yardstick.Core.Replay;
using Yardstick.Core.Workloads;
using Yardstick.Orchestration.Hosting;

namespace Yardstick.Orchestration.Activities;

/// <summary>
/// Replay traces (<c>load.trace</c>): described once when the run is planned (streaming: SHA-256, arrivals, size, span,
/// endpoints, the window after speed) and checked against the caps; a blob (<c>traces/&lt;name&gt;.jsonl</c>, in the
/// datasets container) is pinned to its ETag then, and every shard opens it at that ETag only, like <c>data.blob</c>.
/// </summary>
public static class TraceBlobs
{
    /// <summary>The run's trace summary: a blob read through <paramref name="store"/>, or a file next to the workload file.</summary>
    /// <exception cref="InputException">Names <c>load.trace</c> (or <c>load.speed</c>/<c>load.window</c> for the caps).</exception>
    public static async Task<TraceSummary> DescribeAsync(Workload workload, string? workloadDirectory, IDatasetStore? store, YardstickHostOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(options);
        var load = workload.Load;
        var trace = load.Trace ?? throw new InputException(TraceReader.Field, "the replay model needs a trace.");
        TraceSummary summary;
        if (trace.Blob is { } blobPath)
        {
            var blob = await CheckAsync(workload, store, options, cancellationToken);
            try
            {
                summary = TraceDescription.Describe(store!.OpenRead(blob.Name, blob.ETag), blobPath, load.Speed, load.Window) with
                {
                    Source = "blob",
                    ETag = blob.ETag,
                    VersionId = blob.VersionId,
                };
            }
            catch (DatasetChangedException)
            {
                throw new InputException(TraceReader.Field, $"'{blobPath}' changed while it was read for planning; run again.");
            }
        }
        else
        {
            if (!options.AllowDatasetFiles)
            {
                throw new InputException(TraceReader.Field, $"names a file on the worker's disk, which the {options.Host} host never reads for a workload; upload the trace (yardstick data push {trace.File} --name traces/<name>.jsonl) and name it with load.trace: {{ blob: traces/<name>.jsonl }}.");
            }

            summary = TraceFiles.DescribeFile(workloadDirectory, load);
        }

        var variants = workload.Sweep?.Dimensions.Aggregate(1L, (product, d) => product * Math.Max(1, d.Values.Count)) ?? 1;
        TraceDescription.CheckCaps(summary, workload.Compare.Repeat, variants);
        await CheckDataHolesAsync(workload, summary, workloadDirectory, store, options, cancellationToken);
        return summary;
    }

    /// <summary>
    /// Every <c>${data.column}</c> the described trace's replayed lines name needs the workload's dataset, with that column
    /// in its header (a file's, or a blob's: the columns <c>yardstick data push</c> stored, else its header at the current ETag).
    /// </summary>
    /// <exception cref="InputException">Names <c>load.trace</c> and the line.</exception>
    public static async Task CheckDataHolesAsync(Workload workload, TraceSummary trace, string? workloadDirectory, IDatasetStore? store, YardstickHostOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentNullException.ThrowIfNull(options);
        if (trace.DataHoles.Count > 0)
        {
            ReplayData.CheckHoles(trace, workload.Data, await DatasetColumnsAsync(workload.Data, workloadDirectory, store, options, cancellationToken));
        }
    }

    /// <summary>
    /// The dataset's columns: the description <c>yardstick data push</c> stored with a blob, else its header (read at the
    /// current ETag: one row); a file's header on hosts that read files. Null when there is no dataset or it cannot be
    /// looked at here (the dataset's own checks name <c>data.*</c>).
    /// </summary>
    private static async Task<IReadOnlyList<string>?> DatasetColumnsAsync(DataSpec? data, string? workloadDirectory, IDatasetStore? store, YardstickHostOptions options, CancellationToken cancellationToken)
    {
        try
        {
            if (data?.Blob is { } blobPath)
            {
                if (store is null || DatasetBlobNames.ShapeError(blobPath) is not null)
                {
                    return null;
                }

                var name = DatasetBlobNames.BlobName(blobPath);
                if (await store.GetAsync(name, cancellationToken) is not { } blob)
                {
                    return null;
                }

                if (blob.Info is { Columns.Count: > 0 } info)
                {
                    return info.Columns;
                }

                using var reader = new DatasetReader(store.OpenRead(name, blob.ETag), blobPath, DatasetReader.IsJsonLines(name));
                return reader.Columns;
            }

            if (data?.File is { } file && options.AllowDatasetFiles && workloadDirectory is not null)
            {
                using var reader = DatasetReader.Open(DatasetFiles.Resolve(workloadDirectory, file), file);
                return reader.Columns;
            }
        }
        catch (DatasetException e)
        {
            throw new InputException(data!.Blob is not null ? "data.blob" : "data.file", e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Unreadable here: the shard's own open names data.file with the reason.
            return null;
        }
        catch (DatasetChangedException)
        {
            // Replaced while its header was read: planning reads it again at the ETag it records.
            return null;
        }

        return null;
    }

    /// <summary>Traces up to this size are read whole by a front door (format and caps) before a run is scheduled; larger ones when it is planned.</summary>
    public const long FrontDoorDescribeBytes = 256L << 20;

    /// <summary>
    /// What a front door (the CLI's run, <c>POST /api/runs</c>) checks before a run is scheduled: a blob trace exists and,
    /// up to <see cref="FrontDoorDescribeBytes"/>, every line is well formed and the replay is within the caps.
    /// </summary>
    public static async Task CheckFrontDoorAsync(Workload workload, IDatasetStore? store, YardstickHostOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workload);
        if (workload.Load is not { Model: LoadModel.Replay, Trace.Blob: not null })
        {
            return;
        }

        var blob = await CheckAsync(workload, store, options, cancellationToken);
        if (blob.Bytes <= FrontDoorDescribeBytes)
        {
            _ = await DescribeAsync(workload, null, store, options, cancellationToken);
        }
    }

    /// <summary>What a front door checks before a run is scheduled, without reading the content: the blob exists.</summary>
    public static async Task<DatasetBlob> CheckAsync(Workload workload, IDatasetStore? store, YardstickHostOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(options);
        var blobPath = workload.Load.Trace?.Blob ?? throw new ArgumentException("The workload's trace is not a blob.", nameof(workload));
        var name = TraceFiles.BlobName(blobPath);
        if (store is null)
        {
            throw new InputException(TraceReader.Field, $"the {options.Host} host has no results storage account to read traces from.");
        }

        return await store.GetAsync(name, cancellationToken)
            ?? throw new InputException(TraceReader.Field, $"'{blobPath}' does not exist in the datasets container of the results storage account ({store.Location}); upload it with 'yardstick data push <file> --name {name}'.");
    }

    /// <summary>Opens the plan's trace for one shard: the file, or the blob at the ETag the plan recorded.</summary>
    public static Func<Stream> Opener(TraceSummary trace, string? workloadDirectory, IDatasetStore? store, YardstickHostOptions options)
    {
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentNullException.ThrowIfNull(options);
        if (trace.Source == "blob")
        {
            var name = TraceFiles.BlobName(trace.File);
            if (store is null)
            {
                throw new InputException(TraceReader.Field, "this host has no results storage account to read traces from.");
            }

            var etag = trace.ETag ?? throw new InputException(TraceReader.Field, $"the run's plan recorded no ETag for '{trace.File}'; run it again.");
            return () => store.OpenRead(name, etag);
        }

        if (!options.AllowDatasetFiles)
        {
            throw new InputException(TraceReader.Field, $"the {options.Host} host does not read trace files.");
        }

        var path = TraceFiles.Resolve(workloadDirectory, trace.File);
        return () => TraceFiles.OpenFile(path);
    }
}
