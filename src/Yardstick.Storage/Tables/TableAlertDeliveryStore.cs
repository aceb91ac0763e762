using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Yardstick.Core.Ports;
using Yardstick.Core.Workloads;

namespace Yardstick.Storage.Tables;

/// <summary>
/// <see cref="IAlertDeliveryStore"/> on the <c>Alerts</c> table: partition = run id, row = <c>{condition}-{channel}</c>
/// (reads and writes touch one row, by its keys). The claim is <c>AddEntity</c> (409 when the row exists), the
/// transitions are <c>UpdateEntity</c> with the claim's ETag (412 when another attempt changed it). GitHub issue numbers
/// live in partition <c>github-issues</c>, row = SHA-256 of workload, condition and repository.
/// </summary>
public sealed class TableAlertDeliveryStore : IAlertDeliveryStore
{
    private const string IssuePartition = "github-issues";
    private readonly TableCreation _table;

    public TableAlertDeliveryStore(TableServiceClient service, string tableName = "Alerts")
    {
        _table = new TableCreation(service.GetTableClient(tableName));
    }

    public string TableName => _table.Table.Name;

    public Task EnsureCreatedAsync(CancellationToken cancellationToken) => _table.GetAsync(cancellationToken);

    public async Task<AlertDelivery?> GetAsync(string runId, string key, CancellationToken cancellationToken)
    {
        var table = await _table.GetAsync(cancellationToken);
        var found = await table.GetEntityIfExistsAsync<TableEntity>(runId, key, cancellationToken: cancellationToken);
        return found.HasValue ? FromEntity(found.Value!) : null;
    }

    public async Task<AlertDelivery?> TryAddAsync(AlertDelivery delivery, CancellationToken cancellationToken)
    {
        var table = await _table.GetAsync(cancellationToken);
        try
        {
            var response = await table.AddEntityAsync(ToEntity(delivery), cancellationToken);
            return delivery with { ETag = response.Headers.ETag?.ToString() };
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return null;
        }
    }

    public async Task<AlertDelivery?> TryReplaceAsync(AlertDelivery delivery, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(delivery.ETag);
        var table = await _table.GetAsync(cancellationToken);
        try
        {
            var response = await table.UpdateEntityAsync(ToEntity(delivery), new ETag(delivery.ETag), TableUpdateMode.Replace, cancellationToken);
            return delivery with { ETag = response.Headers.ETag?.ToString() };
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
            return null;
        }
    }

    public async Task<int?> GetIssueAsync(string thread, CancellationToken cancellationToken)
    {
        var table = await _table.GetAsync(cancellationToken);
        var found = await table.GetEntityIfExistsAsync<TableEntity>(IssuePartition, ThreadKey(thread), cancellationToken: cancellationToken);
        return found.HasValue ? found.Value!.GetInt32("Issue") : null;
    }

    public async Task SetIssueAsync(string thread, int issue, CancellationToken cancellationToken)
    {
        var table = await _table.GetAsync(cancellationToken);
        await table.UpsertEntityAsync(new TableEntity(IssuePartition, ThreadKey(thread)) { ["Issue"] = issue, ["Thread"] = thread }, TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>Partition <c>silence~{workload}</c> (workload names are key-safe), row = start time + a random suffix.</summary>
    public async Task AddSilenceAsync(string workload, SilenceWindow window, CancellationToken cancellationToken)
    {
        var table = await _table.GetAsync(cancellationToken);
        var row = $"{window.From.UtcDateTime:yyyyMMddTHHmmssfff}-{Guid.NewGuid():N}"[..26];
        await table.AddEntityAsync(new TableEntity(SilencePartition(workload), row) { ["From"] = window.From, ["To"] = window.To, ["Reason"] = window.Reason }, cancellationToken);
    }

    /// <summary>Reads one partition (the workload's silences, a handful of rows), filtered by end time.</summary>
    public async Task<IReadOnlyList<SilenceWindow>> ListSilencesAsync(string workload, DateTimeOffset after, CancellationToken cancellationToken)
    {
        var table = await _table.GetAsync(cancellationToken);
        var windows = new List<SilenceWindow>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {SilencePartition(workload)} and To gt {after}");
        await foreach (var e in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            windows.Add(new SilenceWindow(e.GetDateTimeOffset("From") ?? default, e.GetDateTimeOffset("To") ?? default, e.GetString("Reason") ?? ""));
        }

        return windows.OrderBy(w => w.From).ToList();
    }

    private static string SilencePartition(string workload) => "silence~" + workload;

    // Repository names may hold characters a row key cannot ('/'), and the thread text is bounded by nothing we control.
    private static string ThreadKey(string thread) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(thread)));

    private static TableEntity ToEntity(AlertDelivery d) => new(d.RunId, d.Key)
    {
        ["Workload"] = d.Workload,
        ["Condition"] = d.Condition,
        ["Channel"] = d.Channel,
        ["State"] = d.State.ToString(),
        ["Claims"] = d.Claims,
        ["Attempts"] = d.Attempts,
        ["Detail"] = d.Detail,
        ["UpdatedAt"] = d.UpdatedAt,
    };

    private static AlertDelivery FromEntity(TableEntity e) => new()
    {
        RunId = e.PartitionKey,
        Key = e.RowKey,
        Workload = e.GetString("Workload") ?? "",
        Condition = e.GetString("Condition") ?? "",
        Channel = e.GetString("Channel") ?? "",
        State = Enum.TryParse<AlertDeliveryState>(e.GetString("State"), out var state) ? state : AlertDeliveryState.Sending,
        Claims = e.GetInt32("Claims") ?? 0,
        Attempts = e.GetInt32("Attempts") ?? 0,
        Detail = e.GetString("Detail"),
        UpdatedAt = e.GetDateTimeOffset("UpdatedAt") ?? default,
        ETag = e.ETag.ToString(),
    };
}
