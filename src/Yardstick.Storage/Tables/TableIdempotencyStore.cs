using Azure;
using Azure.Data.Tables;
using Yardstick.Core.Ports;

namespace Yardstick.Storage.Tables;

/// <summary>
/// <see cref="IIdempotencyStore"/> on the <c>Idempotency</c> table: partition = the key's hash, one row. The claim is an
/// insert (<c>AddEntity</c>), which the service refuses with 409 when the row exists, so exactly one of any number of
/// concurrent requests with one key records its run; the others read that row. Rows are never updated: a key keeps
/// meaning its first run for as long as the table keeps the row.
/// </summary>
public sealed class TableIdempotencyStore : IIdempotencyStore
{
    private const string Row = "claim";
    private readonly TableCreation _table;

    public TableIdempotencyStore(TableServiceClient service, string tableName = "Idempotency")
    {
        _table = new TableCreation(service.GetTableClient(tableName));
    }

    public string TableName => _table.Table.Name;

    /// <summary>Creates the table if it does not exist (otherwise done on first use).</summary>
    public Task EnsureCreatedAsync(CancellationToken cancellationToken) => _table.GetAsync(cancellationToken);

    public async Task<IdempotencyClaim> ClaimAsync(string keyHash, IdempotencyClaim claim, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyHash);
        ArgumentNullException.ThrowIfNull(claim);
        var table = await _table.GetAsync(cancellationToken);
        try
        {
            await table.AddEntityAsync(new TableEntity(keyHash, Row)
            {
                ["RunId"] = claim.RunId,
                ["RequestHash"] = claim.RequestHash,
                ["CreatedAt"] = claim.CreatedAt,
            }, cancellationToken);
            return claim;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            var stored = (await table.GetEntityAsync<TableEntity>(keyHash, Row, cancellationToken: cancellationToken)).Value;
            return new IdempotencyClaim(
                stored.GetString("RunId"),
                stored.GetString("RequestHash"),
                stored.GetDateTimeOffset("CreatedAt") ?? claim.CreatedAt);
        }
    }
}
