using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Yardstick.Core;
using Yardstick.Core.Ports;
using Yardstick.Orchestration.Contracts;
using Yardstick.Orchestration.Hosting;

namespace Yardstick.Orchestration.Activities;

/// <summary>
/// <c>compare.recycle</c>: stops the run's local <c>target.process</c> and starts a new one before a measured round,
/// then waits until it serves 2xx, so each round (with its own warm-up after this) is an independent run of the
/// target rather than one more round against the same warm process. Records the timing in the run's
/// <c>recycles/</c> blobs.
/// </summary>
/// <remarks>
/// Safe to retry: a second restart leaves the same state (a fresh process), and the round's warm-up and load only start
/// after this returns. Validation allows <c>compare.recycle</c> for process targets only, and the Functions host refuses
/// those, so this runs on the local host.
/// </remarks>
public sealed class RecycleTargetActivity(
    IArtifactStore artifacts,
    PlanReader plans,
    YardstickHostOptions options,
    TimeProvider time,
    ILogger<RecycleTargetActivity> logger,
    ILocalTargets? localTargets = null) : TaskActivity<RecycleTargetTask, RecycleTargetResult>
{
    private static readonly IReadOnlyDictionary<string, string> NoOverrides = new Dictionary<string, string>();

    public override async Task<RecycleTargetResult> RunAsync(TaskActivityContext context, RecycleTargetTask input)
    {
        var cancellationToken = options.Shutdown;
        var stored = await plans.GetAsync(input.Workload, input.RunId, cancellationToken);
        var workload = stored.Workload;
        var process = workload.Target.Process
            ?? throw new InputException("compare.recycle", "only a local target.process can be recycled between rounds.");
        if (localTargets is null)
        {
            throw new InputException("target.process", "this host cannot start local target processes.");
        }

        var startedAt = time.GetUtcNow();
        var settle = await localTargets.RestartAsync(input.RunId, process, NoOverrides, process.ReadyUrl ?? workload.Target.Url, stored.WorkloadDirectory, cancellationToken);
        var result = new RecycleTargetResult { Round = input.Round, StartedAt = startedAt, SettleSeconds = settle.TotalSeconds };
        await artifacts.PutAsync(input.Workload, input.RunId, input.RecordName, YardstickJson.ToUtf8(result, indented: true), "application/json", cancellationToken);
        Log.TargetRecycled(logger, input.RunId, input.Round, result.SettleSeconds);
        return result;
    }
}
