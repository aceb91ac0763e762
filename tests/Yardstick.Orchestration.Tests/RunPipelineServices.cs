using Microsoft.Extensions.DependencyInjection;
using Yardstick.Core.Load.Safety;
using Yardstick.Orchestration.Hosting;
using Yardstick.Storage;

namespace Yardstick.Orchestration.Tests;

/// <summary>The services the whole run pipeline's activities need, on one storage account, for loopback targets only.</summary>
internal static class RunPipelineServices
{
    public static ServiceProvider Build(YardstickStorage storage, YardstickHostOptions? options = null, Action<IServiceCollection>? configure = null)
    {
        options ??= new YardstickHostOptions { TargetPolicy = TargetPolicy.LoopbackOnly, Environment = _ => null };
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddYardstickOrchestration(options);
        services.AddSingleton(storage.Artifacts);
        services.AddSingleton(storage.Runs);
        services.AddSingleton(storage.Baselines);
        services.AddSingleton(storage.Verdicts);
        services.AddSingleton(storage.Alerts);
        services.AddSingleton(storage.Datasets);
        configure?.Invoke(services);
        return services.BuildServiceProvider();
    }
}
