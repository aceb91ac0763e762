using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Yardstick.Functions.Restores;

namespace Yardstick.Functions.Functions;

/// <summary>Puts back the sweep settings of runs that were terminated (<see cref="TerminatedRunRestorer"/>).</summary>
public sealed class RestoreFunctions(TerminatedRunRestorer restorer)
{
    /// <summary>Every ten minutes: a terminated sweep's target is back as it was within about that.</summary>
    [Function("RestoreTerminatedRuns")]
    public Task Run([TimerTrigger("0 */10 * * * *")] TimerInfo timer, [DurableClient] DurableTaskClient client, FunctionContext executionContext) =>
        restorer.SweepAsync(client, executionContext.CancellationToken);
}
