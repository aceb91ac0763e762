using DurableTask.AzureStorage;
using DurableTask.Core;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Shims;
using Microsoft.Extensions.Logging;
using Yardstick.Orchestration;
using Yardstick.Orchestration.Contracts;
using Yardstick.Storage;

namespace Yardstick.Cli.Hosting;

/// <summary>Settings of the local task hub.</summary>
internal sealed record LocalHubSettings
{
    /// <summary>The storage account (Azurite or real; connection string, or account URI with Entra ID) holding the task hub.</summary>
    public required StorageConnection Storage { get; init; }

    public string TaskHubName { get; init; } = "yardstick";

    /// <summary>
    /// Unique per process: several workers (a run and `yardstick worker` processes, on one machine or many) share the
    /// task hub's partitions, and the partition manager tells them apart by this id.
    /// </summary>
    public string WorkerId { get; init; } = $"yardstick-{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>
    /// Short polling keeps orchestration overhead low locally: each step of a run is a queue hop (Functions defaults to
    /// 30 s). Idle, the hub polls Azurite ~20 times a second per queue, which costs little on a developer machine.
    /// </summary>
    public TimeSpan MaxQueuePollingInterval { get; init; } = TimeSpan.FromMilliseconds(50);

    public int PartitionCount { get; init; } = 2;

    /// <summary>Activity slots of a process by default (<c>--max-activities</c>); <c>run</c> raises it to a round's shards.</summary>
    public const int DefaultMaxConcurrentActivities = 64;

    public int MaxConcurrentActivities { get; init; } = DefaultMaxConcurrentActivities;
}

/// <summary>
/// The real Durable Task engine (DurableTask.Core <see cref="TaskHubWorker"/> + <see cref="TaskHubClient"/>) on the
/// Azure Storage backend — the one Durable Functions uses in Azure — running the shared orchestration classes.
/// A killed CLI leaves its runs in the task hub; the next worker on the same storage finishes them.
/// </summary>
internal sealed class LocalDurableHost : IAsyncDisposable
{
    private readonly AzureStorageOrchestrationService _service;
    private readonly TaskHubWorker? _worker;

    private LocalDurableHost(AzureStorageOrchestrationService service, TaskHubWorker? worker, TaskHubClient client)
    {
        _service = service;
        _worker = worker;
        Client = client;
    }

    public TaskHubClient Client { get; }

    /// <summary>Creates the task hub if needed and, when <paramref name="runWorker"/>, starts processing orchestrations and activities.</summary>
    public static async Task<LocalDurableHost> StartAsync(LocalHubSettings settings, IServiceProvider services, ILoggerFactory loggerFactory, bool runWorker)
    {
        var service = new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
        {
            TaskHubName = settings.TaskHubName,
            StorageAccountClientProvider = CreateClientProvider(settings.Storage),
            WorkerId = settings.WorkerId,
            AppName = "yardstick",
            PartitionCount = settings.PartitionCount,
            MaxQueuePollingInterval = settings.MaxQueuePollingInterval,
            MaxConcurrentTaskActivityWorkItems = settings.MaxConcurrentActivities,
            MaxConcurrentTaskOrchestrationWorkItems = 16,
            // A shard that was running when the CLI died becomes visible again after this, so a resumed run waits at most
            // this long for it. Running shards keep their lock: DurableTask.Core renews it every 5 s at this setting.
            WorkItemQueueVisibilityTimeout = TimeSpan.FromSeconds(20),
            ControlQueueVisibilityTimeout = TimeSpan.FromSeconds(30),
            UseTablePartitionManagement = true,
            // Short leases: the partitions of a killed CLI move to the next worker within ~15 s instead of 30+.
            LeaseInterval = TimeSpan.FromSeconds(15),
            LeaseRenewInterval = TimeSpan.FromSeconds(5),
            LeaseAcquireInterval = TimeSpan.FromSeconds(5),
            LoggerFactory = loggerFactory,
        });
        await service.CreateIfNotExistsAsync();

        TaskHubWorker? worker = null;
        if (runWorker)
        {
            var shims = new DurableTaskShimFactory(new DurableTaskWorkerOptions { DataConverter = DurableJson.ShimConverter }, loggerFactory);
            worker = new TaskHubWorker(service, loggerFactory);
            worker.AddTaskOrchestrations(TaskRegistry.Orchestrators.Select(t => (ObjectCreator<TaskOrchestration>)new ShimOrchestrationCreator(t, shims)).ToArray());
            worker.AddTaskActivities(TaskRegistry.Activities.Select(t => (ObjectCreator<TaskActivity>)new ShimActivityCreator(t, shims, services)).ToArray());
            worker.ErrorPropagationMode = ErrorPropagationMode.UseFailureDetails;
            await worker.StartAsync();
        }

        var client = new TaskHubClient(service, DurableJson.ClientConverter, loggerFactory);
        return new LocalDurableHost(service, worker, client);
    }

    /// <summary>
    /// The task hub's storage clients: from the connection string, or — for an account URI — from the account's blob,
    /// queue and table endpoints with its token credential (the Durable identity needs the Blob, Queue and Table data
    /// contributor roles there).
    /// </summary>
    public static StorageAccountClientProvider CreateClientProvider(StorageConnection storage)
    {
        if (storage.ConnectionString is { } connectionString)
        {
            return new StorageAccountClientProvider(connectionString);
        }

        var queue = storage.QueueEndpoint
            ?? throw new Core.InputException(StorageConnection.SettingName, "names no queue endpoint; the Durable task hub needs blobs, queues and tables.");
        return new StorageAccountClientProvider(storage.BlobEndpoint, queue, storage.TableEndpoint, storage.Credential!);
    }

    /// <summary>Starts a run whose instance id is its run id (a second start of the same id is ignored).</summary>
    public Task ScheduleAsync(RunRequest request) =>
        Client.CreateOrchestrationInstanceAsync(
            nameof(BenchmarkRunOrchestrator),
            version: string.Empty,
            instanceId: request.RunId,
            input: request,
            tags: null,
            dedupeStatuses: [OrchestrationStatus.Running, OrchestrationStatus.Pending, OrchestrationStatus.Completed]);

    public Task<OrchestrationState?> GetStateAsync(string runId) => Client.GetOrchestrationStateAsync(runId)!;

    /// <summary>Runs the task hub knows about that have not finished (interrupted by a killed CLI, or still going).</summary>
    public async Task<IReadOnlyList<OrchestrationState>> GetUnfinishedRunsAsync(CancellationToken cancellationToken)
    {
        var result = await _service.GetOrchestrationStateAsync(
            DateTime.UtcNow.AddDays(-30),
            null,
            [OrchestrationStatus.Running, OrchestrationStatus.Pending],
            top: 100,
            continuationToken: null,
            cancellationToken);
        return result.OrchestrationState
            .Where(s => s.Name == nameof(BenchmarkRunOrchestrator))
            .ToList();
    }

    public async ValueTask DisposeAsync()
    {
        if (_worker is not null)
        {
            // Graceful, but bounded: shards see the shutdown token, stop within a second and fail their attempt, so
            // the next worker on this task hub runs them again. Anything still stuck after 10 s is left to lease expiry.
            await Task.WhenAny(_worker.StopAsync(isForced: false), Task.Delay(TimeSpan.FromSeconds(10)));
            _worker.Dispose();
        }
    }
}
