using System.Globalization;
using Azure;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace Yardstick.Functions.Api;

/// <summary>
/// Every HTTP function runs its handler through <see cref="RunAsync"/>: when the results storage (Tables, Blobs) or the
/// Durable task hub cannot be reached or fails, the caller gets <c>503 application/problem+json</c> with
/// <c>Retry-After</c> — a condition to wait out — never the Functions host's bare 500. Nothing of the exception (account
/// names, URLs, request ids) goes back to the caller; it is logged.
/// </summary>
public sealed class ApiGuard(ILogger<ApiGuard> logger)
{
    /// <summary>Seconds a caller is asked to wait before retrying while a dependency is unavailable.</summary>
    public const int RetryAfterSeconds = 30;

    /// <summary>Runs <paramref name="handler"/>; a storage or Durable failure becomes 503.</summary>
    /// <param name="handler">The request's handler.</param>
    /// <param name="requestAborted">The caller's cancellation: a cancelled request is not a dependency failure.</param>
    public async Task<ApiResult> RunAsync(Func<Task<ApiResult>> handler, CancellationToken requestAborted)
    {
        ArgumentNullException.ThrowIfNull(handler);
        try
        {
            return await handler();
        }
        catch (Exception e) when (Dependency(e, requestAborted) is { } dependency)
        {
            Log.DependencyUnavailable(logger, e, dependency);
            return Unavailable(dependency);
        }
    }

    /// <summary>The 503 answer naming which dependency failed (storage or Durable), nothing more.</summary>
    public static ApiResult Unavailable(string dependency) => ApiResult.Problem(
        new ProblemDetailsBody
        {
            Type = Problems.TypePrefix + "dependency-unavailable",
            Title = "A service the API depends on is unavailable.",
            Status = 503,
            Detail = $"{dependency} did not answer or failed; nothing was started. Retry after {RetryAfterSeconds} s.",
        },
        new Dictionary<string, string> { ["Retry-After"] = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture) });

    /// <summary>Which dependency <paramref name="exception"/> is a failure of, or null when it is something else (a bug: 500).</summary>
    internal static string? Dependency(Exception exception, CancellationToken requestAborted) => exception switch
    {
        RequestFailedException => "the results storage",
        RpcException => "the Durable task hub",
        // Azure.Core ends its retries with an AggregateException of what each try threw.
        AggregateException aggregate when aggregate.InnerExceptions.Count > 0 => aggregate.InnerExceptions
            .Select(inner => Dependency(inner, requestAborted))
            .Aggregate((a, b) => a == b ? a : a ?? b),
        // A storage call that timed out cancels itself; the caller's own cancellation is not a failure of anything.
        OperationCanceledException when !requestAborted.IsCancellationRequested && exception.InnerException is not null => Dependency(exception.InnerException, requestAborted) ?? "a dependency",
        _ => null,
    };
}
