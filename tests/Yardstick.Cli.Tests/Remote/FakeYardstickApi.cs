using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yardstick.Core;
using Yardstick.Core.Runs;
using Yardstick.Orchestration.Contracts;

namespace Yardstick.Cli.Tests.Remote;

/// <summary>A request the fake API received.</summary>
internal sealed record RecordedRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, string Body, TimeSpan ArrivedAt)
{
    public string? Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out var value) ? value : null;
}

/// <summary>One scripted answer; <see cref="Abort"/> drops the connection instead of answering.</summary>
internal sealed record ScriptedAnswer(int Status, string? Body = null, string ContentType = "application/json", IReadOnlyDictionary<string, string>? Headers = null, bool Abort = false);

/// <summary>
/// A loopback Kestrel server speaking the Yardstick Functions API (ApiContracts.cs) from a per-test script: each
/// "METHOD /path?query" has a queue of answers, served in order. Unscripted requests get 418 so a test fails loudly.
/// Every request is recorded with its headers and arrival time.
/// </summary>
internal sealed class FakeYardstickApi : IAsyncDisposable
{
    public const string Workload = "remote-test";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<ScriptedAnswer>> _script = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    private FakeYardstickApi(WebApplication app)
    {
        _app = app;
        _app.Run(HandleAsync);
    }

    /// <summary>http://127.0.0.1:port (no trailing slash).</summary>
    public string Endpoint { get; private set; } = "";

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    public static async Task<FakeYardstickApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var api = new FakeYardstickApi(builder.Build());
        await api._app.StartAsync();
        var address = api._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        api.Endpoint = address.TrimEnd('/');
        return api;
    }

    /// <summary>Queues answers for <c>"METHOD /path?query"</c>.</summary>
    public FakeYardstickApi On(string route, params ScriptedAnswer[] answers)
    {
        var queue = _script.GetOrAdd(route, _ => new ConcurrentQueue<ScriptedAnswer>());
        foreach (var answer in answers)
        {
            queue.Enqueue(answer);
        }

        return this;
    }

    public IReadOnlyList<RecordedRequest> RequestsTo(string route) =>
        Requests.Where(r => $"{r.Method} {r.PathAndQuery}" == route).ToList();

    public static ScriptedAnswer Json<T>(int status, T body, params (string Name, string Value)[] headers) =>
        new(status, YardstickJson.Serialize(body), Headers: headers.ToDictionary(h => h.Name, h => h.Value));

    public static ScriptedAnswer Problem(int status, string title, string? detail = null, params (string Field, string Message)[] errors) =>
        new(status, YardstickJson.Serialize(new { title, detail, status, errors = errors.Select(e => new { field = e.Field, message = e.Message }) }), "application/problem+json");

    /// <summary>The 202 of a started run, pointing at this server's status URL.</summary>
    public ScriptedAnswer Accepted(string runId) =>
        Json(202, StartedBody(runId), ("Location", StatusUrl(runId)));

    public StartRunResponse StartedBody(string runId) => new()
    {
        Id = runId,
        RunId = runId,
        Workload = Workload,
        StatusQueryGetUri = StatusUrl(runId),
        ReportUri = $"{Endpoint}/api/runs/{runId}/report",
    };

    public string StatusUrl(string runId) => $"{Endpoint}/api/runs/{runId}";

    public static ScriptedAnswer Running(string runId, int shardsDone = 1, int shardsTotal = 2, string retryAfter = "0") =>
        Json(202, new RunStatusResponse
        {
            RunId = runId,
            RuntimeStatus = "Running",
            Progress = new RunProgress { Phase = "measured", Round = 0, Rounds = 1, ShardsDone = shardsDone, ShardsTotal = shardsTotal },
        }, ("Retry-After", retryAfter));

    public static ScriptedAnswer Finished(string runId, string? verdict, IReadOnlyList<string>? failedThresholds = null, RunStatus status = RunStatus.Completed, int httpStatus = 200) =>
        Json(httpStatus, FinishedBody(runId, verdict, failedThresholds, status));

    public static RunStatusResponse FinishedBody(string runId, string? verdict, IReadOnlyList<string>? failedThresholds = null, RunStatus status = RunStatus.Completed) => new()
    {
        RunId = runId,
        RuntimeStatus = "Completed",
        Outcome = new RunOutcome
        {
            RunId = runId,
            Workload = Workload,
            Status = status,
            Requests = 1200,
            Errors = 3,
            ThroughputRps = 100,
            P50Ms = 1.5,
            P95Ms = 4.25,
            P99Ms = 9.75,
            ShardsSucceeded = status == RunStatus.Failed ? 0 : 2,
            ShardsTotal = 2,
            Verdict = verdict,
            FailedThresholds = failedThresholds ?? [],
            FailureReason = status == RunStatus.Failed ? "too few shards succeeded (0 of 2)" : null,
        },
    };

    /// <summary>The four report formats of a run, each a recognisable body.</summary>
    public FakeYardstickApi ServeReports(string runId, string? except = null)
    {
        foreach (var (format, type) in new[] { ("md", "text/markdown"), ("junit", "application/xml"), ("html", "text/html"), ("json", "application/json") })
        {
            if (format == except)
            {
                continue;
            }

            On($"GET /api/runs/{runId}/report?format={format}", new ScriptedAnswer(200, ReportBody(runId, format), type));
        }

        return this;
    }

    public static string ReportBody(string runId, string format) => format switch
    {
        "md" => $"## Yardstick: {Workload} run {runId}\n\nverdict: equivalent\n",
        "junit" => $"<testsuite name=\"{runId}\" tests=\"1\"><testcase name=\"p95\"/></testsuite>",
        "html" => $"<!doctype html><title>{runId}</title>",
        _ => $"{{\"runId\":\"{runId}\",\"schemaVersion\":1}}",
    };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        var pathAndQuery = context.Request.Path + context.Request.QueryString;
        var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
        _requests.Enqueue(new RecordedRequest(context.Request.Method, pathAndQuery, headers, body, _clock.Elapsed));

        var route = $"{context.Request.Method} {pathAndQuery}";
        if (!_script.TryGetValue(route, out var queue) || !queue.TryDequeue(out var answer))
        {
            context.Response.StatusCode = 418;
            await context.Response.WriteAsync($"unscripted request: {route}");
            return;
        }

        if (answer.Abort)
        {
            context.Abort();
            return;
        }

        context.Response.StatusCode = answer.Status;
        foreach (var (name, value) in answer.Headers ?? new Dictionary<string, string>())
        {
            context.Response.Headers[name] = value;
        }

        if (answer.Body is not null)
        {
            context.Response.ContentType = answer.ContentType;
            await context.Response.WriteAsync(answer.Body);
        }
    }
}
