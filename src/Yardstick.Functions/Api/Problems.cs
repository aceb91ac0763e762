using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Yardstick.Core;
using Yardstick.Core.Workloads;
using Yardstick.Orchestration.Analysis;

namespace Yardstick.Functions.Api;

/// <summary>One problem with one field of the request.</summary>
/// <param name="Field">Field path (<c>load.rate</c>, <c>tags.commit</c>, <c>workload</c>, <c>Content-Type</c>).</param>
/// <param name="Message">What is wrong; never contains a secret or a request header.</param>
/// <param name="Line">1-based line in the workload text, when known.</param>
/// <param name="Column">1-based column in the workload text, when known.</param>
public sealed record FieldError(string Field, string Message, int? Line = null, int? Column = null);

/// <summary>An RFC 9457 problem document (<c>application/problem+json</c>) with the fields to fix.</summary>
public sealed record ProblemDetailsBody
{
    /// <summary>A URN naming the kind of problem (not meant to be dereferenced).</summary>
    public required string Type { get; init; }

    public required string Title { get; init; }

    public required int Status { get; init; }

    public string? Detail { get; init; }

    public IReadOnlyList<FieldError> Errors { get; init; } = [];

    /// <summary>For an unknown workload: the names that are deployed.</summary>
    public IReadOnlyList<string>? Available { get; init; }
}

/// <summary>Turns input errors into problem answers; the one place that decides status codes for bad requests.</summary>
public static class Problems
{
    public const string TypePrefix = "urn:yardstick:problem:";

    /// <summary>The problem answer for <paramref name="exception"/>, logged (status, kind and field; never the value) as a refused request.</summary>
    public static ApiResult Refused(InputException exception, ILogger logger)
    {
        var result = From(exception);
        Log.RequestRefused(logger, result.StatusCode, exception.GetType().Name, exception.Field);
        return result;
    }

    public static ApiResult From(InputException exception) => exception switch
    {
        WorkloadValidationException invalid => ApiResult.Problem(new ProblemDetailsBody
        {
            Type = TypePrefix + "invalid-workload",
            Title = "The workload is not valid.",
            Status = 400,
            Detail = invalid.Errors.Count == 1
                ? "1 problem: " + Describe(invalid.Errors[0])
                : $"{invalid.Errors.Count} problems; the first: " + (invalid.Errors.Count > 0 ? Describe(invalid.Errors[0]) : invalid.Message),
            Errors = invalid.Errors.Select(e => new FieldError(e.Path.Length > 0 ? e.Path : "workload", e.Message, e.Line, e.Column)).ToList(),
        }),
        UnknownWorkloadException unknown => ApiResult.Problem(Body(404, "unknown-workload", "No such workload.", unknown) with { Available = unknown.Available }),
        UnknownVersionException unknownVersion => Simple(404, "unknown-version", "No such workload version.", unknownVersion),
        RunNotFoundException notFound => Simple(404, "run-not-found", "No such run.", notFound),
        UnknownRunException unknownRun => Simple(404, "run-not-found", "No such run.", unknownRun),
        ReportNotFoundException noReport => Simple(404, "report-not-found", "The run has no report.", noReport),
        TooManyRunsException busy => ApiResult.Problem(
            Body(429, "too-many-runs", "The app carries as many runs as it may.", busy),
            new Dictionary<string, string> { ["Retry-After"] = RunCapacity.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) }),
        IdempotencyKeyReusedException reused => Simple(422, "idempotency-key-reused", "The Idempotency-Key was used with a different request.", reused),
        BodyTooLargeException tooLarge => Simple(413, "body-too-large", "The request body is too large.", tooLarge),
        UnsupportedMediaTypeException media => Simple(415, "unsupported-media-type", "The request's content type is not supported.", media),
        _ => Simple(400, "invalid-input", "The request is not valid.", exception),
    };

    /// <summary>409: a baseline promotion lost the race to concurrent promotions twice.</summary>
    public static ApiResult Conflict(BaselinePromotionConflictException exception) => ApiResult.Problem(new ProblemDetailsBody
    {
        Type = TypePrefix + "baseline-conflict",
        Title = "The baseline changed concurrently.",
        Status = 409,
        Detail = exception.Message,
        Errors = [new FieldError("runId", exception.Message)],
    });

    private static ApiResult Simple(int status, string type, string title, InputException exception) => ApiResult.Problem(Body(status, type, title, exception));

    private static ProblemDetailsBody Body(int status, string type, string title, InputException exception) => new()
    {
        Type = TypePrefix + type,
        Title = title,
        Status = status,
        Detail = $"{exception.Field}: {exception.Message}",
        Errors = [new FieldError(exception.Field, exception.Message)],
    };

    private static string Describe(WorkloadError error) =>
        (error.Path.Length > 0 ? error.Path + ": " : "") + error.Message;
}

/// <summary>Query-string values as the API reads them.</summary>
public static class QueryValues
{
    /// <summary>The parameter's one value, null when absent; given twice, an <see cref="InputException"/> naming it.</summary>
    public static string? Single(IQueryCollection query, string name)
    {
        var values = query[name];
        return values.Count switch
        {
            0 => null,
            1 => values[0],
            _ => throw new InputException(name, "is given more than once."),
        };
    }
}
