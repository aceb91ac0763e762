using DurableTask.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Worker.Shims;
using Microsoft.Extensions.DependencyInjection;
using Yardstick.Orchestration;

namespace Yardstick.Cli.Hosting;

/// <summary>
/// Adapts the shared <c>TaskOrchestrator</c> / <c>TaskActivity</c>
/// classes to DurableTask.Core's worker with the public <see cref="DurableTaskShimFactory"/> — the same classes the
/// Functions host runs through its [Function] wrappers.
/// </summary>
internal sealed class ShimOrchestrationCreator : ObjectCreator<TaskOrchestration>
{
    private readonly TaskRegistration _task;
    private readonly DurableTaskShimFactory _shims;

    public ShimOrchestrationCreator(TaskRegistration task, DurableTaskShimFactory shims)
    {
        _task = task;
        _shims = shims;
        Name = task.Name;
        Version = string.Empty;
    }

    // Orchestrators take no dependencies (determinism): a fresh instance per execution.
    public override TaskOrchestration Create() =>
        _shims.CreateOrchestration(new TaskName(_task.Name), (ITaskOrchestrator)Activator.CreateInstance(_task.Type)!, parent: null);
}

internal sealed class ShimActivityCreator : ObjectCreator<TaskActivity>
{
    private readonly TaskRegistration _task;
    private readonly DurableTaskShimFactory _shims;
    private readonly IServiceProvider _services;

    public ShimActivityCreator(TaskRegistration task, DurableTaskShimFactory shims, IServiceProvider services)
    {
        _task = task;
        _shims = shims;
        _services = services;
        Name = task.Name;
        Version = string.Empty;
    }

    // Activities get their dependencies by constructor injection, as in the Functions host.
    public override TaskActivity Create() =>
        _shims.CreateActivity(new TaskName(_task.Name), (ITaskActivity)_services.GetRequiredService(_task.Type));
}
