using Microsoft.DurableTask;
using Yardstick.Core;
using Yardstick.Core.Ports;
using Yardstick.Core.Summaries;
using Yardstick.Orchestration.Contracts;
using Yardstick.Orchestration.Hosting;
using Yardstick.Orchestration.Telemetry;

namespace Yardstick.Orchestration.Activities;

/// <summary>
/// The run's last step on a host where no process waits for the run's end (the Functions host; the CLI records in the
/// process that waits, <see cref="RunRequest.RecordTelemetry"/>): records the stored <c>summary.json</c> through
/// <see cref="RunTelemetry"/> and pushes it out at once through the host's <see cref="RunTelemetryExport"/>, if it has one.
/// </summary>
/// <remarks>
/// At least once: should the worker die after recording and before Durable saves the result, the retried activity
/// records the run again (the gauges keep their value; <c>yardstick.runs</c> counts it twice). A run without a summary
/// (it failed before persisting) records nothing, as on the CLI. Never fails the run: the orchestrator ignores its failure.
/// </remarks>
public sealed class RecordRunTelemetryActivity(
    IArtifactStore artifacts,
    YardstickHostOptions options,
    RunTelemetryExport? export = null) : TaskActivity<RunTelemetryRequest, bool>
{
    /// <summary>Longest wait for each exporter to take the run's figures.</summary>
    public static readonly TimeSpan FlushTimeout = TimeSpan.FromSeconds(10);

    public override async Task<bool> RunAsync(TaskActivityContext context, RunTelemetryRequest input)
    {
        var bytes = await artifacts.GetAsync(input.Workload, input.RunId, PersistRunActivity.SummaryBlobName, options.Shutdown);
        if (bytes is null)
        {
            return false;
        }

        RunTelemetry.Record(YardstickJson.Deserialize<RunSummary>(bytes), input.Outcome);
        export?.Flush(FlushTimeout);
        return true;
    }
}
