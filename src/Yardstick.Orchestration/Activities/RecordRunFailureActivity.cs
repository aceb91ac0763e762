using Microsoft.DurableTask;
using Yardstick.Core;
using Yardstick.Core.Ports;
using Yardstick.Core.Runs;
using Yardstick.Core.Summaries;
using Yardstick.Orchestration.Contracts;
using Yardstick.Orchestration.Hosting;

namespace Yardstick.Orchestration.Activities;

/// <summary>
/// The last word of a run that failed after planning (persist, analysis, cost, cold start, a shard group): marks its
/// <c>Runs</c> row <c>failed</c> with the reason, so no row stays <c>running</c> after its orchestration ended, and
/// a <c>summary.json</c> already written (persist succeeded, analysis did not) says the same. The orchestrator calls
/// it best effort and fails anyway. Idempotent: the same failure written twice is the same row and summary.
/// </summary>
public sealed class RecordRunFailureActivity(
    IArtifactStore artifacts,
    IRunStore runs,
    YardstickHostOptions options,
    TimeProvider time) : TaskActivity<RunFailure, bool>
{
    public const string SummaryBlobName = PersistRunActivity.SummaryBlobName;

    public override async Task<bool> RunAsync(TaskActivityContext context, RunFailure input)
    {
        var cancellationToken = options.Shutdown;

        // The summary first, the row last: a reader that sees the failed row finds a summary that agrees. If blobs
        // cannot be written (a full disk under the emulator) the row is still marked, then the attempt fails so that
        // Durable retries the summary.
        Exception? summaryFailure = null;
        try
        {
            await MarkSummaryAsync(input, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            summaryFailure = e;
        }

        var row = await runs.GetAsync(input.RunId, cancellationToken);
        if (row is not null)
        {
            await runs.UpsertAsync(
                row with
                {
                    Status = RunStatus.Failed,
                    FailureReason = input.Reason,
                    CompletedAt = row.CompletedAt ?? time.GetUtcNow(),
                },
                cancellationToken);
        }

        if (summaryFailure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(summaryFailure);
        }

        // Planning writes the row; without it there is nothing a reader could mistake for a live run.
        return row is not null;
    }

    private async Task MarkSummaryAsync(RunFailure input, CancellationToken cancellationToken)
    {
        if (await artifacts.GetAsync(input.Workload, input.RunId, SummaryBlobName, cancellationToken) is { } bytes)
        {
            var summary = YardstickJson.Deserialize<RunSummary>(bytes);
            if (summary.Status != "failed" || summary.FailureReason != input.Reason)
            {
                summary = summary with { Status = "failed", FailureReason = input.Reason };
                await artifacts.PutAsync(input.Workload, input.RunId, SummaryBlobName, YardstickJson.ToUtf8(summary, indented: true), "application/json", cancellationToken);
            }
        }
    }
}
