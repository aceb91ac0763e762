using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Yardstick.Functions.Api;

namespace Yardstick.Functions.Functions;

/// <summary>HTTP triggers of the workload registry, trends and alert silences (function keys); each forwards to <see cref="WorkloadsApi"/>, <see cref="TrendsApi"/> or <see cref="SilencesApi"/>.</summary>
public sealed class WorkloadsFunctions(WorkloadsApi workloads, TrendsApi trends, SilencesApi silences, ApiGuard guard)
{
    [Function("ListWorkloads")]
    public async Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "workloads")] HttpRequest request) =>
        await guard.RunAsync(() => trends.ListAsync(request, request.HttpContext.RequestAborted), request.HttpContext.RequestAborted);

    [Function("GetWorkloadTrend")]
    public async Task<IActionResult> Trend(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "workloads/{name}/trend")] HttpRequest request,
        string name) =>
        await guard.RunAsync(() => trends.TrendAsync(request, name, request.HttpContext.RequestAborted), request.HttpContext.RequestAborted);

    [Function("PushWorkload")]
    public async Task<IActionResult> Push(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = "workloads/{name}")] HttpRequest request,
        string name) =>
        await guard.RunAsync(() => workloads.PutAsync(request, name, request.HttpContext.RequestAborted), request.HttpContext.RequestAborted);

    [Function("ListWorkloadVersions")]
    public async Task<IActionResult> Versions(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "workloads/{name}/versions")] HttpRequest request,
        string name) =>
        await guard.RunAsync(() => workloads.VersionsAsync(request, name, request.HttpContext.RequestAborted), request.HttpContext.RequestAborted);

    [Function("GetWorkloadVersion")]
    public async Task<IActionResult> Version(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "workloads/{name}/versions/{version}")] HttpRequest request,
        string name,
        string version) =>
        await guard.RunAsync(() => workloads.GetVersionAsync(request, name, version, request.HttpContext.RequestAborted), request.HttpContext.RequestAborted);

    [Function("RetireWorkloadVersion")]
    public async Task<IActionResult> Retire(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "workloads/{name}/versions/{version}")] HttpRequest request,
        string name,
        string version) =>
        await guard.RunAsync(() => workloads.RetireAsync(request, name, version, request.HttpContext.RequestAborted), request.HttpContext.RequestAborted);

    [Function("AddWorkloadSilence")]
    public async Task<IActionResult> AddSilence(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "workloads/{name}/silences")] HttpRequest request,
        string name) =>
        await guard.RunAsync(() => silences.AddAsync(request, name, request.HttpContext.RequestAborted), request.HttpContext.RequestAborted);

    [Function("ListWorkloadSilences")]
    public async Task<IActionResult> ListSilences(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "workloads/{name}/silences")] HttpRequest request,
        string name) =>
        await guard.RunAsync(() => silences.ListAsync(name, request.HttpContext.RequestAborted), request.HttpContext.RequestAborted);

    [Function("Dashboard")]
    public async Task<IActionResult> Dashboard(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "dashboard")] HttpRequest request) =>
        await guard.RunAsync(() => trends.DashboardAsync(request, null, request.HttpContext.RequestAborted), request.HttpContext.RequestAborted);

    [Function("WorkloadDashboard")]
    public async Task<IActionResult> WorkloadDashboard(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "dashboard/{name}")] HttpRequest request,
        string name) =>
        await guard.RunAsync(() => trends.DashboardAsync(request, name, request.HttpContext.RequestAborted), request.HttpContext.RequestAborted);
}
