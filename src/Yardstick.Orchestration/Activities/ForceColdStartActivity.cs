using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Yardstick.Core;
using Yardstick.Core.Ports;
using Yardstick.Core.Workloads;
using Yardstick.Orchestration.Contracts;
using Yardstick.Orchestration.Hosting;

namespace Yardstick.Orchestration.Activities;

/// <summary>
/// Forces an Azure cold start: <c>restart</c> sends an ARM hard restart; <c>appSetting</c> bumps
/// <c>YARDSTICK_COLD_START</c> (every other setting preserved). Then waits until the app reports Running — without
/// requesting the probe URL, which would warm it before the probe.
/// </summary>
public sealed class ForceColdStartActivity(
    PlanReader plans,
    YardstickHostOptions options,
    TimeProvider time,
    ILogger<ForceColdStartActivity> logger,
    ITargetControl? control = null) : TaskActivity<ColdStartProbeTask, ForcedColdStart>
{
    public override async Task<ForcedColdStart> RunAsync(TaskActivityContext context, ColdStartProbeTask input)
    {
        var cancellationToken = options.Shutdown;
        var stored = await plans.GetAsync(input.Workload, input.RunId, cancellationToken);
        var workload = stored.Workload;
        var resourceId = workload.Target.Azure?.ResourceId
            ?? throw new InputException("coldStart.strategy", "restart and appSetting act on the Azure function app, so they need target.azure.resourceId.");
        if (control is null)
        {
            throw new InputException("coldStart.strategy", $"this {options.Host} host has no Azure access (ARM) to force cold starts; run the CLI with --azure.");
        }

        var forcedAt = time.GetUtcNow();
        long? counter = null;
        switch (workload.ColdStart.Strategy)
        {
            case ColdStartStrategy.Restart:
                await control.RestartAsync(resourceId, cancellationToken);
                break;
            case ColdStartStrategy.AppSetting:
                counter = await control.BumpColdStartSettingAsync(resourceId, cancellationToken);
                break;
            default:
                throw new InputException("coldStart.strategy", $"'{workload.ColdStart.Strategy}' is not forced through ARM.");
        }

        var serving = await control.WaitUntilServingAsync(resourceId, probeUrl: null, workload.ColdStart.ProbeTimeout, cancellationToken);
        Log.ColdStartForced(logger, input.RunId, input.Index, workload.ColdStart.Strategy.ToString(), serving);
        return new ForcedColdStart
        {
            ForcedAt = forcedAt,
            Counter = counter,
            Note = serving ? null : $"the app did not report Running within {workload.ColdStart.ProbeTimeout.TotalSeconds:0} s after the {ColdStartStep.StrategyName(workload.ColdStart.Strategy)}",
        };
    }
}
