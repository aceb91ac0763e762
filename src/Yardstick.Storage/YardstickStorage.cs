using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Yardstick.Core.Ports;
using Yardstick.Storage.Blobs;
using Yardstick.Storage.Tables;

namespace Yardstick.Storage;

/// <summary>
/// The stores of one storage account: runs, artifacts, baselines, verdicts and the workload registry. Tables and the container are
/// created on first use; <see cref="EnsureCreatedAsync"/> creates them up front (the CLI and the Functions host call it
/// at start so the first run does not pay for it).
/// </summary>
public sealed class YardstickStorage
{
    private YardstickStorage(StorageConnection connection, StorageLayout layout, TableServiceClient tables, BlobServiceClient blobs, TimeProvider time)
    {
        Connection = connection;
        Layout = layout;
        RunStore = new TableRunStore(tables, layout.RunsTable);
        ArtifactStore = new BlobArtifactStore(blobs, layout.ArtifactsContainer);
        BaselineStore = new TableBaselineStore(tables, layout.BaselinesTable, time);
        VerdictStore = new TableVerdictStore(tables, layout.VerdictsTable);
        WorkloadRegistry = new TableWorkloadRegistry(tables, ArtifactStore, layout.WorkloadsTable, time);
        IdempotencyStore = new TableIdempotencyStore(tables, layout.IdempotencyTable);
        AlertDeliveryStore = new TableAlertDeliveryStore(tables, layout.AlertsTable);
        DatasetStore = new BlobDatasetStore(blobs, layout.DatasetsContainer);
    }

    public StorageConnection Connection { get; }

    public StorageLayout Layout { get; }

    public TableRunStore RunStore { get; }

    public BlobArtifactStore ArtifactStore { get; }

    public TableBaselineStore BaselineStore { get; }

    public TableVerdictStore VerdictStore { get; }

    public TableWorkloadRegistry WorkloadRegistry { get; }

    public TableIdempotencyStore IdempotencyStore { get; }

    public TableAlertDeliveryStore AlertDeliveryStore { get; }

    /// <summary>Datasets for <c>data.blob</c> (container <c>datasets</c>).</summary>
    public BlobDatasetStore DatasetStore { get; }

    public IDatasetStore Datasets => DatasetStore;

    public IAlertDeliveryStore Alerts => AlertDeliveryStore;

    public IRunStore Runs => RunStore;

    public IIdempotencyStore Idempotency => IdempotencyStore;

    public IArtifactStore Artifacts => ArtifactStore;

    public IBaselineStore Baselines => BaselineStore;

    public IVerdictStore Verdicts => VerdictStore;

    public IWorkloadRegistry Registry => WorkloadRegistry;

    /// <summary>Creates the stores of <paramref name="connection"/> (no network traffic until first use).</summary>
    /// <param name="connection">The storage account.</param>
    /// <param name="layout">Table and container names; <see cref="StorageLayout.Default"/> when null.</param>
    /// <param name="timeProvider">Clock for baseline promotion times; the system clock when null.</param>
    /// <param name="tableOptions">SDK options (retries, diagnostics) for the table clients.</param>
    /// <param name="blobOptions">SDK options for the blob clients.</param>
    public static YardstickStorage Create(StorageConnection connection, StorageLayout? layout = null, TimeProvider? timeProvider = null, TableClientOptions? tableOptions = null, BlobClientOptions? blobOptions = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return new YardstickStorage(
            connection,
            layout ?? StorageLayout.Default,
            connection.CreateTableServiceClient(tableOptions),
            connection.CreateBlobServiceClient(blobOptions),
            timeProvider ?? TimeProvider.System);
    }

    /// <summary>Creates the tables and the blob container when they do not exist.</summary>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        await RunStore.EnsureCreatedAsync(cancellationToken);
        await BaselineStore.EnsureCreatedAsync(cancellationToken);
        await VerdictStore.EnsureCreatedAsync(cancellationToken);
        await WorkloadRegistry.EnsureCreatedAsync(cancellationToken);
        await IdempotencyStore.EnsureCreatedAsync(cancellationToken);
        await AlertDeliveryStore.EnsureCreatedAsync(cancellationToken);
        await ArtifactStore.EnsureContainerAsync(cancellationToken);
    }
}
