using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Yardstick.Core.Load;

namespace Yardstick.Orchestration.Hosting;

public static class ServiceCollectionExtensions
{
    /// <summary>
    /// Registers everything the run's activities need except the stores (<c>IRunStore</c>, <c>IArtifactStore</c>…)
    /// and host specifics, which each host adds. Activities are transient and resolved by type from
    /// <see cref="TaskRegistry"/>.
    /// </summary>
    public static IServiceCollection AddYardstickOrchestration(this IServiceCollection services, YardstickHostOptions options)
    {
        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ILoadProgress, NullLoadProgress>();
        services.TryAddSingleton<PlanReader>();
        services.TryAddSingleton<Alerts.AlertSender>();
        services.TryAddSingleton(sp => new LoadGenerator(sp.GetRequiredService<TimeProvider>()));
        foreach (var task in TaskRegistry.Activities)
        {
            services.TryAddTransient(task.Type);
        }

        return services;
    }

    private sealed class NullLoadProgress : ILoadProgress
    {
        public void Report(LiveLoadStats stats)
        {
        }
    }
}
