using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Yardstick.Core;
using Yardstick.Core.Ports;
using Yardstick.Core.Runs;
using Yardstick.Functions.Hosting;
using Yardstick.Orchestration.Contracts;

namespace Yardstick.Functions.Api;

/// <summary>
/// The runs API: <c>POST /api/runs</c>, <c>POST /api/sweeps</c>, <c>GET /api/runs/{id}</c>,
/// <c>GET /api/runs?workload=…&amp;last=N</c>. Plain
/// request handling over an <see cref="HttpRequest"/> and a <see cref="DurableTaskClient"/>, so tests drive it without the
/// Functions host; the [Function] methods only forward to it.
/// </summary>
public sealed partial class RunsApi(RunStarter starter, IdempotentStarts idempotent, IRunStore runs, FunctionsHostSettings settings, ILogger<RunsApi> logger)
{
    public const int DefaultLast = 20;
    public const int MaxLast = 200;

    /// <summary>Seconds a poller is asked to wait between status requests while a run goes on.</summary>
    public const int RetryAfterSeconds = 10;

    /// <summary><c>POST /api/runs</c>: validates everything, then starts the run; 202 with where to poll.</summary>
    public Task<ApiResult> StartAsync(HttpRequest request, DurableTaskClient client, CancellationToken cancellationToken) =>
        StartAsync(request, client, sweep: false, cancellationToken);

    /// <summary>
    /// <c>POST /api/sweeps</c>: a run of a workload with a <c>sweep</c> section (every value in every round, interleaved),
    /// refused with 400 naming <c>sweep</c> when there is none. Followed like any run (<c>GET /api/runs/{id}</c>); its
    /// summary carries one entry per value, the Pareto front and the recommendation.
    /// </summary>
    public Task<ApiResult> StartSweepAsync(HttpRequest request, DurableTaskClient client, CancellationToken cancellationToken) =>
        StartAsync(request, client, sweep: true, cancellationToken);

    private async Task<ApiResult> StartAsync(HttpRequest request, DurableTaskClient client, bool sweep, CancellationToken cancellationToken)
    {
        try
        {
            var key = IdempotentStarts.ReadKey(request);
            var body = await StartRunRequestReader.ReadAsync(request, settings.MaxBodyBytes, cancellationToken);
            if (body.BudgetSeconds is not null)
            {
                throw new InputException("budgetSeconds", "applies to POST /api/gate only.");
            }

            var run = await starter.PrepareAsync(body, trigger: "api", cancellationToken);
            if (sweep && run.Workload.Sweep is null)
            {
                throw new InputException("sweep", $"workload '{run.Workload.Name}' has no sweep section (parameter and values); start a single setting with POST /api/runs.");
            }

            var endpoint = sweep ? "sweeps" : "runs";
            var started = await idempotent.StartAsync(request, endpoint, key, body, run, client, cancellationToken);
            if (!started.Replayed)
            {
                Log.RunStarted(logger, started.RunId, run.Workload.Name, "api");
                return Accepted(request, started.RunId, run.Workload.Name);
            }

            Log.RunReplayed(logger, started.RunId, endpoint);
            return await AnswerAgainAsync(request, client, started.RunId, run.Workload.Name, cancellationToken);
        }
        catch (InputException e)
        {
            return Refuse(e);
        }
    }

    /// <summary>A repeated key: the earlier run as it is now — 202 with where to poll while it goes on, 200 with its status once finished.</summary>
    private async Task<ApiResult> AnswerAgainAsync(HttpRequest request, DurableTaskClient client, string runId, string workload, CancellationToken cancellationToken)
    {
        var instance = await client.GetInstanceAsync(runId, getInputsAndOutputs: true, cancellationToken);
        if (instance is null || !instance.IsCompleted)
        {
            return Accepted(request, runId, workload, replayed: true);
        }

        var statusUri = ApiUrls.Run(request, runId);
        var status = Describe(runId, instance, await runs.GetAsync(runId, cancellationToken)) with { StatusQueryGetUri = statusUri, ReportUri = statusUri + "/report" };
        return ApiResult.Json(StatusCodes.Status200OK, status, new Dictionary<string, string> { [IdempotentStarts.ReplayedHeader] = "true" });
    }

    /// <summary>
    /// 202 with <see cref="StartRunResponse"/> and <c>Location</c>: where to poll a run that goes on. Only Yardstick's own
    /// URLs: Durable's management payload (<c>CreateHttpManagementPayload</c>, <c>CreateCheckStatusResponse</c>) carries the
    /// extension's system key, which must never leave the app.
    /// </summary>
    internal static ApiResult Accepted(HttpRequest request, string runId, string workload, bool replayed = false)
    {
        var statusUri = ApiUrls.Run(request, runId);
        var response = new StartRunResponse
        {
            Id = runId,
            RunId = runId,
            Workload = workload,
            StatusQueryGetUri = statusUri,
            ReportUri = statusUri + "/report",
        };
        var headers = new Dictionary<string, string>
        {
            ["Location"] = statusUri,
            ["Retry-After"] = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture),
        };
        if (replayed)
        {
            headers[IdempotentStarts.ReplayedHeader] = "true";
        }

        return ApiResult.Json(StatusCodes.Status202Accepted, response, headers);
    }

    /// <summary><c>GET /api/runs/{id}</c>: the orchestration's state plus the stored row; 202 while running, 200 when finished.</summary>
    public async Task<ApiResult> GetAsync(HttpRequest request, DurableTaskClient client, string id, CancellationToken cancellationToken)
    {
        try
        {
            if (!RunIds.IsValid(id))
            {
                throw new RunNotFoundException($"'{ApiText.Clip(id)}' is not a run id (they look like 20261129-081502-3fa9c1).");
            }

            var instance = await client.GetInstanceAsync(id, getInputsAndOutputs: true, cancellationToken);
            var record = await runs.GetAsync(id, cancellationToken);
            if (instance is null && record is null)
            {
                throw new RunNotFoundException($"no run has the id {id}.");
            }

            var statusUri = ApiUrls.Run(request, id);
            var status = Describe(id, instance, record) with { StatusQueryGetUri = statusUri, ReportUri = statusUri + "/report" };
            if (status.IsFinished || instance is null)
            {
                return ApiResult.Json(StatusCodes.Status200OK, status);
            }

            return ApiResult.Json(StatusCodes.Status202Accepted, status, new Dictionary<string, string>
            {
                ["Location"] = statusUri,
                ["Retry-After"] = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture),
            });
        }
        catch (InputException e)
        {
            return Refuse(e);
        }
    }

    /// <summary><c>GET /api/runs?workload=…&amp;last=N</c>: the newest N stored runs of a workload, newest first.</summary>
    public async Task<ApiResult> ListAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            var workload = QueryValues.Single(request.Query, "workload") ?? throw new InputException("workload", "is required: GET /api/runs?workload=<name>&last=20.");
            if (!IsWorkloadName(workload))
            {
                throw new InputException("workload", "is not a workload name (lowercase letters, digits and dashes, at most 63 characters).");
            }

            var last = DefaultLast;
            if (QueryValues.Single(request.Query, "last") is { } lastText
                && (!int.TryParse(lastText, NumberStyles.None, CultureInfo.InvariantCulture, out last) || last is < 1 or > MaxLast))
            {
                throw new InputException("last", $"must be a whole number from 1 to {MaxLast}.");
            }

            var found = await runs.ListAsync(workload, last, cancellationToken);
            return ApiResult.Json(StatusCodes.Status200OK, new RunListResponse { Workload = workload, Last = last, Count = found.Count, Runs = found });
        }
        catch (InputException e)
        {
            return Refuse(e);
        }
    }

    /// <summary>The status body from what the task hub and the store know.</summary>
    public static RunStatusResponse Describe(string runId, OrchestrationMetadata? instance, RunRecord? record)
    {
        if (instance is null)
        {
            // Purged from the task hub (or started elsewhere): the stored row is all there is, and nothing will change it.
            return new RunStatusResponse { RunId = runId, RuntimeStatus = record?.CompletedAt is null ? "Unknown" : "Completed", Run = record, CreatedAt = record?.CreatedAt };
        }

        var runtimeStatus = instance.RuntimeStatus.ToString();
        return new RunStatusResponse
        {
            RunId = runId,
            RuntimeStatus = runtimeStatus,
            Progress = instance.SerializedCustomStatus is null ? null : instance.ReadCustomStatusAs<RunProgress>(),
            Outcome = instance.RuntimeStatus == OrchestrationRuntimeStatus.Completed && instance.SerializedOutput is not null ? instance.ReadOutputAs<RunOutcome>() : null,
            Run = record,
            Failure = instance.FailureDetails?.ErrorMessage ?? (instance.RuntimeStatus == OrchestrationRuntimeStatus.Terminated ? "terminated" : null),
            CreatedAt = instance.CreatedAt,
            LastUpdatedAt = instance.LastUpdatedAt,
        };
    }

    private ApiResult Refuse(InputException exception) => Problems.Refused(exception, logger);

    /// <summary>A workload name as the schema allows it (lowercase letters, digits and dashes, at most 63 characters).</summary>
    internal static bool IsWorkloadName(string name) => Core.Workloads.Registry.WorkloadNames.IsValid(name);
}

/// <summary>Body of <c>GET /api/runs?workload=…</c>.</summary>
public sealed record RunListResponse
{
    public required string Workload { get; init; }

    public int Last { get; init; }

    public int Count { get; init; }

    public IReadOnlyList<RunRecord> Runs { get; init; } = [];
}

/// <summary>URLs of the API, built from the request so they follow the host name and route prefix it was called with.</summary>
public static class ApiUrls
{
    private const string RunsSegment = "/runs";

    /// <summary><c>{scheme}://{host}{prefix}/runs/{id}</c>, without the query (which may hold a function key).</summary>
    public static string Run(HttpRequest request, string runId) => Runs(request) + "/" + Uri.EscapeDataString(runId);

    /// <summary><c>{scheme}://{host}{prefix}/runs</c>.</summary>
    public static string Runs(HttpRequest request)
    {
        var path = (request.PathBase + request.Path).Value ?? "";
        var index = path.IndexOf(RunsSegment + "/", StringComparison.Ordinal);
        var collection = index >= 0 ? path[..(index + RunsSegment.Length)]
            : path.EndsWith(RunsSegment, StringComparison.Ordinal) ? path
            : "/api" + RunsSegment;
        return $"{request.Scheme}://{request.Host.Value}{collection}";
    }
}
