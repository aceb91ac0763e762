using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Yardstick.Core;
using Yardstick.Core.Ports;
using Yardstick.Core.Runs;

namespace Yardstick.Storage.Tables;

/// <summary>
/// <see cref="IBaselineStore"/> on the <c>Baselines</c> table.
/// </summary>
/// <remarks>
/// Partition = <see cref="TableKeys.Compose"/>(workload, settings key, environment), so one baseline key is one
/// partition. Row <c>current</c> holds the current baseline; rows <c>h_{descending ticks}_{first run id}</c> hold the
/// history, newest first, and are only ever inserted. A promotion writes the new <c>current</c> row (conditional on
/// the expected ETag, or insert-only when none is expected) and its history row in one entity-group transaction:
/// either both land or neither does, so a promotion that loses a race leaves no trace in the history.
/// </remarks>
public sealed class TableBaselineStore : IBaselineStore
{
    public const string CurrentRowKey = "current";

    private const string HistoryPrefix = "h_";

    // The character after '_' bounds the history range in a row-key query.
    private const string HistoryEnd = "h`";

    private readonly TableCreation _table;
    private readonly TimeProvider _time;

    public TableBaselineStore(TableServiceClient service, string tableName = "Baselines", TimeProvider? timeProvider = null)
    {
        _table = new TableCreation(service.GetTableClient(tableName));
        _time = timeProvider ?? TimeProvider.System;
    }

    public string TableName => _table.Table.Name;

    /// <summary>Creates the table if it does not exist (otherwise done on first use).</summary>
    public Task EnsureCreatedAsync(CancellationToken cancellationToken) => _table.GetAsync(cancellationToken);

    /// <summary>Partition key of a baseline key (see the type remarks).</summary>
    public static string PartitionKeyOf(BaselineKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (string.IsNullOrEmpty(key.Workload))
        {
            throw new InputException("workload", "must not be empty.");
        }

        if (string.IsNullOrEmpty(key.SettingsKey))
        {
            throw new InputException("settingsKey", "must not be empty.");
        }

        return TableKeys.CheckLength(TableKeys.Compose(key.Workload, key.SettingsKey, key.Environment), "baseline");
    }

    public async Task<Baseline?> GetCurrentAsync(BaselineKey key, CancellationToken cancellationToken)
    {
        var table = await _table.GetAsync(cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(PartitionKeyOf(key), CurrentRowKey, cancellationToken: cancellationToken);
        return row.HasValue && row.Value is { } entity ? FromEntity(entity) : null;
    }

    public async Task<IReadOnlyList<Baseline>> ListCurrentAsync(string workload, CancellationToken cancellationToken)
    {
        // Partitions of one workload are "{workload}|…"; '}' is the character after '|', so this range holds exactly them.
        var low = TableKeys.ToKey(workload, "workload") + TableKeys.Separator;
        var high = TableKeys.ToKey(workload, "workload") + (char)(TableKeys.Separator + 1);
        var table = await _table.GetAsync(cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey ge {low} and PartitionKey lt {high} and RowKey eq {CurrentRowKey}");
        var baselines = new List<Baseline>();
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            baselines.Add(FromEntity(entity));
        }

        return baselines;
    }

    public async Task<Baseline> PromoteAsync(BaselineKey key, IReadOnlyList<string> runIds, string mode, string? promotedBy, string? reason, string? expectedETag, CancellationToken cancellationToken)
    {
        key = Normalize(key);
        var partition = PartitionKeyOf(key);
        Validate(runIds, mode);

        var promotedAt = _time.GetUtcNow();
        var current = ToEntity(key, runIds, mode, promotedAt, promotedBy, reason, partition, CurrentRowKey);
        var historyRowKey = TableKeys.CheckLength(
            HistoryPrefix + (DateTimeOffset.MaxValue.UtcTicks - promotedAt.UtcTicks).ToString("D19", CultureInfo.InvariantCulture) + "_" + TableKeys.Escape(runIds[0]),
            "runIds");
        var history = ToEntity(key, runIds, mode, promotedAt, promotedBy, reason, partition, historyRowKey);

        var currentAction = expectedETag switch
        {
            null => new TableTransactionAction(TableTransactionActionType.Add, current),
            "*" => new TableTransactionAction(TableTransactionActionType.UpsertReplace, current),
            _ => new TableTransactionAction(TableTransactionActionType.UpdateReplace, current, new ETag(expectedETag)),
        };

        var table = await _table.GetAsync(cancellationToken);
        Response<IReadOnlyList<Response>> responses;
        try
        {
            responses = await table.SubmitTransactionAsync([currentAction, new TableTransactionAction(TableTransactionActionType.Add, history)], cancellationToken);
        }
        catch (TableTransactionFailedException ex) when (ex.Status is 409 or 412 or 404)
        {
            // 412: the ETag no longer matches; 409: a current row (or this very history row) already exists; 404: the row was removed.
            throw new BaselineConflictException(key, expectedETag, ex);
        }

        // The ETag of the new current row comes from its own response in the batch; reading it back instead could
        // return a later promotion's row.
        var etag = responses.Value.Count > 0 ? responses.Value[0].Headers.ETag : null;
        return new Baseline(key, [.. runIds], mode, promotedAt, promotedBy, reason, etag?.ToString() ?? "");
    }

    public async Task<IReadOnlyList<Baseline>> HistoryAsync(BaselineKey key, int last, CancellationToken cancellationToken)
    {
        if (last < 1)
        {
            throw new InputException("last", $"must be at least 1 (was {last}).");
        }

        var partition = PartitionKeyOf(key);
        var table = await _table.GetAsync(cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {HistoryPrefix} and RowKey lt {HistoryEnd}");
        var history = new List<Baseline>(Math.Min(last, 100));
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(last, 1000), cancellationToken: cancellationToken))
        {
            history.Add(FromEntity(entity));
            if (history.Count == last)
            {
                break;
            }
        }

        return history;
    }

    private static BaselineKey Normalize(BaselineKey key) =>
        key.Environment is { Length: 0 } ? key with { Environment = null } : key;

    private static void Validate(IReadOnlyList<string> runIds, string mode)
    {
        if (runIds is null || runIds.Count == 0)
        {
            throw new InputException("runIds", "a baseline needs at least one run.");
        }

        for (var i = 0; i < runIds.Count; i++)
        {
            if (!RunIds.IsValid(runIds[i]))
            {
                throw new InputException($"runIds[{i}]", $"'{runIds[i]}' is not a run id (expected yyyyMMdd-HHmmss-xxxxxx).");
            }
        }

        if (!BaselineModes.TryParse(mode, out _))
        {
            throw new InputException("baseline", $"'{mode}' is not a baseline mode (expected 'current' or 'rolling(N)' with N ≥ 1).");
        }
    }

    private static TableEntity ToEntity(BaselineKey key, IReadOnlyList<string> runIds, string mode, DateTimeOffset promotedAt, string? promotedBy, string? reason, string partition, string rowKey)
    {
        var entity = new TableEntity(partition, rowKey)
        {
            ["SchemaVersion"] = 1,
            ["Workload"] = key.Workload,
            ["SettingsKey"] = key.SettingsKey,
            ["Mode"] = mode,
            ["PromotedAt"] = promotedAt.ToUniversalTime(),
        };
        EntityValues.SetJson(entity, "RunIds", runIds);
        if (!string.IsNullOrEmpty(key.Environment))
        {
            entity["Environment"] = key.Environment;
        }

        if (promotedBy is not null)
        {
            entity["PromotedBy"] = promotedBy;
        }

        if (reason is not null)
        {
            entity["Reason"] = reason;
        }

        return entity;
    }

    private static Baseline FromEntity(TableEntity entity) => new(
        new BaselineKey(
            EntityValues.GetString(entity, "Workload") ?? "",
            EntityValues.GetString(entity, "SettingsKey") ?? "default",
            EntityValues.GetString(entity, "Environment")),
        EntityValues.GetJson<string[]>(entity, "RunIds") ?? [],
        EntityValues.GetString(entity, "Mode") ?? BaselineModes.Current,
        EntityValues.GetTime(entity, "PromotedAt") ?? default,
        EntityValues.GetString(entity, "PromotedBy"),
        EntityValues.GetString(entity, "Reason"),
        entity.ETag.ToString());
}
