using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Yardstick.Functions.Schedules;

namespace Yardstick.Functions.Functions;

/// <summary>Scheduled runs: every deployed workload with a <c>schedule</c> (nightly, weekly, hourly or NCRONTAB).</summary>
public sealed class ScheduleFunctions(ScheduledRuns scheduler)
{
    /// <summary>
    /// Ticks at the start of every minute (UTC) and starts the runs that fell due since the previous tick
    /// (<see cref="ScheduledRuns"/>). The minute is the scheduler's resolution, not a workload's: schedules fire at most
    /// every 15 minutes, and <c>nightly</c> means <c>YARDSTICK_NIGHTLY_SCHEDULE</c> (default <c>0 0 2 * * *</c>).
    /// </summary>
    [Function("ScheduledRuns")]
    public Task Run([TimerTrigger("0 * * * * *")] TimerInfo timer, [DurableClient] DurableTaskClient client, FunctionContext executionContext) =>
        scheduler.TickAsync(client, executionContext.CancellationToken);
}
