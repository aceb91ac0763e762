using System.Globalization;
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

    /// <summary>
    /// The runs of a workload created inside <paramref name="window"/>, newest first.
    /// </summary>
    /// <remarks>
    /// <para><b>What it reads.</b> One partition, <c>PartitionKey eq {encoded workload}</c>, and in it one row-key range:
    /// row keys are <c>{99,999,999,999 − unix seconds:D11}_{runId}</c>, so the runs created from <c>since</c> to <c>until</c>
    /// are exactly the keys <c>RowKey ge D11(99,999,999,999 − until)</c> and <c>RowKey lt D11(99,999,999,999 − since + 1)</c>
    /// (the next second's prefix bounds every <c>_{runId}</c> suffix). The service walks that range in key order, newest
    /// first, and the read stops after <see cref="RunWindow.MaxRuns"/> rows. A settings-hash prefix adds
    /// <c>SettingsHash ge {prefix} and SettingsHash lt {prefix with its last character + 1}</c>, a property filter the
    /// service applies inside the same range: it narrows what is sent back, not what is read. No other partition (other
    /// workloads, the <c>~runs</c> index) is touched.</para>
    /// </remarks>
    public async Task<IReadOnlyList<RunRecord>> ListWindowAsync(RunWindow window, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(window);
        if (window.MaxRuns < 1)
        {
            throw new InputException("maxRuns", $"must be at least 1 (was {window.MaxRuns}).");
        }

        var filter = WindowFilter(window);
        var table = await _table.GetAsync(cancellationToken);
        var runs = new List<RunRecord>(Math.Min(window.MaxRuns, 1000));
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(window.MaxRuns, 1000), cancellationToken: cancellationToken))
        {
            runs.Add(RunEntityMapper.FromEntity(entity));
            if (runs.Count == window.MaxRuns)
            {
                break;
            }
        }

        return runs;
    }

    /// <summary>The OData filter of <see cref="ListWindowAsync"/> (see its remarks); public so tests can check the range it names.</summary>
    public static string WindowFilter(RunWindow window)
    {
        ArgumentNullException.ThrowIfNull(window);
        var partition = PartitionKeyOf(window.Workload);
        var low = InvertedSeconds(window.Until);
        var high = InvertedSeconds(window.Since) + 1;
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {partition} and RowKey ge {low.ToString("D11", CultureInfo.InvariantCulture)} and RowKey lt {high.ToString("D11", CultureInfo.InvariantCulture)}");
        if (window.SettingsHashPrefix is { Length: > 0 } prefix)
        {
            var next = prefix[..^1] + (char)(prefix[^1] + 1);
            filter += " and " + TableClient.CreateQueryFilter($"SettingsHash ge {prefix} and SettingsHash lt {next}");
        }

        return filter;
    }

    /// <summary>
    /// Writes many runs at once (imports, seeded histories): run rows in entity-group transactions of up to 100 per
    /// workload partition, index rows likewise in the index partition — written first, as <see cref="UpsertAsync"/> does.
    /// Each row is replaced when it exists.
    /// </summary>
    public async Task UpsertBatchAsync(IEnumerable<RunRecord> runs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var list = runs.ToList();
        var table = await _table.GetAsync(cancellationToken);
        var index = list.Select(r => new TableEntity(IndexPartition, r.RunId) { ["Workload"] = r.Workload, ["SchemaVersion"] = RunRecord.CurrentSchemaVersion });
        await SubmitInChunksAsync(table, index, cancellationToken);
        foreach (var workload in list.GroupBy(r => r.Workload, StringComparer.Ordinal))
        {
            var partition = PartitionKeyOf(workload.Key);
            await SubmitInChunksAsync(table, workload.Select(r => RunEntityMapper.ToEntity(r, partition, RowKeyOf(r.RunId))), cancellationToken);
        }
    }

    private static async Task SubmitInChunksAsync(TableClient table, IEnumerable<TableEntity> entities, CancellationToken cancellationToken)
    {
        // A transaction may not touch one row twice: the last write of a row wins, as with single upserts.
        var distinct = entities.GroupBy(e => e.RowKey, StringComparer.Ordinal).Select(g => g.Last());
        foreach (var chunk in distinct.Chunk(100))
        {
            await table.SubmitTransactionAsync(chunk.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)), cancellationToken);
        }
    }

    private static long InvertedSeconds(DateTimeOffset time) => 99_999_999_999L - time.ToUnixTimeSeconds();

    /// <summary>Deletes the run's row and its index row (used by retention and tests); missing rows are ignored.</summary>
    public async Task DeleteAsync(string workload, string runId, CancellationToken cancellationToken)
    {
        var table = await _table.GetAsync(cancellationToken);
        await table.DeleteEntityAsync(PartitionKeyOf(workload), RowKeyOf(runId), ETag.All, cancellationToken);
        await table.DeleteEntityAsync(IndexPartition, runId, ETag.All, cancellationToken);
    }
}
