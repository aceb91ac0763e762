using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Yardstick.Functions.Api;

namespace Yardstick.Functions.Functions;

/// <summary>
/// HTTP triggers of the gate, baselines and reports API (function keys); each forwards to its handler
/// (<see cref="GateApi"/>, <see cref="BaselinesApi"/>, <see cref="ReportsApi"/>).
/// </summary>
public sealed class GateFunctions(GateApi gate, BaselinesApi baselines, ReportsApi reports, ApiGuard guard)
{
    [Function("Gate")]
    public async Task<IActionResult> Gate(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "gate")] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        await guard.RunAsync(() => gate.StartAsync(request, client, request.HttpContext.RequestAborted), request.HttpContext.RequestAborted);

    [Function("PromoteBaseline")]
    public async Task<IActionResult> PromoteBaseline(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "baselines/{workload}")] HttpRequest request,
        string workload) =>
        await guard.RunAsync(() => baselines.PromoteAsync(request, workload, request.HttpContext.RequestAborted), request.HttpContext.RequestAborted);

    [Function("GetRunReport")]
    public async Task<IActionResult> GetReport(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "runs/{id}/report")] HttpRequest request,
        string id) =>
        await guard.RunAsync(() => reports.GetAsync(request, id, request.HttpContext.RequestAborted), request.HttpContext.RequestAborted);
}
