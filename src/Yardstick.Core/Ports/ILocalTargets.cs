using Yardstick.Core.ServerMetrics;
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

    /// <summary>
    /// Like <see cref="EnsureRunningAsync(string, ProcessSpec, string, string?, CancellationToken)"/> for a process that must
    /// run with <paramref name="environment"/> added to <c>spec.Env</c> (a sweep variant): a process of this run started
    /// with other overrides is restarted, and with overrides a process this host did not start is refused, since its
    /// environment is unknown.
    /// </summary>
    Task EnsureRunningAsync(string runId, ProcessSpec spec, IReadOnlyDictionary<string, string> environment, string readyUrl, string? baseDirectory, CancellationToken cancellationToken);

    /// <summary>
    /// Stops the run's target process (if this host started one) and starts it again with <paramref name="environment"/>
    /// added to <c>spec.Env</c>, then polls <paramref name="readyUrl"/> until it answers 2xx. Returns the time from the new
    /// process's start to that first 2xx (the settle time).
    /// </summary>
    /// <exception cref="InputException">Another process still answers <paramref name="readyUrl"/>, or the process exits or never answers.</exception>
    Task<TimeSpan> RestartAsync(string runId, ProcessSpec spec, IReadOnlyDictionary<string, string> environment, string readyUrl, string? baseDirectory, CancellationToken cancellationToken);

    /// <summary>Stops the run's target process if this host started one, and forgets its samples.</summary>
    Task StopAsync(string runId, CancellationToken cancellationToken);

    /// <summary>
    /// The once-a-second CPU and resident-memory samples of the run's target process, taken from each start by this
    /// host until it is stopped (restarts add to the same log); with notes saying why there are none (a process this
    /// host did not start, another worker's target).
    /// </summary>
    ProcessSampleLog GetSamples(string runId);
}
