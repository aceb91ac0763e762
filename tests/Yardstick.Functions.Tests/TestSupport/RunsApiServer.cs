using Yardstick.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yardstick.Core.Ports;
using Yardstick.Functions.Api;
using Yardstick.Functions.Hosting;
using Yardstick.Orchestration;
using Yardstick.Orchestration.Contracts;

namespace Yardstick.Functions.Tests.TestSupport;

/// <summary>
/// The runs API served by a real Kestrel server on loopback, with the Functions host's service registration and a real
/// <see cref="DurableTaskClient"/> over the in-memory Durable backend (Microsoft.DurableTask.InProcessTestHost). The
/// orchestrator registered under <c>BenchmarkRunOrchestrator</c> is a stand-in that shows a "plan" progress and waits
/// for a <see cref="FinishEvent"/> carrying its outcome: these tests are about the API, not about running load. Routes:
/// the runs API, <c>POST /api/gate</c>, <c>POST /api/baselines/{workload}</c> and <c>GET /api/runs/{id}/report</c>.
/// </summary>
internal sealed class RunsApiServer : IAsyncDisposable
{
    public const string FinishEvent = "finish";

    /// <summary>An app setting a workload may reference on the Functions host (<c>YARDSTICK_SECRET_*</c>).</summary>
    public const string SecretSettingName = "YARDSTICK_SECRET_TEST_KEY";

    private readonly DurableTaskTestHost _durable;
    private readonly WebApplication _app;
    private readonly WorkloadFolder _workloads;
    private DurableTaskClient? _handlerClient;

    private RunsApiServer(DurableTaskTestHost durable, WebApplication app, WorkloadFolder workloads, InMemoryRunStore runs, InMemoryArtifactStore artifacts, InMemoryWorkloadRegistry registry, string baseUrl)
    {
        _durable = durable;
        Registry = registry;
        Runs = runs;
        Artifacts = artifacts;
        _app = app;
        _workloads = workloads;
        BaseUrl = baseUrl;
        Http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(60) };
    }

    public string BaseUrl { get; }

    public HttpClient Http { get; }

    public DurableTaskClient Client => _durable.Client;

    public InMemoryRunStore Runs { get; }

    public InMemoryArtifactStore Artifacts { get; }

    public InMemoryWorkloadRegistry Registry { get; }

    /// <summary>The alert store the app uses (silence windows).</summary>
    public IAlertDeliveryStore Alerts => _app.Services.GetRequiredService<IAlertDeliveryStore>();

    /// <param name="workloadFiles">Deployed workload files (name → text).</param>
    /// <param name="maxBodyBytes">Request body limit.</param>
    /// <param name="baselines">The baseline store (the tests of the baselines API pass the real Table store on Azurite); none: the app's own registration, unused.</param>
    /// <param name="functionsClient">True: the handlers get the Functions host's Durable client (with a system key) around the in-memory one.</param>
    /// <param name="idempotency">The Idempotency-Key store (the idempotency tests pass the real Table store on Azurite); none: in memory.</param>
    /// <param name="maxConcurrentRuns">The run cap; the shared fixtures leave many stand-in runs waiting, so the default is the highest.</param>
    /// <param name="storage">Result stores to use instead of the in-memory ones (the 503 tests point real Table and Blob clients at a closed port).</param>
    /// <param name="handlerClient">The Durable client the handlers get instead of the in-memory host's (the 503 tests pass one for a closed port); disposed with the server.</param>
    /// <param name="datasets">The datasets store (the data.blob tests pass the real one on Azurite); none: the app's own registration.</param>
    /// <param name="time">The app's clock (the run-cap tests move it past the window); none: the system clock.</param>
    public static async Task<RunsApiServer> StartAsync(IReadOnlyDictionary<string, string> workloadFiles, int maxBodyBytes = FunctionsHostSettings.DefaultMaxBodyBytes, IBaselineStore? baselines = null, bool functionsClient = false, IIdempotencyStore? idempotency = null, int maxConcurrentRuns = FunctionsHostSettings.MaxMaxConcurrentRuns, Yardstick.Storage.YardstickStorage? storage = null, DurableTaskClient? handlerClient = null, TimeProvider? time = null, IDatasetStore? datasets = null)
    {
        var workloads = new WorkloadFolder(workloadFiles);
        var durable = await DurableTestHost.StartAsync(registry =>
            registry.AddOrchestratorFunc<RunRequest, RunOutcome>(nameof(BenchmarkRunOrchestrator), (context, input) => StandInAsync(context, input)));

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                [AppSettings.Storage] = "UseDevelopmentStorage=true",
                [AppSettings.AllowedHosts] = "127.0.0.1,localhost",
                [SecretSettingName] = "secret-value-for-tests",
            })
            .Build();
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        builder.Services.AddYardstickFunctions(configuration, new FunctionsHostSettings { WorkloadDirectory = workloads.Path, MaxBodyBytes = maxBodyBytes, MaxConcurrentRuns = maxConcurrentRuns });
        var runs = new InMemoryRunStore();
        var registry = new InMemoryWorkloadRegistry();
        var artifacts = new InMemoryArtifactStore();
        builder.Services.AddSingleton(storage?.Runs ?? runs);
        builder.Services.AddSingleton(storage?.Artifacts ?? artifacts);
        builder.Services.AddSingleton(storage?.Registry ?? registry);
        if ((storage?.Baselines ?? baselines) is { } baselineStore)
        {
            builder.Services.AddSingleton(baselineStore);
        }

        builder.Services.AddSingleton(storage?.Idempotency ?? idempotency ?? new InMemoryIdempotencyStore());
        var alerts = new InMemoryAlertDeliveryStore();
        builder.Services.AddSingleton<IAlertDeliveryStore>(storage?.Alerts ?? alerts);
        if ((storage?.Datasets ?? datasets) is { } datasetStore)
        {
            builder.Services.AddSingleton(datasetStore);
        }
        var app = builder.Build();
        var api = app.Services.GetRequiredService<RunsApi>();
        var client = handlerClient ?? (functionsClient ? FunctionsDurableClient.Wrap(durable.Client, "http://127.0.0.1:7071") : durable.Client);
        // As every [Function] does: storage and Durable failures become 503.
        var guard = app.Services.GetRequiredService<ApiGuard>();
        app.MapPost("/api/runs", Handle(guard, context => api.StartAsync(context.Request, client, context.RequestAborted)));
        app.MapPost("/api/sweeps", Handle(guard, context => api.StartSweepAsync(context.Request, client, context.RequestAborted)));
        app.MapGet("/api/runs/{id}", (HttpContext context, string id) => ExecuteAsync(guard, context, new Func<Task<ApiResult>>(() => api.GetAsync(context.Request, client, id, context.RequestAborted))));
        app.MapGet("/api/runs", Handle(guard, context => api.ListAsync(context.Request, context.RequestAborted)));
        var gate = app.Services.GetRequiredService<GateApi>();
        var promote = app.Services.GetRequiredService<BaselinesApi>();
        var reports = app.Services.GetRequiredService<ReportsApi>();
        app.MapPost("/api/gate", Handle(guard, context => gate.StartAsync(context.Request, client, context.RequestAborted)));
        app.MapPost("/api/baselines/{workload}", (HttpContext context, string workload) => ExecuteAsync(guard, context, new Func<Task<ApiResult>>(() => promote.PromoteAsync(context.Request, workload, context.RequestAborted))));
        app.MapGet("/api/runs/{id}/report", (HttpContext context, string id) => ExecuteAsync(guard, context, new Func<Task<ApiResult>>(() => reports.GetAsync(context.Request, id, context.RequestAborted))));
        var registryApi = app.Services.GetRequiredService<WorkloadsApi>();
        app.MapPut("/api/workloads/{name}", (HttpContext context, string name) => ExecuteAsync(guard, context, new Func<Task<ApiResult>>(() => registryApi.PutAsync(context.Request, name, context.RequestAborted))));
        app.MapGet("/api/workloads/{name}/versions", (HttpContext context, string name) => ExecuteAsync(guard, context, new Func<Task<ApiResult>>(() => registryApi.VersionsAsync(context.Request, name, context.RequestAborted))));
        app.MapGet("/api/workloads/{name}/versions/{version}", (HttpContext context, string name, string version) => ExecuteAsync(guard, context, new Func<Task<ApiResult>>(() => registryApi.GetVersionAsync(context.Request, name, version, context.RequestAborted))));
        app.MapDelete("/api/workloads/{name}/versions/{version}", (HttpContext context, string name, string version) => ExecuteAsync(guard, context, new Func<Task<ApiResult>>(() => registryApi.RetireAsync(context.Request, name, version, context.RequestAborted))));
        var trends = app.Services.GetRequiredService<TrendsApi>();
        app.MapGet("/api/workloads", Handle(guard, context => trends.ListAsync(context.Request, context.RequestAborted)));
        var silences = app.Services.GetRequiredService<SilencesApi>();
        app.MapPost("/api/workloads/{name}/silences", (HttpContext context, string name) => ExecuteAsync(guard, context, new Func<Task<ApiResult>>(() => silences.AddAsync(context.Request, name, context.RequestAborted))));
        app.MapGet("/api/workloads/{name}/silences", (HttpContext context, string name) => ExecuteAsync(guard, context, new Func<Task<ApiResult>>(() => silences.ListAsync(name, context.RequestAborted))));
        app.MapGet("/api/dashboard", Handle(guard, context => trends.DashboardAsync(context.Request, null, context.RequestAborted)));
        app.MapGet("/api/dashboard/{name}", (HttpContext context, string name) => ExecuteAsync(guard, context, new Func<Task<ApiResult>>(() => trends.DashboardAsync(context.Request, name, context.RequestAborted))));
        app.MapGet("/api/workloads/{name}/trend", (HttpContext context, string name) => ExecuteAsync(guard, context, new Func<Task<ApiResult>>(() => trends.TrendAsync(context.Request, name, context.RequestAborted))));
        await app.StartAsync();

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new RunsApiServer(durable, app, workloads, runs, artifacts, registry, address) { _handlerClient = handlerClient };
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _durable.DisposeAsync();
        if (_handlerClient is not null)
        {
            await _handlerClient.DisposeAsync();
        }
        _workloads.Dispose();
    }

    private static async Task<RunOutcome> StandInAsync(TaskOrchestrationContext context, RunRequest input)
    {
        context.SetCustomStatus(new RunProgress { Phase = "plan" });
        return await context.WaitForExternalEvent<RunOutcome>(FinishEvent);
    }

    private static RequestDelegate Handle(ApiGuard guard, Func<HttpContext, Task<ApiResult>> handler)
    {
        return Run;

        Task Run(HttpContext context) => ExecuteAsync(guard, context, () => handler(context));
    }

    private static async Task ExecuteAsync(ApiGuard guard, HttpContext context, Func<Task<ApiResult>> handler)
    {
        var result = await guard.RunAsync(handler, context.RequestAborted);
        await result.ExecuteResultAsync(new ActionContext { HttpContext = context });
    }
}
