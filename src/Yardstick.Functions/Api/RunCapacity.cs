using Microsoft.DurableTask.Client;
using Yardstick.Core;
using Yardstick.Functions.Hosting;
using Yardstick.Orchestration;

namespace Yardstick.Functions.Api;

/// <summary>
/// The cap on runs the app carries at once (<c>YARDSTICK_MAX_CONCURRENT_RUNS</c>, default 4), asked of the task hub
/// itself: the <see cref="BenchmarkRunOrchestrator"/> instances that are Pending, Running or Suspended. Checked by every
/// API start just before it schedules; requests that arrive together may each see room and overshoot by their number
/// (the count and the start are two calls). Scheduled runs are never refused, but they count. Only instances created
/// within <see cref="Window"/> count: no run lasts that long, so an older one still marked running is stuck, and it must
/// not hold a place (and block the API) until someone terminates it.
/// </summary>
public sealed class RunCapacity(FunctionsHostSettings settings, TimeProvider time)
{
    /// <summary>Twice the longest load a run may carry (<c>LoadCaps.MaxRunLoadTime</c>): room for warm-up, settling, cold starts and cost reads.</summary>
    public static readonly TimeSpan Window = Core.Load.Safety.LoadCaps.MaxRunLoadTime * 2;

    /// <summary>Seconds a refused caller is asked to wait: runs last minutes, not seconds.</summary>
    public const int RetryAfterSeconds = 60;

    private static readonly OrchestrationRuntimeStatus[] Active =
        [OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Suspended];

    /// <exception cref="TooManyRunsException">The cap is reached.</exception>
    public async Task EnsureRoomAsync(DurableTaskClient client, CancellationToken cancellationToken)
    {
        var running = 0;
        var query = new OrchestrationQuery { Statuses = Active, CreatedFrom = time.GetUtcNow() - Window, PageSize = 100 };
        await foreach (var instance in client.GetAllInstancesAsync(query).WithCancellation(cancellationToken))
        {
            if (instance.Name == nameof(BenchmarkRunOrchestrator) && ++running >= settings.MaxConcurrentRuns)
            {
                throw new TooManyRunsException(settings.MaxConcurrentRuns);
            }
        }
    }
}

/// <summary>The app carries as many runs as it may (429 with <c>Retry-After</c>); names the setting that sets the cap.</summary>
public sealed class TooManyRunsException(int cap)
    : InputException(AppSettings.MaxConcurrentRuns, $"the app already carries {cap} runs, its cap; retry after {RunCapacity.RetryAfterSeconds} s, when one has finished.")
{
    public int Cap { get; } = cap;
}
