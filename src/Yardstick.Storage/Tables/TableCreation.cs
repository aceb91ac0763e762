using Azure.Data.Tables;

namespace Yardstick.Storage.Tables;

/// <summary>A table client whose table is created on first use (see <see cref="CreateOnce"/>).</summary>
internal sealed class TableCreation
{
    private readonly CreateOnce _once;

    public TableCreation(TableClient table)
    {
        Table = table;
        _once = new CreateOnce(() => table.CreateIfNotExistsAsync(CancellationToken.None));
    }

    public TableClient Table { get; }

    public async Task<TableClient> GetAsync(CancellationToken cancellationToken)
    {
        await _once.EnsureAsync(cancellationToken);
        return Table;
    }
}
