using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yardstick.Azure;
using Yardstick.Core.Alerts;
using Yardstick.Core.Load;
using Yardstick.Core.Load.LocalTargets;
using Yardstick.Core.Load.Safety;
using Yardstick.Core.Ports;
using Yardstick.Orchestration;
using Yardstick.Orchestration.Hosting;
using Yardstick.Storage.TaskHubs;

namespace Yardstick.Cli.Hosting;

/// <summary>How a command wants its environment.</summary>
internal sealed record CliEnvironmentOptions
{
    public string? Storage { get; init; }

    /// <summary>Task hub name; null: <c>YARDSTICK_TASK_HUB</c>, else <c>yardstick</c>.</summary>
    public string? TaskHub { get; init; }

    public IReadOnlyList<string> AllowedHosts { get; init; } = [];

    /// <summary>
    /// Start the local Durable host and process work (runs, resume, worker). False for commands that only read and write
    /// the stores (history, show, report, baseline, compare): they touch no task hub at all, so they also work on a
    /// results-only account.
    /// </summary>
    public bool RunWorker { get; init; } = true;

    /// <summary>Load shards this process runs at once (null: the default of the local hub).</summary>
    public int? MaxActivities { get; init; }

    public bool Verbose { get; init; }

    /// <summary>
    /// Register the Azure adapters (DefaultAzureCredential): the <c>restart</c> and <c>appSetting</c> cold-start
    /// strategies, metered cost and App Insights telemetry need them (<c>--azure</c>).
    /// </summary>
    public bool AzureAccess { get; init; }

    /// <summary>Wait before reading Azure Monitor's billing metrics (<c>--metered-delay</c>; default 5 min).</summary>
    public TimeSpan? MeteredDelay { get; init; }

    /// <summary>Alerts may also go to loopback (<c>--alerts-to-loopback</c>; <see cref="AlertDestinations.PublicHttpsOrLoopback"/>).</summary>
    public bool AlertsToLoopback { get; init; }

    public CancellationToken Shutdown { get; init; }
}

/// <summary>
/// Everything a command needs: storage (embedded Azurite unless configured), the stores, and the local Durable
/// host running the shared orchestrations. Disposing it stops the worker, the target processes and Azurite.
/// </summary>
internal sealed class CliEnvironment : IAsyncDisposable
{
    private const string HeartbeatContainer = "yardstick-health";

    private static readonly BinaryData HeartbeatContent = new(new byte[64 * 1024]);

    private readonly ServiceProvider _services;
    private readonly LocalStorage _storage;

    private readonly LocalDurableHost? _hub;
    private bool _heartbeatContainerReady;

    private CliEnvironment(ServiceProvider services, LocalStorage storage, LocalDurableHost? hub)
    {
        _services = services;
        _storage = storage;
        _hub = hub;
    }

    /// <summary>The local Durable host; only commands started with <see cref="CliEnvironmentOptions.RunWorker"/> have one.</summary>
    public LocalDurableHost Hub => _hub ?? throw new InvalidOperationException("This command was started without the Durable host (RunWorker = false).");

    public IRunStore Runs => _services.GetRequiredService<IRunStore>();

    public IArtifactStore Artifacts => _services.GetRequiredService<IArtifactStore>();

    public IBaselineStore Baselines => _services.GetRequiredService<IBaselineStore>();

    public IVerdictStore Verdicts => _services.GetRequiredService<IVerdictStore>();

    public IAlertDeliveryStore Alerts => _services.GetRequiredService<IAlertDeliveryStore>();

    /// <summary>The workload registry in this storage account (the same tables and blobs the deployed app uses).</summary>
    public IWorkloadRegistry Registry => _services.GetRequiredService<IWorkloadRegistry>();

    public LiveLoadProgress Progress => _services.GetRequiredService<LiveLoadProgress>();

    public LocalProcessTargets Targets => _services.GetRequiredService<LocalProcessTargets>();

    public YardstickHostOptions HostOptions => _services.GetRequiredService<YardstickHostOptions>();

    public IServiceProvider Services => _services;

    /// <summary>The storage account (for readers of the task hub's own tables, such as <see cref="TaskHubProbe"/>).</summary>
    public Storage.StorageConnection Connection => _storage.Connection;

    /// <summary>
    /// Proves storage still takes writes: overwrites one blob (<c>yardstick-health/cli-heartbeat</c>, shared by all CLIs
    /// on the account). The run watcher calls it every few seconds. 64 KiB, because a full filesystem still takes a few
    /// bytes into the free end of a page it already holds (measured on tmpfs: a 33-byte heartbeat kept succeeding
    /// while every shard result failed); 64 KiB needs new pages like the writes of a run do.
    /// </summary>
    public async Task WriteHeartbeatAsync(CancellationToken cancellationToken)
    {
        var container = _storage.Connection.CreateBlobServiceClient().GetBlobContainerClient(HeartbeatContainer);
        if (!_heartbeatContainerReady)
        {
            await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            _heartbeatContainerReady = true;
        }

        await container.GetBlobClient("cli-heartbeat").UploadAsync(HeartbeatContent, overwrite: true, cancellationToken);
    }

    /// <summary>Where results go, for humans (no keys).</summary>
    public string StorageDescription => _storage.Description;

    /// <summary>The PID files of the local target processes (<see cref="TargetProcessRecords"/>), next to their logs.</summary>
    private static string PidDirectory => Path.Combine(Directory.GetCurrentDirectory(), ".yardstick", "targets", "pids");

    public static YardstickHostOptions CreateHostOptions(CliEnvironmentOptions options)
    {
        var configured = TargetPolicy.Parse(Environment.GetEnvironmentVariable("YARDSTICK_ALLOWED_HOSTS"));
        return new YardstickHostOptions
        {
            Host = "local",
            TargetPolicy = TargetPolicy.ForLocalHost(configured.AllowedHosts.Concat(options.AllowedHosts)),
            AllowLocalProcesses = true,
            Shutdown = options.Shutdown,
            AzureAccess = options.AzureAccess,
            MeteredCostDelay = options.MeteredDelay ?? TimeSpan.FromMinutes(5),
            AlertDestinations = options.AlertsToLoopback ? AlertDestinations.PublicHttpsOrLoopback : AlertDestinations.PublicHttpsOnly,
            DefaultAlerts = AlertDefaults.Parse(Environment.GetEnvironmentVariable(AlertDefaults.SettingName), Environment.GetEnvironmentVariable),
            PublicUrl = PublicUrl.Parse(Environment.GetEnvironmentVariable(PublicUrl.SettingName)),
            // The copy shipped next to the CLI; a workload inside a repository uses the repository's catalog first.
            PricingCatalogPath = Path.Combine(AppContext.BaseDirectory, "pricing", "azure-functions.json"),
        };
    }

    /// <summary>The task hub a command works on: <c>--task-hub</c>, else <c>YARDSTICK_TASK_HUB</c>, else <c>yardstick</c>.</summary>
    public static string TaskHubName(CliEnvironmentOptions options) =>
        options.TaskHub ?? Orchestration.Hosting.TaskHubName.Check(Environment.GetEnvironmentVariable("YARDSTICK_TASK_HUB"), "YARDSTICK_TASK_HUB") ?? "yardstick";

    public static async Task<CliEnvironment> StartAsync(CliEnvironmentOptions options, CancellationToken cancellationToken)
    {
        LoadHostTuning.Apply();
        var hostOptions = CreateHostOptions(options);
        var storage = await LocalStorage.OpenAsync(options.Storage, cancellationToken);
        try
        {
            var services = new ServiceCollection();
            services.AddLogging(logging =>
            {
                logging.AddSimpleConsole(o => o.SingleLine = true);
                logging.AddFilter(level => level >= (options.Verbose ? LogLevel.Information : LogLevel.Warning));
                // Without --verbose the engine's and the storage SDK's errors stay quiet: while storage is away they
                // repeat every poll, and a failure the CLI gives up on ends in its own one line (exit 3).
                logging.AddFilter("DurableTask", options.Verbose ? LogLevel.Warning : LogLevel.None);
                logging.AddFilter("Azure", options.Verbose ? LogLevel.Error : LogLevel.None);
                // A run that fails ends in the CLI's own line ("yardstick: run … failed: …"); the orchestrator's log of the
                // same failure would only repeat it.
                logging.AddFilter(RunFailureLog.Category, options.Verbose ? LogLevel.Information : LogLevel.None);
                // Route console logs to stderr so stdout stays clean for the summary.
                logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
            });
            services.AddYardstickOrchestration(hostOptions);
            storage.Register(services);
            services.AddSingleton<LiveLoadProgress>();
            services.AddSingleton<ILoadProgress>(sp => sp.GetRequiredService<LiveLoadProgress>());
            services.AddSingleton(sp => new LocalProcessTargets(
                new LocalTargetOptions
                {
                    SampleTargetPath = Path.Combine(AppContext.BaseDirectory, "Yardstick.SampleTarget.dll"),
                    LogDirectory = Path.Combine(Directory.GetCurrentDirectory(), ".yardstick", "targets"),
                    PidDirectory = PidDirectory,
                    Policy = hostOptions.TargetPolicy,
                },
                sp.GetRequiredService<TimeProvider>()));
            services.AddSingleton<ILocalTargets>(sp => sp.GetRequiredService<LocalProcessTargets>());
            if (options.AzureAccess)
            {
                AddAzureAdapters(services);
            }

            var provider = services.BuildServiceProvider();

            if (!options.RunWorker)
            {
                await storage.EnsureCreatedAsync(provider, cancellationToken);
                return new CliEnvironment(provider, storage, hub: null);
            }

            // Targets a killed CLI could not stop (no setpriv here, or killed between start and record) stop now, before
            // this process's load could meet them on their ports.
            var logger = provider.GetRequiredService<ILoggerFactory>().CreateLogger("Yardstick.Cli");
            foreach (var line in new TargetProcessRecords(PidDirectory).ReapOrphans())
            {
                Log.StoppedOrphanTarget(logger, line);
            }

            var hubSettings = new LocalHubSettings
            {
                Storage = storage.Connection,
                TaskHubName = TaskHubName(options),
            };
            if (options.MaxActivities is { } maxActivities)
            {
                hubSettings = hubSettings with { MaxConcurrentActivities = maxActivities };
            }

            // A Functions app's hub runs under the app's rules (leases, serializer, allow-list): never join it.
            await TaskHubOwnership.EnsureNotFunctionsHubAsync(storage.Connection.CreateBlobServiceClient(), hubSettings.TaskHubName, storage.Description, cancellationToken);
            var hub = await LocalDurableHost.StartAsync(hubSettings, provider, provider.GetRequiredService<ILoggerFactory>(), runWorker: true);
            await storage.EnsureCreatedAsync(provider, cancellationToken);
            return new CliEnvironment(provider, storage, hub);
        }
        catch
        {
            await storage.DisposeAsync();
            throw;
        }
    }

    /// <summary>ARM, Azure Monitor and Log Analytics with DefaultAzureCredential (az login, or AZURE_* environment variables).</summary>
    private static void AddAzureAdapters(ServiceCollection services)
    {
        services.AddSingleton(sp => new AzureAdapters(timeProvider: sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ITargetControl>(sp => sp.GetRequiredService<AzureAdapters>().TargetControl(sp.GetRequiredService<YardstickHostOptions>().TargetPolicy));
        services.AddSingleton(sp => sp.GetRequiredService<AzureAdapters>().MeteredCost);
        services.AddSingleton(sp => sp.GetRequiredService<AzureAdapters>().ServerMetrics);
        services.AddSingleton<IServerTelemetrySource>(sp => sp.GetRequiredService<AzureAdapters>().LogAnalytics);
    }

    public async ValueTask DisposeAsync()
    {
        if (_hub is not null)
        {
            await _hub.DisposeAsync();
        }

        await _services.DisposeAsync();
        await _storage.DisposeAsync();
    }
}
