using Yardstick.Core.Datasets;
using Yardstick.Core.Workloads;

namespace Yardstick.Core.Replay;

/// <summary>
/// Where traces come from (<c>load.trace</c>). A file is resolved like <c>data.file</c> (relative to the workload
/// file's folder, never leaving it; .jsonl or .ndjson). A blob is <c>traces/&lt;name&gt;.jsonl</c>: it lives in the results
/// storage account's <b>datasets</b> container under <c>traces/</c> (so <c>yardstick data push trace.jsonl --name
/// traces/prod.jsonl</c> uploads one), and the name follows the <c>data.blob</c> rules, so it can never reach another
/// container, account or URL.
/// </summary>
public static class TraceFiles
{
    /// <summary>The folder every trace blob starts with (inside the datasets container).</summary>
    public const string BlobPrefix = "traces/";

    /// <summary>What is wrong with a trace file path before looking at the disk; null when nothing.</summary>
    public static string? FileShapeError(string file)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (!DatasetReader.IsJsonLines(file))
        {
            return $"'{file}' is not a .jsonl file (a trace is JSON Lines: one recorded request per line).";
        }

        return DatasetFiles.ShapeError(file)?.Replace("datasets must", "traces must", StringComparison.Ordinal);
    }

    /// <summary>What is wrong with a trace blob name; null when nothing.</summary>
    public static string? BlobShapeError(string? blob)
    {
        if (string.IsNullOrEmpty(blob))
        {
            return "is empty; give traces/<name>.jsonl.";
        }

        var shown = blob.Length > 80 ? blob[..80] + "…" : blob;
        if (blob.Contains("://", StringComparison.Ordinal) || blob.StartsWith("//", StringComparison.Ordinal))
        {
            return $"'{shown}' is a URL; traces are read only from the results storage account: give traces/<name>.jsonl.";
        }

        if (!blob.StartsWith(BlobPrefix, StringComparison.Ordinal))
        {
            return $"'{shown}' is not in traces/; traces are read only from the results storage account: give traces/<name>.jsonl.";
        }

        if (!DatasetReader.IsJsonLines(blob))
        {
            return $"'{shown}' is not a .jsonl blob (a trace is JSON Lines).";
        }

        // The same rules as a dataset blob's name (letters, digits, . _ - and / between folders; no '..', no empty segment).
        return DatasetBlobNames.ShapeError(DatasetBlobNames.Prefix + blob)?.Replace("dataset", "trace", StringComparison.Ordinal);
    }

    /// <summary>The blob's name inside the datasets container (<c>traces/prod.jsonl</c> as it is); throws naming <c>load.trace</c>.</summary>
    public static string BlobName(string blob)
    {
        if (BlobShapeError(blob) is { } error)
        {
            throw new InputException(TraceReader.Field, error);
        }

        return blob;
    }

    /// <summary>The full path of a trace file (rules of <c>data.file</c>); throws naming <c>load.trace</c>.</summary>
    public static string Resolve(string? workloadDirectory, string file)
    {
        if (FileShapeError(file) is { } error)
        {
            throw new InputException(TraceReader.Field, error);
        }

        try
        {
            return DatasetFiles.Resolve(workloadDirectory, file);
        }
        catch (InputException e)
        {
            throw new InputException(TraceReader.Field, e.Message.Replace("datasets must", "traces must", StringComparison.Ordinal));
        }
    }

    /// <summary>Opens a trace file for reading (streaming).</summary>
    public static Stream OpenFile(string path) =>
        new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan);

    /// <summary>Describes the trace file of a replay workload (streaming, once).</summary>
    public static TraceSummary DescribeFile(string? workloadDirectory, LoadSpec load)
    {
        ArgumentNullException.ThrowIfNull(load);
        var file = load.Trace?.File ?? throw new InputException(TraceReader.Field, "is not a file.");
        var path = Resolve(workloadDirectory, file);
        try
        {
            return TraceDescription.Describe(OpenFile(path), file, load.Speed, load.Window);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException(TraceReader.Field, $"'{file}' cannot be read: {e.Message}");
        }
    }
}
