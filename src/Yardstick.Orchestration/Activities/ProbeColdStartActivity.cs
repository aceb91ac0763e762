using System.Diagnostics;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Yardstick.Core;
using Yardstick.Core.ColdStart;
using Yardstick.Core.Ports;
using Yardstick.Orchestration.Contracts;
using Yardstick.Orchestration.Hosting;

namespace Yardstick.Orchestration.Activities;

/// <summary>
/// Probes a deployed target after a cold start was forced (restart, setting change, idle wait): times from the first
/// request to the first successful response, then the warm requests.
/// </summary>
public sealed class ProbeColdStartActivity(
    PlanReader plans,
    YardstickHostOptions options,
    TimeProvider time,
    ILogger<ProbeColdStartActivity> logger,
    ILocalTargets? localTargets = null) : TaskActivity<ColdStartProbeTask, ColdStartProbe>
{
    public override async Task<ColdStartProbe> RunAsync(TaskActivityContext context, ColdStartProbeTask input)
    {
        var cancellationToken = options.Shutdown;
        var stored = await plans.GetAsync(input.Workload, input.RunId, cancellationToken);
        if (input.Prime && stored.Workload.Target.Process is { } process)
        {
            // The idle strategy on a local target: the process the load will use starts here, before the first idle wait.
            if (localTargets is null)
            {
                throw new InputException("target.process", "this host cannot start local target processes.");
            }

            await localTargets.EnsureRunningAsync(input.RunId, process, process.ReadyUrl ?? stored.Workload.Target.Url, stored.WorkloadDirectory, cancellationToken);
        }

        var probe = await ColdStartProber.ProbeAsync(
            ProbeRequests.Resolve(stored, options),
            ProbeRequests.Transport(stored, options),
            ProbeRequests.Probe(stored),
            input.Index,
            input.ForcedAt ?? time.GetUtcNow(),
            Stopwatch.GetTimestamp(),
            abortReason: null,
            time,
            cancellationToken);
        Log.ColdStartProbed(logger, input.RunId, input.Index, probe.InstanceId ?? "-", probe.TimeToFirstSuccessMs ?? -1, probe.Failure ?? "");
        return probe with { ColdStartCounter = input.Counter };
    }
}
