using Azure.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Yardstick.Azure;
using Yardstick.Core.Alerts;
using Yardstick.Core;
using Yardstick.Core.Load;
using Yardstick.Core.Load.Safety;
using Yardstick.Core.Ports;
using Yardstick.Functions.Api;
using Yardstick.Core.Schedules;
using Yardstick.Functions.Schedules;
using Yardstick.Orchestration.Analysis;
using Yardstick.Orchestration.Hosting;
using Yardstick.Orchestration.Telemetry;
using Yardstick.Storage;

namespace Yardstick.Functions.Hosting;

/// <summary>Service registration of the Functions host; <c>Program.cs</c> calls <see cref="AddYardstickFunctions"/>.</summary>
public static class FunctionsServices
{
    /// <summary>
    /// Everything the functions need: the shared run engine (<c>AddYardstickOrchestration</c>) with the Functions host's
    /// options, the result stores, a throttled progress log, and the API and timer handlers.
    /// </summary>
    public static IServiceCollection AddYardstickFunctions(this IServiceCollection services, IConfiguration configuration, FunctionsHostSettings? settings = null)
    {
        var shutdown = new ShutdownSignal();
        services.AddSingleton(shutdown);
        services.AddHostedService(sp => sp.GetRequiredService<ShutdownSignal>());
        services.AddHostedService(sp => new TaskHubOwnerMarker(configuration, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<TaskHubOwnerMarker>>()));

        // ILoadProgress goes in before AddYardstickOrchestration, which only adds its silent default when none is registered.
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ILoadProgress, ThrottledLoadProgress>();
        // host.json reads the hub name as %YARDSTICK_TASK_HUB%; a bad one would surface as a storage error at first use.
        TaskHubName.Check(configuration[AppSettings.TaskHub], AppSettings.TaskHub);
        services.AddYardstickOrchestration(CreateHostOptions(configuration, shutdown.Token));
        services.AddSingleton(WithRunCap(WithGateBudget(settings ?? new FunctionsHostSettings(), configuration), configuration));
        services.AddSingleton<DeployedWorkloads>();
        services.AddSingleton<RunStarter>();
        services.AddSingleton<ApiGuard>();
        services.AddSingleton<RunCapacity>();
        services.AddSingleton<IdempotentStarts>();
        services.AddSingleton<RunsApi>();
        services.AddSingleton<GateApi>();
        services.AddSingleton<BaselinesApi>();
        services.AddSingleton<ReportsApi>();
        services.AddSingleton<WorkloadsApi>();
        services.AddSingleton<KnownWorkloads>();
        services.AddSingleton<TrendsApi>();
        services.AddSingleton<SilencesApi>();
        services.AddSingleton(sp => new BaselinePromotion(sp.GetRequiredService<IBaselineStore>(), sp.GetRequiredService<IRunStore>(), sp.GetRequiredService<IArtifactStore>()));
        services.AddSingleton(CreateScheduleSettings(configuration));
        services.AddSingleton<ScheduledRuns>();
        services.AddSingleton<Restores.TerminatedRunRestorer>();
        AddResultStores(services, configuration);
        AddAzureAdapters(services, configuration);
        AddRunTelemetry(services, configuration);
        return services;
    }

    /// <summary>
    /// Run telemetry out: every run's headline metrics and phase spans (<see cref="Orchestration.Activities.RecordRunTelemetryActivity"/>,
    /// the run's last step here) go over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set and to Application Insights
    /// when <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is — with the Entra identity of <c>AZURE_CLIENT_ID</c> (or the
    /// <c>ClientId</c> the authentication string names) when <c>APPLICATIONINSIGHTS_AUTHENTICATION_STRING</c> says
    /// <c>Authorization=AAD</c>, as the deployed component accepts nothing else. Checked at startup: a bad endpoint stops
    /// the host naming the setting. The container disposes (flushes) the exporters when the host stops.
    /// </summary>
    public static void AddRunTelemetry(IServiceCollection services, IConfiguration configuration)
    {
        var settings = RunTelemetryExportSettings.FromSettings(name => configuration[name]);
        var authentication = configuration[AppSettings.ApplicationInsightsAuthentication];
        if (settings.AzureMonitorConnectionString is not null && authentication is not null
            && authentication.Contains("Authorization=AAD", StringComparison.OrdinalIgnoreCase))
        {
            var clientId = authentication.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(part => part.Split('=', 2))
                .FirstOrDefault(pair => pair.Length == 2 && pair[0].Equals("ClientId", StringComparison.OrdinalIgnoreCase))?[1];
            settings = settings with
            {
                AzureMonitorCredential = new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = clientId ?? configuration[AppSettings.AzureClientId] }),
            };
        }

        if (RunTelemetryExport.Start(settings) is { } export)
        {
            services.AddSingleton(_ => export);
        }
    }

    /// <summary>Most sweep variants (values or grid cells) a run started on the Functions host may have.</summary>
    public const int MaxSweepVariants = 16;

    /// <summary>Most steps of a capacity search started on the Functions host.</summary>
    public const int MaxCapacitySteps = 12;

    /// <summary>Highest <c>capacity.maxRate</c> (requests/s) a search started on the Functions host may reach.</summary>
    public const double MaxCapacityRate = 5_000;

    /// <summary><c>YARDSTICK_GATE_BUDGET_SECONDS</c> (1–200), when set, replaces the default gate budget.</summary>
    public static FunctionsHostSettings WithGateBudget(FunctionsHostSettings settings, IConfiguration configuration)
    {
        var text = configuration[AppSettings.GateBudgetSeconds];
        if (string.IsNullOrWhiteSpace(text))
        {
            return settings;
        }

        return int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            && seconds is >= 1 and <= FunctionsHostSettings.MaxGateBudgetSeconds
            ? settings with { GateBudgetSeconds = seconds }
            : throw new InputException(AppSettings.GateBudgetSeconds, $"must be a whole number of seconds from 1 to {FunctionsHostSettings.MaxGateBudgetSeconds}; got '{text}'.");
    }

    /// <summary><c>YARDSTICK_MAX_CONCURRENT_RUNS</c> (1–1000), when set, replaces the default cap on runs carried at once.</summary>
    public static FunctionsHostSettings WithRunCap(FunctionsHostSettings settings, IConfiguration configuration)
    {
        var text = configuration[AppSettings.MaxConcurrentRuns];
        if (string.IsNullOrWhiteSpace(text))
        {
            return settings;
        }

        return int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var cap)
            && cap is >= 1 and <= FunctionsHostSettings.MaxMaxConcurrentRuns
            ? settings with { MaxConcurrentRuns = cap }
            : throw new InputException(AppSettings.MaxConcurrentRuns, $"must be a whole number from 1 to {FunctionsHostSettings.MaxMaxConcurrentRuns}; got '{text}'.");
    }

    /// <summary>
    /// <c>YARDSTICK_NIGHTLY_SCHEDULE</c> (six-field NCRONTAB, UTC) is what <c>schedule: nightly</c> stands for; default
    /// <c>0 0 2 * * *</c>. Checked at startup like a workload's schedule, so a bad value fails the host, not a night.
    /// </summary>
    public static ScheduleSettings CreateScheduleSettings(IConfiguration configuration)
    {
        var text = configuration[AppSettings.NightlySchedule];
        if (string.IsNullOrWhiteSpace(text))
        {
            return ScheduleSettings.Default;
        }

        var schedule = WorkloadSchedule.Parse(WorkloadSchedule.Nightly, text, AppSettings.NightlySchedule);
        return new ScheduleSettings(schedule.Expression.Text);
    }

    /// <summary>
    /// The Azure host's options: load only to hosts on <c>YARDSTICK_ALLOWED_HOSTS</c> (loopback when unset), no local
    /// target processes, <c>${env:NAME}</c> secrets from the app's settings, and the app's own site (never a target).
    /// </summary>
    public static YardstickHostOptions CreateHostOptions(IConfiguration configuration, CancellationToken shutdown = default) => new()
    {
        Host = "functions",
        TargetPolicy = TargetPolicy.ForDeployedHost(configuration[AppSettings.AllowedHosts]),
        AllowLocalProcesses = false,
        AllowPricingFiles = false,
        AllowDatasetFiles = false,
        MaxSweepVariants = MaxSweepVariants,
        MaxCapacitySteps = MaxCapacitySteps,
        MaxCapacityRate = MaxCapacityRate,
        BoundClosedModel = true,
        Environment = name => configuration[name],
        SecretNamePrefix = SecretReferences.DeployedHostPrefix,
        DefaultAlerts = AlertDefaults.Parse(
            configuration[AlertDefaults.SettingName],
            name => name.StartsWith(SecretReferences.DeployedHostPrefix, StringComparison.Ordinal) ? configuration[name] : null),
        PublicUrl = PublicUrl.Parse(configuration[AppSettings.PublicUrl]),
        Shutdown = shutdown,
        AzureAccess = true,
        MeteredCostDelay = TimeSpan.FromSeconds(PositiveInt(configuration, AppSettings.MeteredCostDelaySeconds) ?? 300),
        PricingCatalogPath = Path.Combine(AppContext.BaseDirectory, "workloads", "pricing", "azure-functions.json"),
        BenchmarkInstanceMemoryMB = PositiveInt(configuration, AppSettings.InstanceMemoryMB) ?? 2048,
        Self = SelfSite.FromEnvironment(name => configuration[name]),
        AllowOwnResourceGroup = Flag(configuration, AppSettings.AllowOwnResourceGroup),
        BenchmarkRegion = configuration[AppSettings.Region] is { Length: > 0 } region
            ? region
            : configuration[AppSettings.PlatformRegionName]?.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant(),
    };

    /// <summary>
    /// The Azure adapters (ARM for cold starts and sweeps, Azure Monitor for metered cost, Log Analytics for server
    /// telemetry), with the identity named by <c>AZURE_CLIENT_ID</c>. Created on first use: nothing is contacted at startup.
    /// </summary>
    public static void AddAzureAdapters(IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(sp => new AzureAdapters(
            new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = configuration[AppSettings.AzureClientId] }),
            sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<ITargetControl>(sp => sp.GetRequiredService<AzureAdapters>().TargetControl(sp.GetRequiredService<YardstickHostOptions>().TargetPolicy));
        services.TryAddSingleton(sp => sp.GetRequiredService<AzureAdapters>().MeteredCost);
        services.TryAddSingleton(sp => sp.GetRequiredService<AzureAdapters>().ServerMetrics);
        services.TryAddSingleton<IServerTelemetrySource>(sp => sp.GetRequiredService<AzureAdapters>().LogAnalytics);
    }

    private static bool Flag(IConfiguration configuration, string name) => configuration[name] switch
    {
        null or "" => false,
        var text when bool.TryParse(text, out var value) => value,
        var text => throw new InputException(name, $"must be true or false, found '{text}'."),
    };

    private static int? PositiveInt(IConfiguration configuration, string name)
    {
        var text = configuration[name];
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new InputException(name, $"must be a positive whole number, found '{text}'.");
    }

    /// <summary>
    /// Registers the result stores (<c>IRunStore</c>, <c>IArtifactStore</c>, and the baseline and verdict stores) for
    /// <c>YARDSTICK_STORAGE</c>: in Azure the results account's endpoint URI, reached with
    /// <c>DefaultAzureCredential</c> for the user-assigned identity named by <c>AZURE_CLIENT_ID</c> (no keys); locally
    /// a connection string or <c>UseDevelopmentStorage=true</c>.
    /// </summary>
    public static void AddResultStores(IServiceCollection services, IConfiguration configuration)
    {
        if (string.IsNullOrWhiteSpace(configuration[AppSettings.Storage]))
        {
            throw new InputException(AppSettings.Storage, "is not set: give the results storage account's endpoint URI (https://<account>.blob.core.windows.net/) or, locally, a connection string.");
        }

        // Identity-based in Azure: the user-assigned identity named by AZURE_CLIENT_ID; no keys in configuration.
        var credential = new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = configuration[AppSettings.AzureClientId] });
        var storage = YardstickStorage.Create(StorageConnection.Parse(configuration[AppSettings.Storage], credential));
        services.AddSingleton(storage);
        services.AddSingleton(storage.Runs);
        services.AddSingleton(storage.Artifacts);
        services.AddSingleton(storage.Baselines);
        services.AddSingleton(storage.Verdicts);
        services.AddSingleton(storage.Registry);
        services.AddSingleton(storage.Idempotency);
        services.AddSingleton(storage.Alerts);
        services.AddSingleton(storage.Datasets);
    }

    /// <summary>Cancelled when the host stops (scale-in, deployment): running shards stop and fail their attempt, so a retry runs them again.</summary>
    internal sealed class ShutdownSignal : IHostedService, IDisposable
    {
        private readonly CancellationTokenSource _stopping = new();

        public CancellationToken Token => _stopping.Token;

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken)
        {
            _stopping.Cancel();
            return Task.CompletedTask;
        }

        public void Dispose() => _stopping.Dispose();
    }
}
