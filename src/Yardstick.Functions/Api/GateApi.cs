using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Yardstick.Core;
using Yardstick.Core.Ports;
using Yardstick.Functions.Hosting;

namespace Yardstick.Functions.Api;

/// <summary>
/// <c>POST /api/gate</c>: starts a run like <c>POST /api/runs</c> (same body, same validation, tag <c>trigger=gate</c>) and
/// waits for it up to a budget — <c>budgetSeconds</c> in the body (1–200), else <c>YARDSTICK_GATE_BUDGET_SECONDS</c>, else
/// 170 s. Finished in time: 200 with the <see cref="Orchestration.Contracts.RunStatusResponse"/> (outcome with verdict and
/// breached thresholds); else 202 with the <see cref="Orchestration.Contracts.StartRunResponse"/>, <c>Location</c> and
/// <c>Retry-After</c>, and the run goes on.
/// </summary>
public sealed class GateApi(RunStarter starter, IdempotentStarts idempotent, IRunStore runs, FunctionsHostSettings settings, TimeProvider time, ILogger<GateApi> logger)
{
    public async Task<ApiResult> StartAsync(HttpRequest request, DurableTaskClient client, CancellationToken cancellationToken)
    {
        PreparedRun run;
        TimeSpan budget;
        StartedRun started;
        try
        {
            var key = IdempotentStarts.ReadKey(request);
            var body = await StartRunRequestReader.ReadAsync(request, settings.MaxBodyBytes, cancellationToken);
            budget = TimeSpan.FromSeconds(Budget(body.BudgetSeconds));
            run = await starter.PrepareAsync(body, trigger: "gate", cancellationToken);
            started = await idempotent.StartAsync(request, "gate", key, body, run, client, cancellationToken);
        }
        catch (InputException e)
        {
            var refused = Problems.From(e);
            Log.RequestRefused(logger, refused.StatusCode, e.GetType().Name, e.Field);
            return refused;
        }

        // A repeated key waits for the earlier run, within this request's budget, exactly as the first request did.
        var runId = started.RunId;
        if (started.Replayed)
        {
            Log.RunReplayed(logger, runId, "gate");
        }
        else
        {
            Log.RunStarted(logger, runId, run.Workload.Name, "gate");
        }

        using var timeout = new CancellationTokenSource(budget, time);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        OrchestrationMetadata finished;
        try
        {
            finished = await client.WaitForInstanceCompletionAsync(runId, getInputsAndOutputs: true, wait.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            Log.GateBudgetSpent(logger, runId, budget.TotalSeconds);
            return RunsApi.Accepted(request, runId, run.Workload.Name, started.Replayed);
        }

        var statusUri = ApiUrls.Run(request, runId);
        var status = RunsApi.Describe(runId, finished, await runs.GetAsync(runId, cancellationToken)) with
        {
            StatusQueryGetUri = statusUri,
            ReportUri = statusUri + "/report",
        };
        Log.GateAnswered(logger, runId, status.RuntimeStatus, status.Outcome?.Verdict ?? "-");
        return ApiResult.Json(StatusCodes.Status200OK, status, started.Replayed ? new Dictionary<string, string> { [IdempotentStarts.ReplayedHeader] = "true" } : null);
    }

    /// <summary>The wait in seconds: the caller's, within 1–200, else the app's default.</summary>
    private int Budget(int? requested)
    {
        if (requested is null)
        {
            return settings.GateBudgetSeconds;
        }

        return requested is >= 1 and <= FunctionsHostSettings.MaxGateBudgetSeconds
            ? requested.Value
            : throw new InputException("budgetSeconds", string.Create(CultureInfo.InvariantCulture, $"must be a whole number of seconds from 1 to {FunctionsHostSettings.MaxGateBudgetSeconds}; got {requested}."));
    }
}
