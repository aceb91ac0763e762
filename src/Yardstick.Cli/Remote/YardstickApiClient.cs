using System.Net;
using System.Net.Http.Headers;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Yardstick.Cli.Commands;
using Yardstick.Core;
using Yardstick.Core.Load.Safety;
using Yardstick.Orchestration.Contracts;

namespace Yardstick.Cli.Remote;

/// <summary>A started run: the API's answer and the status URL to poll (already checked against the endpoint's origin).</summary>
internal sealed record StartedRun(StartRunResponse Response, Uri StatusUri);

/// <summary>The answer to <c>POST /api/gate</c>: the finished status (200), or where to poll (202).</summary>
internal sealed record GateAnswer(RunStatusResponse? Finished, StartedRun? Started);

/// <summary>One answer of <c>GET {statusQueryGetUri}</c> and the server's polling hint.</summary>
internal sealed record StatusAnswer(RunStatusResponse Status, TimeSpan? RetryAfter);

/// <summary>
/// The HTTP client of the Yardstick Functions API (ApiContracts.cs). One <see cref="HttpClient"/>; retries with backoff on
/// 429, 5xx and network errors for reads; the start of a run is retried only when the failure proves the server did not
/// take it (429, 503, or the connection never opened), because a second start would run the load twice.
/// </summary>
internal sealed class YardstickApiClient : IDisposable
{
    /// <summary>Client-generated id of a start request, the same on every attempt, so a server can drop duplicates.</summary>
    public const string RequestIdHeader = "x-yardstick-request-id";

    /// <summary>
    /// Starts also carry the request id as <c>Idempotency-Key</c>: the app answers a repeated attempt (after a 429 or 503)
    /// with the run the first one reserved or started, never a second run.
    /// </summary>
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    private static readonly MediaTypeHeaderValue JsonMedia = new("application/json") { CharSet = "utf-8" };
    private static readonly MediaTypeWithQualityHeaderValue JsonAccept = new("application/json");
    private static readonly MediaTypeWithQualityHeaderValue AnyMedia = new("*/*");

    private readonly HttpClient _http;
    private readonly RemoteEndpoint _endpoint;
    private readonly RemoteAuth _auth;
    private readonly RemoteHttpSettings _settings;

    public YardstickApiClient(RemoteEndpoint endpoint, RemoteAuth auth, RemoteHttpSettings settings)
    {
        _endpoint = endpoint;
        _auth = auth;
        _settings = settings;
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = settings.ConnectTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AutomaticDecompression = DecompressionMethods.All,
            // Redirects are not followed: HttpClient would resend x-functions-key to whatever host a redirect names.
            AllowAutoRedirect = false,
        };
        // Each call sets its own timeout (the gate call is held open up to the server's budget).
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        var version = typeof(YardstickApiClient).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "dev";
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("yardstick-cli", version.Split('+')[0]));
    }

    public RemoteEndpoint Endpoint => _endpoint;

    /// <summary><c>POST /api/runs</c> → 202 + <see cref="StartRunResponse"/>.</summary>
    public async Task<StartedRun> StartRunAsync(StartRunBody body, CancellationToken cancellationToken)
    {
        var call = new ApiCall(HttpMethod.Post, _endpoint.Runs, "starting the run", Starts: true, _settings.RequestTimeout, body);
        using var response = await SendAsync(call, cancellationToken);
        return await ReadStartedAsync(call, response, cancellationToken);
    }

    /// <summary><c>POST /api/gate</c> → 200 + <see cref="RunStatusResponse"/> when finished within the budget, else 202 + <see cref="StartRunResponse"/>.</summary>
    public async Task<GateAnswer> StartGateAsync(StartRunBody body, CancellationToken cancellationToken)
    {
        var budget = TimeSpan.FromSeconds(body.BudgetSeconds ?? 200);
        var call = new ApiCall(HttpMethod.Post, _endpoint.Gate, "starting the gate", Starts: true, budget + _settings.GateAnswerMargin, body);
        using var response = await SendAsync(call, cancellationToken);
        return response.StatusCode == HttpStatusCode.Accepted
            ? new GateAnswer(null, await ReadStartedAsync(call, response, cancellationToken))
            : new GateAnswer(await ReadJsonAsync<RunStatusResponse>(call, response, cancellationToken), null);
    }

    /// <summary><c>GET {statusQueryGetUri}</c> → 202 while running, 200 when finished.</summary>
    public async Task<StatusAnswer> GetStatusAsync(Uri statusUri, string runId, CancellationToken cancellationToken)
    {
        var call = new ApiCall(HttpMethod.Get, statusUri, $"polling run {runId}", Starts: false, _settings.RequestTimeout, RunId: runId);
        using var response = await SendAsync(call, cancellationToken);
        var status = await ReadJsonAsync<RunStatusResponse>(call, response, cancellationToken);
        return new StatusAnswer(status, RetryTiming.RetryAfter(response, _settings.Time));
    }

    /// <summary><c>GET /api/runs/{id}/report?format=</c>: md, html, junit or json, as bytes.</summary>
    public async Task<byte[]> GetReportAsync(string runId, string format, CancellationToken cancellationToken)
    {
        var call = new ApiCall(HttpMethod.Get, _endpoint.Report(runId, format), $"downloading the {format} report of run {runId}", Starts: false, _settings.RequestTimeout, RunId: runId, AcceptsAny: true);
        using var response = await SendAsync(call, cancellationToken);
        return await response.Content.ReadAsByteArrayAsync(cancellationToken);
    }

    /// <summary><c>PUT /api/workloads/{name}</c> with the file's text as it is (<c>application/yaml</c> or <c>application/json</c>).</summary>
    public async Task<WorkloadPushResponse> PushWorkloadAsync(string name, string text, bool json, string? author, CancellationToken cancellationToken)
    {
        var call = new ApiCall(HttpMethod.Put, _endpoint.Workload(name, author), $"registering workload {name}", Starts: false, _settings.RequestTimeout,
            RawBody: (Encoding.UTF8.GetBytes(text), json ? "application/json" : "application/yaml"), Resource: $"workload '{name}'");
        using var response = await SendAsync(call, cancellationToken);
        return await ReadJsonAsync<WorkloadPushResponse>(call, response, cancellationToken);
    }

    /// <summary><c>GET /api/workloads</c>.</summary>
    public async Task<WorkloadOverviewResponse> ListWorkloadsAsync(CancellationToken cancellationToken)
    {
        var call = new ApiCall(HttpMethod.Get, _endpoint.Workloads, "listing the workloads", Starts: false, _settings.RequestTimeout);
        using var response = await SendAsync(call, cancellationToken);
        return await ReadJsonAsync<WorkloadOverviewResponse>(call, response, cancellationToken);
    }

    /// <summary><c>GET /api/workloads/{name}/versions</c>.</summary>
    public async Task<WorkloadVersionsResponse> GetWorkloadVersionsAsync(string name, CancellationToken cancellationToken)
    {
        var call = new ApiCall(HttpMethod.Get, _endpoint.Versions(name), $"reading the versions of workload {name}", Starts: false, _settings.RequestTimeout, Resource: $"workload '{name}'");
        using var response = await SendAsync(call, cancellationToken);
        return await ReadJsonAsync<WorkloadVersionsResponse>(call, response, cancellationToken);
    }

    /// <summary><c>GET /api/workloads/{name}/versions/{version}</c>: the version with its text.</summary>
    public async Task<WorkloadVersionResponse> GetWorkloadVersionAsync(string name, int version, CancellationToken cancellationToken)
    {
        var call = new ApiCall(HttpMethod.Get, _endpoint.Version(name, version), $"reading version {version} of workload {name}", Starts: false, _settings.RequestTimeout, Resource: $"version {version} of workload '{name}'");
        using var response = await SendAsync(call, cancellationToken);
        return await ReadJsonAsync<WorkloadVersionResponse>(call, response, cancellationToken);
    }

    public void Dispose() => _http.Dispose();

    private async Task<HttpResponseMessage> SendAsync(ApiCall call, CancellationToken cancellationToken)
    {
        var requestId = Guid.NewGuid().ToString("N");
        var shown = Redaction.RedactUrl(call.Uri.AbsoluteUri);
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(call.Method, call.Uri);
            request.Headers.TryAddWithoutValidation(RequestIdHeader, requestId);
            if (call.Starts)
            {
                request.Headers.TryAddWithoutValidation(IdempotencyKeyHeader, requestId);
            }
            // Reports come in their own formats (md, html, junit); everything else is JSON or problem+json.
            request.Headers.Accept.Add(call.AcceptsAny ? AnyMedia : JsonAccept);
            if (call.Body is not null)
            {
                request.Content = new ByteArrayContent(YardstickJson.ToUtf8(call.Body));
                request.Content.Headers.ContentType = JsonMedia;
            }
            else if (call.RawBody is var (bytes, mediaType))
            {
                request.Content = new ByteArrayContent(bytes);
                request.Content.Headers.ContentType = new MediaTypeHeaderValue(mediaType) { CharSet = "utf-8" };
            }

            await _auth.ApplyAsync(request, cancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(call.Timeout);
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token);
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                var failure = NetworkFailure.From(e, call.Timeout);
                // A read is always safe to repeat; a start only when the connection never opened (nothing was sent).
                if (failure.Transient && (!call.Starts || failure.NotSent) && attempt < _settings.MaxAttempts)
                {
                    await Task.Delay(RetryTiming.Backoff(attempt, _settings), _settings.Time, cancellationToken);
                    continue;
                }

                if (call.Starts && !failure.NotSent)
                {
                    throw new RemoteApiException(ExitCodes.RunFailed, $"{call.What}: {failure.Reason} after the request was sent to {shown}; the server may have started the run anyway (request id {requestId}). Check the app's runs (GET /api/runs) before starting it again.");
                }

                var tries = attempt > 1 ? $" (after {attempt} attempts)" : "";
                throw new RemoteApiException(ExitCodes.RunFailed, $"{call.What}: cannot reach {shown}: {failure.Reason}{tries}.");
            }

            if (response.IsSuccessStatusCode)
            {
                return response;
            }

            var code = (int)response.StatusCode;
            // 429 and 503 mean the request was turned away before any work; other 5xx may come after a start was taken.
            var retryable = code is 429 or 503 || (!call.Starts && code is 408 or 500 or 502 or 504);
            if (retryable && attempt < _settings.MaxAttempts)
            {
                var delay = RetryTiming.Delay(response, attempt, _settings);
                response.Dispose();
                await Task.Delay(delay, _settings.Time, cancellationToken);
                continue;
            }

            using (response)
            {
                throw await ErrorAsync(call, response, requestId, attempt, cancellationToken);
            }
        }
    }

    private async Task<RemoteApiException> ErrorAsync(ApiCall call, HttpResponseMessage response, string requestId, int attempts, CancellationToken cancellationToken)
    {
        var code = (int)response.StatusCode;
        var problem = await ApiProblem.ReadAsync(response, cancellationToken);
        // A title that only repeats the reason phrase ("Forbidden") adds nothing.
        if (problem is not null && string.Equals(problem.Title, response.ReasonPhrase, StringComparison.OrdinalIgnoreCase))
        {
            problem = problem with { Title = null };
        }

        var detail = problem?.Summary() is { Length: > 0 } summary ? $" ({summary})" : "";
        var answered = $"{_endpoint} answered {code} {response.ReasonPhrase}".TrimEnd();
        switch (code)
        {
            case 401:
                return new RemoteApiException(ExitCodes.InvalidInput, $"{answered}: {_auth.UnauthorizedHint()}");
            case 403:
                return new RemoteApiException(ExitCodes.InvalidInput, $"{answered}{detail}: {_auth.ForbiddenHint()}");
            case 404 when call.Resource is not null && problem is not null:
                return new RemoteApiException(ExitCodes.InvalidInput, $"{_endpoint} has no {call.Resource}{detail}.");
            case 404 when call.RunId is null:
                return new RemoteApiException(ExitCodes.InvalidInput, $"no Yardstick API at {_endpoint} (is the app deployed? route /api/runs; {call.Uri.AbsolutePath} answered 404){detail}.");
            case 404:
                return new RemoteApiException(ExitCodes.RunFailed, $"{call.What}: not found at {Redaction.RedactUrl(call.Uri.AbsoluteUri)}{detail}.");
            case >= 300 and < 400:
                var location = response.Headers.Location is { } l ? Redaction.RedactUrl(new Uri(call.Uri, l).AbsoluteUri) : "another URL";
                return new RemoteApiException(ExitCodes.InvalidInput, $"{answered}: the endpoint redirects to {location}; give the final https URL as --endpoint (redirects are not followed, so the key never goes to another host).");
            case 400 or 422 or 413:
                return new RemoteApiException(ExitCodes.InvalidInput, Refused(answered, problem));
        }

        var tries = attempts > 1 ? $" after {attempts} attempts" : "";
        var maybeStarted = call.Starts && code is >= 500 and not 503
            ? $"; the server may have started the run anyway (request id {requestId}), check the app's runs (GET /api/runs) before starting it again"
            : "";
        return new RemoteApiException(ExitCodes.RunFailed, $"{call.What}: {answered}{tries}{detail}{maybeStarted}.");
    }

    private static string Refused(string answered, ApiProblem? problem)
    {
        var lines = new List<string> { $"the Yardstick API refused the request: {answered}" + (problem?.Summary() is { Length: > 0 } s ? $": {s}" : "") };
        foreach (var error in problem?.Errors ?? [])
        {
            lines.Add($"  {error.Field ?? "(request)"}: {ApiProblem.Shorten(error.Message ?? "invalid")}");
        }

        return string.Join('\n', lines);
    }

    private async Task<StartedRun> ReadStartedAsync(ApiCall call, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var started = await ReadJsonAsync<StartRunResponse>(call, response, cancellationToken);
        var status = !string.IsNullOrWhiteSpace(started.StatusQueryGetUri) ? started.StatusQueryGetUri
            : response.Headers.Location?.OriginalString is { Length: > 0 } location ? location
            : _endpoint.Status(started.RunId).AbsoluteUri;
        return new StartedRun(started, _endpoint.Resolve(status));
    }

    private async Task<T> ReadJsonAsync<T>(ApiCall call, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        try
        {
            return YardstickJson.Deserialize<T>(bytes);
        }
        catch (JsonException e)
        {
            var type = response.Content.Headers.ContentType?.MediaType ?? "no content type";
            throw new RemoteApiException(ExitCodes.RunFailed, $"{call.What}: {_endpoint} answered {(int)response.StatusCode} with a body that is not the Yardstick API's JSON ({type}, {bytes.Length} bytes: {ApiProblem.Shorten(e.Message)}); is --endpoint a Yardstick app?");
        }
    }

    // Resource: what a 404 with a problem body means ("workload 'x'"); a 404 without one still means "no Yardstick API here".
    private sealed record ApiCall(HttpMethod Method, Uri Uri, string What, bool Starts, TimeSpan Timeout, object? Body = null, string? RunId = null, bool AcceptsAny = false, (byte[] Bytes, string MediaType)? RawBody = null, string? Resource = null);

    /// <summary>What a network-level failure means for retrying.</summary>
    private sealed record NetworkFailure(string Reason, bool Transient, bool NotSent)
    {
        public static NetworkFailure From(Exception e, TimeSpan timeout) => e switch
        {
            OperationCanceledException => new($"no answer within {timeout.TotalSeconds:0} s", Transient: true, NotSent: false),
            HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError } =>
                new("the host name does not resolve (is the app name right?)", Transient: false, NotSent: true),
            HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError } h =>
                new($"the TLS handshake failed ({ApiProblem.Shorten(h.Message)})", Transient: false, NotSent: true),
            // Refused or unreachable: the connection never opened, so the request cannot have been taken.
            HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } h =>
                new($"the connection failed ({ApiProblem.Shorten(h.Message)})", Transient: true, NotSent: true),
            HttpRequestException h =>
                new($"the connection broke ({ApiProblem.Shorten(h.InnerException?.Message ?? h.Message)})", Transient: true, NotSent: false),
            _ => new(ApiProblem.Shorten(e.Message), Transient: false, NotSent: false),
        };
    }
}
