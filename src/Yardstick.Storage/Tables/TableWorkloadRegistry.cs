using System.Globalization;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Yardstick.Core;
using Yardstick.Core.Ports;
using Yardstick.Core.Workloads.Registry;

namespace Yardstick.Storage.Tables;

/// <summary>
/// <see cref="IWorkloadRegistry"/> on the <c>Workloads</c> table, with the texts in the artifact container.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Partition = workload name, row <c>v{999999999 − version}</c>: one partition per workload, newest version first.
/// Every read of a workload's versions is one partition query (a handful of rows); a version is a point read.</item>
/// <item>Partition <see cref="IndexPartition"/>, row = workload name: one row per registered workload, written on its first
/// push and never removed, so listing the registered workloads is one partition query — never a table scan.</item>
/// <item>Texts are blobs <c>{workload}/_versions/{sha256}.{yaml|json}</c>, content-addressed: the blob is written before
/// its row, so a version row never points at a missing text, and a text without a row (a push that died in between) is
/// never shown and is simply written again by the next push of the same text.</item>
/// </list>
/// A version number is taken by inserting its row (insert fails with 409 when a concurrent push took it first; the push
/// then re-reads and takes the next number), so numbers are unique and gap-free per workload.
/// </remarks>
public sealed class TableWorkloadRegistry : IWorkloadRegistry
{
    /// <summary>Partition listing every registered workload. Encoded names can never equal it (see <see cref="TableKeys"/>).</summary>
    public const string IndexPartition = "~workloads";

    private const int MaxVersion = 999_999_999;
    private const int PushAttempts = 8;

    private readonly TableCreation _table;
    private readonly IArtifactStore _texts;
    private readonly TimeProvider _time;

    public TableWorkloadRegistry(TableServiceClient service, IArtifactStore texts, string tableName = "Workloads", TimeProvider? timeProvider = null)
    {
        _table = new TableCreation(service.GetTableClient(tableName));
        _texts = texts;
        _time = timeProvider ?? TimeProvider.System;
    }

    public string TableName => _table.Table.Name;

    /// <summary>Creates the table if it does not exist (otherwise done on first use).</summary>
    public Task EnsureCreatedAsync(CancellationToken cancellationToken) => _table.GetAsync(cancellationToken);

    /// <summary>Row key of a version: newest first.</summary>
    public static string RowKeyOf(int version) =>
        version is >= 1 and <= MaxVersion
            ? "v" + (MaxVersion - version).ToString("D9", CultureInfo.InvariantCulture)
            : throw new InputException("version", $"must be a whole number from 1 to {MaxVersion} (was {version}).");

    /// <summary>Blob name (inside <c>{workload}/_versions/</c>) of a text.</summary>
    public static string TextBlobName(string contentHash, string format) => $"{contentHash}.{format}";

    public async Task<WorkloadPushResult> PushAsync(string workload, string text, string? schedule, string? author, CancellationToken cancellationToken)
    {
        WorkloadNames.Check(workload);
        ArgumentNullException.ThrowIfNull(text);
        var hash = WorkloadContentHash.Of(text);
        var format = WorkloadContentHash.FormatOf(text);
        var bytes = Encoding.UTF8.GetBytes(text);
        var table = await _table.GetAsync(cancellationToken);
        var textStored = false;
        for (var attempt = 1; ; attempt++)
        {
            var versions = await VersionsAsync(workload, cancellationToken);
            var newestActive = versions.FirstOrDefault(v => !v.IsRetired);
            if (newestActive is not null && newestActive.ContentHash == hash)
            {
                await EnsureIndexedAsync(table, workload, cancellationToken);
                return new WorkloadPushResult(newestActive, Created: false);
            }

            if (!textStored)
            {
                await _texts.PutAsync(workload, ArtifactFolders.Versions, TextBlobName(hash, format), bytes, format == "json" ? "application/json" : "application/yaml", cancellationToken);
                textStored = true;
            }

            var next = new WorkloadVersion(workload, (versions.Count == 0 ? 0 : versions.Max(v => v.Version)) + 1, hash, format, author, _time.GetUtcNow(), schedule, bytes.Length);
            try
            {
                await table.AddEntityAsync(ToEntity(next), cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status == 409 && attempt < PushAttempts)
            {
                // A concurrent push took this number: read again and take the next one.
                continue;
            }

            await EnsureIndexedAsync(table, workload, cancellationToken);
            return new WorkloadPushResult(next, Created: true);
        }
    }

    public async Task<IReadOnlyList<WorkloadVersion>> VersionsAsync(string workload, CancellationToken cancellationToken)
    {
        // Reads: partition {workload}, rows "v…" (every version row of one workload; nothing else).
        var partition = TableKeys.ToKey(WorkloadNames.Check(workload), "workload");
        var table = await _table.GetAsync(cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {"v"} and RowKey lt {"w"}");
        var versions = new List<WorkloadVersion>();
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            versions.Add(FromEntity(entity));
        }

        return versions;
    }

    public async Task<WorkloadVersion?> NewestAsync(string workload, CancellationToken cancellationToken) =>
        (await VersionsAsync(workload, cancellationToken)).FirstOrDefault(v => !v.IsRetired);

    public async Task<string?> GetTextAsync(string workload, int version, CancellationToken cancellationToken)
    {
        var found = await GetVersionAsync(workload, version, cancellationToken);
        if (found is null)
        {
            return null;
        }

        var bytes = await _texts.GetAsync(workload, ArtifactFolders.Versions, TextBlobName(found.Value.Version.ContentHash, found.Value.Version.Format), cancellationToken)
            ?? throw new InvalidOperationException($"Workload {workload} version {version}: its text (hash {found.Value.Version.ShortHash}) is missing from the artifact container.");
        return Encoding.UTF8.GetString(bytes);
    }

    public async Task<WorkloadVersion?> RetireAsync(string workload, int version, string? retiredBy, CancellationToken cancellationToken)
    {
        var table = await _table.GetAsync(cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            var found = await GetVersionAsync(workload, version, cancellationToken);
            if (found is null)
            {
                return null;
            }

            var (current, etag) = found.Value;
            if (current.IsRetired)
            {
                return current;
            }

            var retired = current with { RetiredAt = _time.GetUtcNow(), RetiredBy = retiredBy };
            try
            {
                await table.UpdateEntityAsync(ToEntity(retired), etag, TableUpdateMode.Replace, cancellationToken);
                return retired;
            }
            catch (RequestFailedException e) when (e.Status == 412 && attempt < PushAttempts)
            {
                // Changed since read (retired concurrently): read again.
            }
        }
    }

    public async Task<IReadOnlyList<WorkloadVersion>> ListNewestAsync(CancellationToken cancellationToken)
    {
        // Reads: partition "~workloads" (one row per registered workload), then each workload's own partition.
        var table = await _table.GetAsync(cancellationToken);
        var names = new List<string>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {IndexPartition}");
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: cancellationToken))
        {
            names.Add(TableKeys.Unescape(entity.RowKey));
        }

        var newest = await Task.WhenAll(names.Where(WorkloadNames.IsValid).Select(name => NewestAsync(name, cancellationToken)));
        return newest.Where(v => v is not null).Select(v => v!).OrderBy(v => v.Workload, StringComparer.Ordinal).ToList();
    }

    private async Task<(WorkloadVersion Version, ETag ETag)?> GetVersionAsync(string workload, int version, CancellationToken cancellationToken)
    {
        var partition = TableKeys.ToKey(WorkloadNames.Check(workload), "workload");
        var table = await _table.GetAsync(cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(partition, RowKeyOf(version), cancellationToken: cancellationToken);
        return row.HasValue && row.Value is { } entity ? (FromEntity(entity), entity.ETag) : null;
    }

    private static async Task EnsureIndexedAsync(TableClient table, string workload, CancellationToken cancellationToken)
    {
        // Merge, not replace: the row only says "this workload is registered"; writing it again changes nothing.
        var index = new TableEntity(IndexPartition, TableKeys.ToKey(workload, "workload")) { ["SchemaVersion"] = 1 };
        await table.UpsertEntityAsync(index, TableUpdateMode.Merge, cancellationToken);
    }

    private static TableEntity ToEntity(WorkloadVersion v)
    {
        var entity = new TableEntity(TableKeys.ToKey(v.Workload, "workload"), RowKeyOf(v.Version))
        {
            ["SchemaVersion"] = 1,
            ["Workload"] = v.Workload,
            ["Version"] = v.Version,
            ["ContentHash"] = v.ContentHash,
            ["Format"] = v.Format,
            ["SizeBytes"] = v.SizeBytes,
        };
        EntityValues.SetTime(entity, "CreatedAt", v.CreatedAt);
        EntityValues.SetTime(entity, "RetiredAt", v.RetiredAt);
        if (v.Author is not null)
        {
            entity["Author"] = v.Author;
        }

        if (v.Schedule is not null)
        {
            entity["Schedule"] = v.Schedule;
        }

        if (v.RetiredBy is not null)
        {
            entity["RetiredBy"] = v.RetiredBy;
        }

        return entity;
    }

    private static WorkloadVersion FromEntity(TableEntity entity) => new(
        EntityValues.GetString(entity, "Workload") ?? TableKeys.Unescape(entity.PartitionKey),
        EntityValues.GetInt(entity, "Version"),
        EntityValues.GetString(entity, "ContentHash") ?? "",
        EntityValues.GetString(entity, "Format") ?? "yaml",
        EntityValues.GetString(entity, "Author"),
        EntityValues.GetTime(entity, "CreatedAt") ?? default,
        EntityValues.GetString(entity, "Schedule"),
        EntityValues.GetInt(entity, "SizeBytes"),
        EntityValues.GetTime(entity, "RetiredAt"),
        EntityValues.GetString(entity, "RetiredBy"));
}
