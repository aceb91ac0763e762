namespace Yardstick.Core.Datasets;

/// <summary>
/// Names of datasets in the results storage account (<c>data.blob</c>): always <c>datasets/&lt;name&gt;</c>, where the
/// name is one or more segments of letters, digits, <c>.</c>, <c>_</c> and <c>-</c> ending in .csv, .jsonl or .ndjson.
/// The <c>datasets/</c> folder is the fixed datasets container of the account the host stores results in, so a name
/// can never reach another container, another account or a URL (no <c>:</c>, <c>%</c>, <c>\</c>, <c>..</c> or empty segment).
/// </summary>
public static class DatasetBlobNames
{
    /// <summary>The folder every <c>data.blob</c> starts with (the datasets container).</summary>
    public const string Prefix = "datasets/";

    /// <summary>Longest accepted <c>data.blob</c>, prefix included.</summary>
    public const int MaxLength = 256;

    /// <summary>What is wrong with a <c>data.blob</c> value; null when nothing.</summary>
    public static string? ShapeError(string? blob)
    {
        if (string.IsNullOrEmpty(blob))
        {
            return "is empty; give datasets/<name>.csv or datasets/<name>.jsonl.";
        }

        var shown = blob.Length > 80 ? blob[..80] + "…" : blob;
        if (blob.Length > MaxLength)
        {
            return $"'{shown}' is {blob.Length} characters long; at most {MaxLength} characters.";
        }

        if (blob.Contains("://", StringComparison.Ordinal) || blob.StartsWith("//", StringComparison.Ordinal))
        {
            return $"'{shown}' is a URL; datasets are read only from the datasets container of the results storage account: give datasets/<name>.csv or datasets/<name>.jsonl.";
        }

        if (!blob.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return $"'{shown}' is not in datasets/; datasets are read only from the datasets container of the results storage account: give datasets/<name>.csv or datasets/<name>.jsonl.";
        }

        var name = blob[Prefix.Length..];
        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '/'))
            {
                return $"'{shown}' holds '{(char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString())}'; a dataset name has only letters, digits, '.', '_', '-' and '/' between folders.";
            }
        }

        if (name.Split('/').Any(s => s.Length == 0 || s is "." or ".."))
        {
            return $"'{shown}' has an empty, '.' or '..' segment; a dataset name stays inside datasets/.";
        }

        if (!(name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) || DatasetReader.IsJsonLines(name)))
        {
            return $"'{shown}' is neither .csv nor .jsonl (the extension says how to read it).";
        }

        return null;
    }

    /// <summary>The blob's name inside the datasets container (<c>datasets/users.csv</c> → <c>users.csv</c>); throws naming <paramref name="field"/> when the shape is wrong.</summary>
    public static string BlobName(string blob, string field = "data.blob")
    {
        if (ShapeError(blob) is { } error)
        {
            throw new InputException(field, error);
        }

        return blob[Prefix.Length..];
    }
}
