using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Yardstick.Cli.Hosting;
using Yardstick.Core;
using Yardstick.Core.Datasets;
using Yardstick.Core.Ports;

namespace Yardstick.Cli.Commands;

/// <summary>
/// <c>yardstick data push &lt;file&gt; [--name]</c> and <c>yardstick data list</c>: datasets in the results storage account's
/// datasets container, for workloads that name them with <c>data.blob: datasets/&lt;name&gt;</c> (from the CLI and through
/// <c>POST /api/runs</c>). Push reads the file once (streaming) for its SHA-256, rows, columns and size, stores them as the
/// blob's metadata, and uploads it in blocks.
/// </summary>
internal sealed class DataCommand(CliContext context) : CommandBase(context)
{
    public override Command Build()
    {
        var data = new Command("data", "Upload datasets to the results storage account (data.blob: datasets/<name>) or list them.");
        data.Subcommands.Add(Push());
        data.Subcommands.Add(List());
        return data;
    }

    private Command Push()
    {
        var file = new Argument<FileInfo>("file") { Description = "A .csv (header row) or .jsonl dataset." };
        var name = new Option<string?>("--name") { Description = "Name in the datasets container (default: the file's name); workloads use data.blob: datasets/<name>." };
        var storage = CommonOptions.Storage();
        return Define(
            "push",
            "Upload a dataset (overwriting one of the same name) with its SHA-256, rows, columns and size.",
            async (parse, cancellationToken) =>
            {
                var path = parse.GetValue(file)!;
                if (!path.Exists)
                {
                    throw new InputException("file", $"'{path.FullName}' does not exist.");
                }

                var blobName = parse.GetValue(name) ?? path.Name;
                var blobPath = DatasetBlobNames.Prefix + blobName;
                DatasetBlobNames.BlobName(blobPath, "--name");
                if (DatasetReader.IsJsonLines(path.Name) != DatasetReader.IsJsonLines(blobName))
                {
                    throw new InputException("--name", $"'{blobName}' and the file '{path.Name}' differ in kind (.csv vs .jsonl); the name's extension says how runs read it.");
                }

                DatasetInfo info;
                try
                {
                    info = DatasetFiles.Describe(path.FullName, blobPath);
                }
                catch (DatasetException e)
                {
                    throw new InputException("file", e.Message);
                }

                await using var cli = await Open(parse, storage, cancellationToken);
                var datasets = cli.Services.GetService(typeof(IDatasetStore)) as IDatasetStore
                    ?? throw new InvalidOperationException("no dataset store registered");
                await using var content = new FileStream(path.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan);
                if (content.Length != info.Bytes)
                {
                    throw new InputException("file", $"'{path.Name}' changed while it was read ({info.Bytes} B, now {content.Length} B); push it again.");
                }

                var blob = await datasets.PutAsync(blobName, content, info, cancellationToken);
                Out.MarkupLine(Markup.Escape(
                    $"Pushed {blobPath}: {info.Rows} rows · {info.Bytes} B · sha256 {info.Sha256} · columns {string.Join(", ", info.Columns)} · etag {blob.ETag}{(blob.VersionId is null ? "" : " · version " + blob.VersionId)} ({datasets.Location})"));
                Out.MarkupLine(Markup.Escape($"Use it with: data: {{ blob: {blobPath} }}"));
                return ExitCodes.Pass;
            },
            file, name, storage);
    }

    private Command List()
    {
        var storage = CommonOptions.Storage();
        return Define(
            "list",
            "List the datasets in the results storage account (name, rows, size, SHA-256, columns).",
            async (parse, cancellationToken) =>
            {
                await using var cli = await Open(parse, storage, cancellationToken);
                var datasets = cli.Services.GetService(typeof(IDatasetStore)) as IDatasetStore
                    ?? throw new InvalidOperationException("no dataset store registered");
                var list = await datasets.ListAsync(cancellationToken);
                if (list.Count == 0)
                {
                    Out.MarkupLine(Markup.Escape($"No datasets in {datasets.Location}; upload one with 'yardstick data push <file>'."));
                    return ExitCodes.Pass;
                }

                var table = new Table().Border(TableBorder.Simple).Title(Markup.Escape(datasets.Location));
                table.AddColumns("data.blob", "rows", "bytes", "sha256", "columns", "modified");
                foreach (var d in list)
                {
                    table.AddRow(
                        Markup.Escape(DatasetBlobNames.Prefix + d.Name),
                        d.Info is { } i ? i.Rows.ToString(CultureInfo.InvariantCulture) : "?",
                        d.Bytes.ToString(CultureInfo.InvariantCulture),
                        d.Info is { } s ? s.Sha256[..12] : "(not pushed by yardstick: described at planning)",
                        Markup.Escape(d.Info is { } c ? string.Join(", ", c.Columns) : ""),
                        d.LastModified.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture));
                }

                Out.Write(table);
                return ExitCodes.Pass;
            },
            storage);
    }

    private static Task<CliEnvironment> Open(ParseResult parse, Option<string?> storage, CancellationToken cancellationToken) =>
        CliEnvironment.StartAsync(new CliEnvironmentOptions { Storage = parse.GetValue(storage), RunWorker = false }, cancellationToken);
}
