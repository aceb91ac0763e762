using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Yardstick.Core;
using Yardstick.Core.Ports;
using Yardstick.Core.Workloads;
using Yardstick.Core.Workloads.Registry;

namespace Yardstick.Functions.Api;

/// <summary>A workload's stored silence windows that have not ended.</summary>
public sealed record SilencesResponse
{
    public required string Workload { get; init; }

    public required IReadOnlyList<SilenceWindow> Silences { get; init; }
}

/// <summary>
/// Silence windows of a workload's alerts over HTTP, the API twin of <c>yardstick alerts silence</c> / <c>silences</c>:
/// <list type="bullet">
/// <item><c>POST /api/workloads/{name}/silences</c> with <c>{"for": "2h", "reason": "…", "from": "2026-12-06T22:00:00Z"}</c>
/// (<c>from</c> optional, default now): stores the window in the <c>Alerts</c> table, where every later alert of the
/// workload consults it; <c>201</c> with the window.</item>
/// <item><c>GET /api/workloads/{name}/silences</c>: the windows that have not ended, earliest first.</item>
/// </list>
/// Only workloads the app knows (registered or deployed with it; <c>404</c> otherwise), windows of at most 31 days, at
/// most <see cref="SilenceWindow.MaxStored"/> not ended per workload, a reason of 1–200 characters on one line;
/// refusals are <c>400</c> naming the field.
/// </summary>
public sealed class SilencesApi(IAlertDeliveryStore alerts, KnownWorkloads known, TimeProvider time, ILogger<SilencesApi> logger)
{
    /// <summary>Largest body accepted: three short strings.</summary>
    public const int MaxBodyBytes = 4096;

    private static readonly HashSet<string> Fields = new(StringComparer.Ordinal) { "for", "reason", "from" };

    /// <summary><c>POST /api/workloads/{name}/silences</c>.</summary>
    public async Task<ApiResult> AddAsync(HttpRequest request, string name, CancellationToken cancellationToken)
    {
        try
        {
            await CheckKnownAsync(name, cancellationToken);
            var body = await JsonFieldsBody.ReadAsync(request, MaxBodyBytes, Fields, "{\"for\": \"2h\", \"reason\": \"planned maintenance\"}", cancellationToken);
            var now = time.GetUtcNow();
            var window = SilenceWindow.Parse(body.GetValueOrDefault("from"), body.GetValueOrDefault("for"), body.GetValueOrDefault("reason"), now, ("from", "for", "reason"));
            var stored = await alerts.ListSilencesAsync(name, now, cancellationToken);
            if (stored.Count >= SilenceWindow.MaxStored)
            {
                throw new InputException("for", $"{name} already has {stored.Count} silence windows that have not ended (at most {SilenceWindow.MaxStored}); wait for one to end.");
            }

            await alerts.AddSilenceAsync(name, window, cancellationToken);
            Log.SilenceAdded(logger, name, window.From, window.To);
            return ApiResult.Json(StatusCodes.Status201Created, window);
        }
        catch (InputException e)
        {
            return Problems.Refused(e, logger);
        }
    }

    /// <summary><c>GET /api/workloads/{name}/silences</c>.</summary>
    public async Task<ApiResult> ListAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            await CheckKnownAsync(name, cancellationToken);
            var windows = await alerts.ListSilencesAsync(name, time.GetUtcNow(), cancellationToken);
            return ApiResult.Json(StatusCodes.Status200OK, new SilencesResponse { Workload = name, Silences = windows });
        }
        catch (InputException e)
        {
            return Problems.Refused(e, logger);
        }
    }

    private async Task CheckKnownAsync(string name, CancellationToken cancellationToken)
    {
        WorkloadNames.Check(name, "name");
        if (!await known.ContainsAsync(name, cancellationToken))
        {
            throw new UnknownWorkloadException(name, await known.NamesAsync(cancellationToken));
        }
    }
}
