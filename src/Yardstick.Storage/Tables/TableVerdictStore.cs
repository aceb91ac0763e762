using Azure.Data.Tables;
using Yardstick.Core;
using Yardstick.Core.Ports;
using Yardstick.Core.Runs;

namespace Yardstick.Storage.Tables;

/// <summary>
/// <see cref="IVerdictStore"/> on the <c>Verdicts</c> table: partition = run id, row = encoded metric name.
/// The rows of one run are written as upsert transactions of up to 100 rows (the entity-group limit), so a
/// run's verdicts of one analysis appear together.
/// </summary>
public sealed class TableVerdictStore : IVerdictStore
{
    /// <summary>Most operations Azure Tables accepts in one transaction.</summary>
    private const int MaxBatch = 100;

    private readonly TableCreation _table;

    public TableVerdictStore(TableServiceClient service, string tableName = "Verdicts")
    {
        _table = new TableCreation(service.GetTableClient(tableName));
    }

    public string TableName => _table.Table.Name;

    /// <summary>Creates the table if it does not exist (otherwise done on first use).</summary>
    public Task EnsureCreatedAsync(CancellationToken cancellationToken) => _table.GetAsync(cancellationToken);

    public async Task UpsertAsync(IEnumerable<VerdictRow> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var byRun = new Dictionary<string, Dictionary<string, TableEntity>>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var entity = ToEntity(row);

            // The last row of a metric wins, as two upserts would; a transaction may not touch one row twice.
            if (!byRun.TryGetValue(entity.PartitionKey, out var metrics))
            {
                byRun[entity.PartitionKey] = metrics = new Dictionary<string, TableEntity>(StringComparer.Ordinal);
            }

            metrics[entity.RowKey] = entity;
        }

        if (byRun.Count == 0)
        {
            return;
        }

        var table = await _table.GetAsync(cancellationToken);
        foreach (var metrics in byRun.Values)
        {
            foreach (var chunk in metrics.Values.Chunk(MaxBatch))
            {
                await table.SubmitTransactionAsync(
                    chunk.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)),
                    cancellationToken);
            }
        }
    }

    public async Task<IReadOnlyList<VerdictRow>> ListAsync(string runId, CancellationToken cancellationToken)
    {
        var partition = PartitionKeyOf(runId);
        var table = await _table.GetAsync(cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition}");
        var rows = new List<VerdictRow>();
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            rows.Add(FromEntity(entity));
        }

        return rows;
    }

    private static string PartitionKeyOf(string runId) => RunIds.IsValid(runId)
        ? runId
        : throw new InputException("runId", $"'{runId}' is not a run id (expected yyyyMMdd-HHmmss-xxxxxx).");

    private static TableEntity ToEntity(VerdictRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var entity = new TableEntity(PartitionKeyOf(row.RunId), TableKeys.ToKey(row.Metric, "metric"))
        {
            ["SchemaVersion"] = 1,
            ["RunId"] = row.RunId,
            ["Metric"] = row.Metric,
            ["Kind"] = row.Kind,
            ["Method"] = row.Method,
            ["Explanation"] = row.Explanation,
        };
        EntityValues.SetDouble(entity, "Baseline", row.Baseline);
        EntityValues.SetDouble(entity, "Candidate", row.Candidate);
        EntityValues.SetDouble(entity, "Ratio", row.Ratio);
        EntityValues.SetDouble(entity, "CiLow", row.CiLow);
        EntityValues.SetDouble(entity, "CiHigh", row.CiHigh);
        EntityValues.SetDouble(entity, "PValue", row.PValue);
        EntityValues.SetJson(entity, "BaselineRunIds", row.BaselineRunIds ?? []);
        return entity;
    }

    private static VerdictRow FromEntity(TableEntity entity) => new(
        EntityValues.GetString(entity, "RunId") ?? entity.PartitionKey,
        EntityValues.GetString(entity, "Metric") ?? TableKeys.Unescape(entity.RowKey),
        EntityValues.GetString(entity, "Kind") ?? "",
        EntityValues.GetDouble(entity, "Baseline"),
        EntityValues.GetDouble(entity, "Candidate"),
        EntityValues.GetDouble(entity, "Ratio"),
        EntityValues.GetDouble(entity, "CiLow"),
        EntityValues.GetDouble(entity, "CiHigh"),
        EntityValues.GetDouble(entity, "PValue"),
        EntityValues.GetString(entity, "Method") ?? "",
        EntityValues.GetString(entity, "Explanation") ?? "",
        EntityValues.GetJson<string[]>(entity, "BaselineRunIds") ?? []);
}
