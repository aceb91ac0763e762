using Microsoft.Extensions.DependencyInjection;
using Yardstick.Core.Ports;
using Yardstick.Storage;
using Yardstick.Storage.Local;

namespace Yardstick.Cli.Hosting;

/// <summary>
/// The storage account a CLI command works on: <c>--storage</c>, else <c>YARDSTICK_STORAGE</c>, else the embedded
/// default — an Azurite installed from <c>tools/azurite</c> (npm ci, first time) and started on loopback with its data
/// under <c>.yardstick/azurite</c>, stopped when the command ends.
/// </summary>
internal sealed class LocalStorage : IAsyncDisposable
{
    private readonly AzuriteLauncher? _azurite;

    private LocalStorage(StorageConnection connection, AzuriteLauncher? azurite)
    {
        Connection = connection;
        _azurite = azurite;
        Storage = YardstickStorage.Create(connection);
    }

    public StorageConnection Connection { get; }

    public YardstickStorage Storage { get; }

    public string Description => _azurite is null
        ? Connection.Describe()
        : $"embedded Azurite at 127.0.0.1:{_azurite.BlobPort}, data in {Path.GetRelativePath(Directory.GetCurrentDirectory(), _azurite.Location)}";

    public static async Task<LocalStorage> OpenAsync(string? storageOption, CancellationToken cancellationToken)
    {
        var configured = storageOption ?? Environment.GetEnvironmentVariable(StorageConnection.SettingName);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return new LocalStorage(StorageConnection.Parse(configured), azurite: null);
        }

        var azurite = await AzuriteLauncher.StartAsync(new AzuriteOptions(), logger: null, cancellationToken);
        return new LocalStorage(StorageConnection.Parse(azurite.ConnectionString), azurite);
    }

    public void Register(IServiceCollection services)
    {
        services.AddSingleton(Storage);
        services.AddSingleton<IRunStore>(Storage.Runs);
        services.AddSingleton<IArtifactStore>(Storage.Artifacts);
        services.AddSingleton<IBaselineStore>(Storage.Baselines);
        services.AddSingleton<IVerdictStore>(Storage.Verdicts);
        services.AddSingleton<IAlertDeliveryStore>(Storage.Alerts);
        services.AddSingleton<IWorkloadRegistry>(Storage.Registry);
        services.AddSingleton<IDatasetStore>(Storage.Datasets);
    }

    public Task EnsureCreatedAsync(IServiceProvider services, CancellationToken cancellationToken) => Storage.EnsureCreatedAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }
}
