using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Yardstick.Functions.Nightly;

namespace Yardstick.Functions.Functions;

/// <summary>The nightly sweep: every deployed workload marked <c>schedule: nightly</c>.</summary>
public sealed class NightlyFunctions(NightlyScheduler scheduler)
{
    /// <summary>
    /// NCRONTAB (six fields, UTC) from the app setting <c>YARDSTICK_NIGHTLY_SCHEDULE</c>. The host resolves
    /// <c>%…%</c> from app settings before this worker starts, so the worker cannot supply a default: the infra sets it
    /// (main.bicep parameter <c>nightlySchedule</c>, default <c>0 0 2 * * *</c> = 02:00 UTC) and
    /// <c>local.settings.example.json</c> does for local runs. Without it the host refuses to index this function.
    /// </summary>
    [Function("NightlyRuns")]
    public Task Run([TimerTrigger("%YARDSTICK_NIGHTLY_SCHEDULE%")] TimerInfo timer, [DurableClient] DurableTaskClient client, FunctionContext executionContext) =>
        scheduler.RunAsync(client, executionContext.CancellationToken);
}
