using Microsoft.DurableTask;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Yardstick.Core.Measurements;
using Yardstick.Core.Ports;
using Yardstick.Functions.Functions;
using Yardstick.Functions.Hosting;
using Yardstick.Orchestration;
using Yardstick.Orchestration.Activities;
using Yardstick.Orchestration.Contracts;
using Yardstick.Testing;

namespace Yardstick.Functions.Tests.TestSupport;

/// <summary>
/// A run through this project's own pieces, minus the Functions runtime: the Functions host's service registration
/// (with the given app settings and stores) and the in-memory Durable engine calling the [Function] wrappers of a
/// plain run's tasks, as the Functions runtime would.
/// </summary>
internal static class WrapperPipeline
{
    /// <summary>The Functions host's services: results storage on Azurite's well-known account, loopback allowed, plus <paramref name="settings"/>.</summary>
    public static ServiceProvider Services(IRunStore runs, IArtifactStore artifacts, IBaselineStore baselines, IVerdictStore verdicts, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var values = new Dictionary<string, string?>
        {
            [AppSettings.Storage] = "UseDevelopmentStorage=true",
            [AppSettings.AllowedHosts] = "127.0.0.1",
        };
        foreach (var (name, value) in settings ?? new Dictionary<string, string?>())
        {
            values[name] = value;
        }

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddYardstickFunctions(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        services.AddSingleton(runs);
        services.AddSingleton(artifacts);
        services.AddSingleton(baselines);
        services.AddSingleton(verdicts);
        return services.BuildServiceProvider();
    }

    /// <summary>
    /// The in-memory Durable engine with the wrappers of a plain run: the orchestrator receives what the Functions
    /// runtime would give it (declaring the input type makes <c>GetInput&lt;RunRequest&gt;()</c> yield it), each activity
    /// its input with a FunctionContext carrying the instance id and <paramref name="services"/>.
    /// </summary>
    public static Task<DurableTaskTestHost> StartAsync(IServiceProvider services) =>
        DurableTestHost.StartAsync(registry =>
        {
            registry.AddOrchestratorFunc<RunRequest, RunOutcome>(nameof(BenchmarkRunOrchestrator), (context, _) => OrchestratorFunctions.BenchmarkRun(context));
            registry.AddActivityFunc<RunRequest, RunPlan>(nameof(PlanRunActivity), (context, input) => ActivityFunctions.PlanRun(input, Invocation(context, services)));
            registry.AddActivityFunc<ShardTask, ShardSummary>(nameof(RunLoadShardActivity), (context, input) => ActivityFunctions.RunLoadShard(input, Invocation(context, services)));
            registry.AddActivityFunc<PersistRequest, RunOutcome>(nameof(PersistRunActivity), (context, input) => ActivityFunctions.PersistRun(input, Invocation(context, services)));
            registry.AddActivityFunc<AnalyzeRequest, RunOutcome>(nameof(AnalyzeRunActivity), (context, input) => ActivityFunctions.AnalyzeRun(input, Invocation(context, services)));
            registry.AddActivityFunc<RunTelemetryRequest, bool>(nameof(RecordRunTelemetryActivity), (context, input) => ActivityFunctions.RecordRunTelemetry(input, Invocation(context, services)));
        });

    private static TestFunctionContext Invocation(TaskActivityContext context, IServiceProvider services) =>
        new(services, new Dictionary<string, object?> { [FunctionsActivityContext.InstanceIdKey] = context.InstanceId });
}
