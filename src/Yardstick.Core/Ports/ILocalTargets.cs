using Yardstick.Core.Workloads;

namespace Yardstick.Core.Ports;

/// <summary>
/// Local target processes (<c>target.process</c>), started and stopped by the host that runs the activities.
/// Only the local host supports them; in Azure a workload with a process target is refused at planning.
/// </summary>
public interface ILocalTargets
{
    /// <summary>
    /// Makes sure the run's target process is serving: if <paramref name="readyUrl"/> already answers nothing is
    /// started (a process left from an interrupted run, or one the user runs), otherwise the process is started and
    /// polled until it answers 2xx or its ready timeout passes.
    /// </summary>
    Task EnsureRunningAsync(string runId, ProcessSpec spec, string readyUrl, string? baseDirectory, CancellationToken cancellationToken);

    /// <summary>Stops the run's target process if this host started one.</summary>
    Task StopAsync(string runId, CancellationToken cancellationToken);
}
