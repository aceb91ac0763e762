using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;
using Yardstick.Core;
using Yardstick.Core.Ports;
using Yardstick.Functions.Hosting;
using Yardstick.Orchestration.Analysis;

namespace Yardstick.Functions.Api;

/// <summary>Body of <c>POST /api/baselines/{workload}</c>.</summary>
public sealed record PromoteBaselineBody
{
    public string? RunId { get; init; }

    /// <summary>Baseline environment; default: the run's <c>compare.environment</c>.</summary>
    public string? Environment { get; init; }

    public string? Reason { get; init; }
}

/// <summary>The answer to a promotion: the current baseline afterwards.</summary>
public sealed record BaselineResponse
{
    public required string Workload { get; init; }

    public required string SettingsKey { get; init; }

    public string? Environment { get; init; }

    public required IReadOnlyList<string> RunIds { get; init; }

    public required string Mode { get; init; }

    public DateTimeOffset PromotedAt { get; init; }

    public string? PromotedBy { get; init; }

    public string? Reason { get; init; }

    /// <summary>False when the run already was the current baseline (nothing was written).</summary>
    public bool Changed { get; init; }

    /// <summary>True when a concurrent promotion landed first and this one was made on top of it.</summary>
    public bool Retried { get; init; }
}

/// <summary>
/// <c>POST /api/baselines/{workload}</c> with <c>{"runId": "...", "environment": "...", "reason": "..."}</c>: promotes a
/// completed or degraded run of that workload, ETag-safe (<see cref="BaselinePromotion"/>). 200 with the new baseline;
/// 400 for bad input or a run that cannot be a baseline; 404 for an unknown run; 409 when concurrent promotions won twice.
/// </summary>
public sealed class BaselinesApi(BaselinePromotion promotion, FunctionsHostSettings settings, ILogger<BaselinesApi> logger)
{
    public const int MaxReasonLength = 512;

    private static readonly HashSet<string> Fields = new(StringComparer.Ordinal) { "runId", "environment", "reason" };

    public async Task<ApiResult> PromoteAsync(HttpRequest request, string workload, CancellationToken cancellationToken)
    {
        try
        {
            if (!RunsApi.IsWorkloadName(workload))
            {
                throw new InputException("workload", $"'{ApiText.Clip(workload)}' is not a workload name (lowercase letters, digits and dashes, at most 63 characters).");
            }

            var body = await ReadAsync(request, cancellationToken);
            var result = await promotion.PromoteAsync(body.RunId!, body.Environment, body.Reason, promotedBy: "api", expectedWorkload: workload, cancellationToken);
            var b = result.Baseline;
            Log.BaselinePromoted(logger, string.Join(",", b.RunIds), b.Key.ToString(), result.Changed);
            return ApiResult.Json(StatusCodes.Status200OK, new BaselineResponse
            {
                Workload = b.Key.Workload,
                SettingsKey = b.Key.SettingsKey,
                Environment = string.IsNullOrEmpty(b.Key.Environment) ? null : b.Key.Environment,
                RunIds = b.RunIds,
                Mode = b.Mode,
                PromotedAt = b.PromotedAt,
                PromotedBy = b.PromotedBy,
                Reason = b.Reason,
                Changed = result.Changed,
                Retried = result.Retried,
            });
        }
        catch (InputException e)
        {
            var refused = Problems.From(e);
            Log.RequestRefused(logger, refused.StatusCode, e.GetType().Name, e.Field);
            return refused;
        }
        catch (BaselinePromotionConflictException e)
        {
            Log.RequestRefused(logger, StatusCodes.Status409Conflict, e.GetType().Name, "runId");
            return Problems.Conflict(e);
        }
    }

    private async Task<PromoteBaselineBody> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var fields = await JsonFieldsBody.ReadAsync(
            request, settings.MaxBodyBytes, Fields, "{\"runId\": \"20261129-081502-3fa9c1\", \"environment\": \"staging\", \"reason\": \"...\"}", cancellationToken);
        var body = new PromoteBaselineBody
        {
            RunId = fields.GetValueOrDefault("runId"),
            Environment = fields.GetValueOrDefault("environment"),
            Reason = fields.GetValueOrDefault("reason"),
        };
        if (string.IsNullOrWhiteSpace(body.RunId))
        {
            throw new InputException("runId", "is required: the run to promote.");
        }

        if (body.Environment is { } environment && !IsEnvironmentTag(environment))
        {
            throw new InputException("environment", "is not an environment tag (a letter or digit, then letters, digits, '.', '_' or '-', at most 63 characters).");
        }

        if (body.Reason is { Length: > MaxReasonLength })
        {
            throw new InputException("reason", $"has at most {MaxReasonLength} characters.");
        }

        return body;
    }

    private static bool IsEnvironmentTag(string value) =>
        value.Length is >= 1 and <= 63 && char.IsAsciiLetterOrDigit(value[0]) && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');
}
