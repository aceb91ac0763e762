using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Yardstick.Functions.Api;

namespace Yardstick.Functions.Functions;

/// <summary>
/// HTTP triggers of the runs API (function-key authorization; the <c>api</c> route prefix comes from host.json).
/// Each forwards to <see cref="RunsApi"/>, which holds the request handling. Later endpoints (<c>POST /api/gate</c>,
/// <c>POST /api/baselines/{workload}</c>, <c>GET /api/runs/{id}/report</c>) follow the same pattern.
/// </summary>
public sealed class RunsFunctions(RunsApi api, ApiGuard guard)
{
    [Function("StartRun")]
    public async Task<IActionResult> Start(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "runs")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        await guard.RunAsync(() => api.StartAsync(request, client, request.HttpContext.RequestAborted), request.HttpContext.RequestAborted);

    [Function("StartSweep")]
    public async Task<IActionResult> StartSweep(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "sweeps")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        await guard.RunAsync(() => api.StartSweepAsync(request, client, request.HttpContext.RequestAborted), request.HttpContext.RequestAborted);

    [Function("GetRun")]
    public async Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "runs/{id}")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        string id) =>
        await guard.RunAsync(() => api.GetAsync(request, client, id, request.HttpContext.RequestAborted), request.HttpContext.RequestAborted);

    [Function("ListRuns")]
    public async Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "runs")] HttpRequest request) =>
        await guard.RunAsync(() => api.ListAsync(request, request.HttpContext.RequestAborted), request.HttpContext.RequestAborted);
}
