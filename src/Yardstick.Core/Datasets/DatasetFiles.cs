using System.Security.Cryptography;
using Yardstick.Core.Workloads;

namespace Yardstick.Core.Datasets;

/// <summary>What a run records about its dataset: which file, its SHA-256, rows and size.</summary>
/// <param name="Name">The dataset as the workload names it (data/users.csv).</param>
/// <param name="Sha256">Lowercase hex SHA-256 of the file's bytes.</param>
/// <param name="Rows">Data rows (CSV records after the header, or JSON Lines objects).</param>
/// <param name="Bytes">The file's size.</param>
/// <param name="Columns">The column names.</param>
public sealed record DatasetInfo(string Name, string Sha256, long Rows, long Bytes, IReadOnlyList<string> Columns);

/// <summary>Resolving and describing dataset files (<c>data.file</c>).</summary>
public static class DatasetFiles
{
    /// <summary>
    /// The full path of <paramref name="file"/>, relative to <paramref name="workloadDirectory"/> (the current folder
    /// when null). Throws <see cref="InputException"/> naming <c>data.file</c> when the path is absolute, leaves the
    /// folder (.., links are not followed here), has another extension than .csv/.jsonl/.ndjson, or does not exist.
    /// </summary>
    public static string Resolve(string? workloadDirectory, string file)
    {
        ArgumentNullException.ThrowIfNull(file);
        const string Field = "data.file";
        if (ShapeError(file) is { } error)
        {
            throw new InputException(Field, error);
        }

        var root = Path.GetFullPath(workloadDirectory ?? Directory.GetCurrentDirectory());
        var full = Path.GetFullPath(Path.Combine(root, file));
        var rootWithSeparator = Path.EndsInDirectorySeparator(root) ? root : root + Path.DirectorySeparatorChar;
        if (!full.StartsWith(rootWithSeparator, StringComparison.Ordinal))
        {
            throw new InputException(Field, $"'{file}' leaves the workload file's folder; datasets must sit in it or below it.");
        }

        if (!File.Exists(full))
        {
            throw new InputException(Field, $"'{file}' does not exist (looked for {full}).");
        }

        return full;
    }

    /// <summary>What is wrong with a <c>data.file</c> path before looking at the disk (extension, absolute, ..); null when nothing.</summary>
    public static string? ShapeError(string file)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (!(file.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) || DatasetReader.IsJsonLines(file)))
        {
            return $"'{file}' is neither .csv nor .jsonl (the extension says how to read it).";
        }

        if (Path.IsPathRooted(file) || file.Contains(':', StringComparison.Ordinal) || file.StartsWith('\\'))
        {
            return $"'{file}' is absolute; give a path relative to the workload file's folder.";
        }

        if (file.Replace('\\', '/').Split('/').Contains(".."))
        {
            return $"'{file}' leaves the workload file's folder ('..'); datasets must sit in it or below it.";
        }

        return null;
    }

    /// <summary>Reads the whole file once (streaming): its SHA-256, size, rows and columns.</summary>
    /// <exception cref="DatasetException">The file is malformed (names the line).</exception>
    public static DatasetInfo Describe(string path, string name) =>
        Describe(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan), name, DatasetReader.IsJsonLines(path));

    /// <summary>Reads <paramref name="content"/> once to its end (streaming, then disposes it): its SHA-256, size, rows and columns.</summary>
    /// <exception cref="DatasetException">The content is malformed (names the line).</exception>
    public static DatasetInfo Describe(Stream content, string name, bool jsonLines)
    {
        ArgumentNullException.ThrowIfNull(content);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long bytes;
        long rows = 0;
        using (var hashing = new HashingStream(content, sha))
        using (var reader = new DatasetReader(hashing, name, jsonLines))
        {
            var values = new string[reader.Columns.Count];
            while (reader.Next(values))
            {
                rows++;
            }

            var columns = reader.Columns;
            bytes = hashing.Position;
            return new DatasetInfo(name, Convert.ToHexStringLower(sha.GetHashAndReset()), rows, bytes, columns);
        }
    }

    /// <summary>Opens the dataset file of <paramref name="spec"/> for one shard (blobs are opened through <c>IDatasetStore</c>).</summary>
    public static DatasetRows OpenRows(string? workloadDirectory, DataSpec spec, int shardIndex, int shardCount, long seed)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.File is not { } file)
        {
            throw new InputException("data.file", "is not set (a data.blob dataset is read from the results storage account, not from disk).");
        }

        var path = Resolve(workloadDirectory, file);
        return DatasetRows.OpenFile(path, file, spec, shardIndex, shardCount, seed);
    }

    /// <summary>A read-only stream that feeds every byte read through a hash.</summary>
    private sealed class HashingStream(Stream inner, IncrementalHash hash) : ForwardOnlyReadStream(inner)
    {
        public override int Read(Span<byte> buffer)
        {
            var n = Inner.Read(buffer);
            hash.AppendData(buffer[..n]);
            Consumed += n;
            return n;
        }
    }
}
