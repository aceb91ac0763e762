using System.Diagnostics;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Yardstick.Core.ColdStart;
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
    ILogger<ProbeColdStartActivity> logger) : TaskActivity<ColdStartProbeTask, ColdStartProbe>
{
    public override async Task<ColdStartProbe> RunAsync(TaskActivityContext context, ColdStartProbeTask input)
    {
        var cancellationToken = options.Shutdown;
        var stored = await plans.GetAsync(input.Workload, input.RunId, cancellationToken);
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
