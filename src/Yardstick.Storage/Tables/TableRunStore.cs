using Azure;
using Azure.Data.Tables;
using Yardstick.Core;
using Yardstick.Core.Ports;
using Yardstick.Core.Runs;

namespace Yardstick.Storage.Tables;

/// <summary>
/// <see cref="IRunStore"/> on the <c>Runs</c> table: partition = encoded workload, row =
/// <see cref="RunIds.DescendingRowKey"/> (newest first). Every field of <see cref="RunRecord"/> is a column;
/// dictionaries are JSON columns; <c>SchemaVersion</c> is on every row.
/// </summary>
/// <remarks>
/// <see cref="GetAsync"/> has only a run id, so each upsert also writes an index row (partition
/// <see cref="IndexPartition"/>, row = run id, column <c>Workload</c>). The index row is written <em>first</em>: a crash
/// between the two writes leaves an index row pointing at a run row that does not exist yet, which reads as
/// "not found" and is completed by the retried (idempotent) upsert; the other order could leave a run that
/// <see cref="ListAsync"/> shows but <see cref="GetAsync"/> cannot find.
/// </remarks>
public sealed class TableRunStore : IRunStore
{
    /// <summary>Partition of the run-id index. Encoded workload names can never equal it (see <see cref="TableKeys"/>).</summary>
    public const string IndexPartition = "~runs";

    private readonly TableCreation _table;

    public TableRunStore(TableServiceClient service, string tableName = "Runs")
    {
        _table = new TableCreation(service.GetTableClient(tableName));
    }

    public string TableName => _table.Table.Name;

    /// <summary>Creates the table if it does not exist (otherwise done on first use).</summary>
    public Task EnsureCreatedAsync(CancellationToken cancellationToken) => _table.GetAsync(cancellationToken);

    /// <summary>Partition key of a workload's runs.</summary>
    public static string PartitionKeyOf(string workload) => TableKeys.ToKey(workload, "workload");

    /// <summary>Row key of a run (time-descending).</summary>
    public static string RowKeyOf(string runId) => RunIds.IsValid(runId)
        ? RunIds.DescendingRowKey(runId)
        : throw new InputException("runId", $"'{runId}' is not a run id (expected yyyyMMdd-HHmmss-xxxxxx).");

    public async Task UpsertAsync(RunRecord run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var entity = RunEntityMapper.ToEntity(run, PartitionKeyOf(run.Workload), RowKeyOf(run.RunId));
        var index = new TableEntity(IndexPartition, run.RunId)
        {
            ["Workload"] = run.Workload,
            ["SchemaVersion"] = RunRecord.CurrentSchemaVersion,
        };

        var table = await _table.GetAsync(cancellationToken);
        await table.UpsertEntityAsync(index, TableUpdateMode.Replace, cancellationToken);
        await table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<RunRecord?> GetAsync(string runId, CancellationToken cancellationToken)
    {
        if (!RunIds.IsValid(runId))
        {
            throw new InputException("runId", $"'{runId}' is not a run id (expected yyyyMMdd-HHmmss-xxxxxx).");
        }

        var table = await _table.GetAsync(cancellationToken);
        var index = await table.GetEntityIfExistsAsync<TableEntity>(IndexPartition, runId, ["Workload"], cancellationToken);
        if (!index.HasValue || index.Value?.GetString("Workload") is not { Length: > 0 } workload)
        {
            return null;
        }

        var row = await table.GetEntityIfExistsAsync<TableEntity>(PartitionKeyOf(workload), RowKeyOf(runId), cancellationToken: cancellationToken);
        return row.HasValue && row.Value is { } entity ? RunEntityMapper.FromEntity(entity) : null;
    }

    public async Task<IReadOnlyList<RunRecord>> ListAsync(string workload, int last, CancellationToken cancellationToken)
    {
        if (last < 1)
        {
            throw new InputException("last", $"must be at least 1 (was {last}).");
        }

        var table = await _table.GetAsync(cancellationToken);
        var partition = PartitionKeyOf(workload);
        var runs = new List<RunRecord>(Math.Min(last, 100));
        var query = table.QueryAsync<TableEntity>(e => e.PartitionKey == partition, maxPerPage: Math.Min(last, 1000), cancellationToken: cancellationToken);
        await foreach (var entity in query)
        {
            runs.Add(RunEntityMapper.FromEntity(entity));
            if (runs.Count == last)
            {
                break;
            }
        }

        return runs;
    }

    /// <summary>Deletes the run's row and its index row (used by retention and tests); missing rows are ignored.</summary>
    public async Task DeleteAsync(string workload, string runId, CancellationToken cancellationToken)
    {
        var table = await _table.GetAsync(cancellationToken);
        await table.DeleteEntityAsync(PartitionKeyOf(workload), RowKeyOf(runId), ETag.All, cancellationToken);
        await table.DeleteEntityAsync(IndexPartition, runId, ETag.All, cancellationToken);
    }
}
