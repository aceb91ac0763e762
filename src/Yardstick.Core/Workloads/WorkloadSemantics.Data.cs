using Yardstick.Core.Datasets;
using Yardstick.Core.Load.Requests;
using Yardstick.Core.Workloads.Documents;

namespace Yardstick.Core.Workloads;

/// <summary>The dataset (<c>data:</c>) and the columns <c>${data.column}</c> holes name.</summary>
internal sealed partial class WorkloadSemantics
{
    private static readonly DocPath DataPath = DocPath.Root.Key("data");

    /// <summary>The dataset's columns when its header could be read (a file next to a workload file); null otherwise.</summary>
    private IReadOnlyList<string>? _dataColumns;

    private void CheckData()
    {
        if (_w.Data is not { } data)
        {
            return;
        }

        if ((data.File is null) == (data.Blob is null))
        {
            Error(DataPath, "give exactly one of file (a .csv or .jsonl next to the workload file) and blob (datasets/<name> in the results storage account).");
            return;
        }

        if (data.Blob is { } blob)
        {
            // Columns of a blob are checked when the run starts (the host reads the blob's stored description).
            if (DatasetBlobNames.ShapeError(blob) is { } blobShape)
            {
                Error(DataPath.Key("blob"), blobShape);
            }

            return;
        }

        var file = data.File!;
        if (DatasetFiles.ShapeError(file) is { } shape)
        {
            Error(DataPath.Key("file"), shape);
            return;
        }

        // Text loaded without a folder (the API, the planning activity) cannot look at the disk; the shard opens it.
        if (_w.SourceDirectory is null)
        {
            return;
        }

        try
        {
            var path = DatasetFiles.Resolve(_w.SourceDirectory, file);
            using var reader = DatasetReader.Open(path, file);
            _dataColumns = reader.Columns;
        }
        catch (InputException e)
        {
            Error(DataPath.Key("file"), e.Message);
        }
        catch (DatasetException e)
        {
            Error(DataPath.Key("file"), e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Error(DataPath.Key("file"), $"'{file}' cannot be read: {e.Message}");
        }
    }

    /// <summary>Every <c>${data.x}</c> in the text names a column of the dataset (when its header is known).</summary>
    private void CheckColumns(DocPath path, string? text)
    {
        if (_dataColumns is null || !TemplateText.HasHoles(text))
        {
            return;
        }

        foreach (var column in TemplateText.Columns(text).Distinct())
        {
            if (!_dataColumns.Contains(column, StringComparer.Ordinal))
            {
                Error(path, $"${{data.{column}}} is not a column of {_w.Data!.File} (columns: {string.Join(", ", _dataColumns)}).");
            }
        }
    }
}
