using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Yardstick.Core;

namespace Yardstick.Functions.Api;

/// <summary>
/// A finished API answer: status, headers and a JSON body. It writes itself to the response without MVC services,
/// so the handlers run the same under the Functions ASP.NET Core integration and in a plain test server.
/// </summary>
public sealed class ApiResult : IActionResult
{
    public const string JsonContentType = "application/json; charset=utf-8";
    public const string ProblemContentType = "application/problem+json; charset=utf-8";

    private ApiResult(int statusCode, string contentType, byte[] body, IReadOnlyDictionary<string, string> headers)
    {
        StatusCode = statusCode;
        ContentType = contentType;
        Body = body;
        Headers = headers;
    }

    public int StatusCode { get; }

    public string ContentType { get; }

    /// <summary>The body: UTF-8 JSON, or the bytes of a <see cref="Content"/> answer.</summary>
    public byte[] Body { get; }

    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>The body parsed (for tests and logs).</summary>
    public JsonNode? ParseBody() => JsonNode.Parse(Body);

    public static ApiResult Json<T>(int statusCode, T value, IReadOnlyDictionary<string, string>? headers = null) =>
        new(statusCode, JsonContentType, JsonSerializer.SerializeToUtf8Bytes(value, YardstickJson.Options), headers ?? new Dictionary<string, string>());

    /// <summary>A non-JSON answer (reports): the bytes as they are, with their content type.</summary>
    public static ApiResult Content(int statusCode, string contentType, byte[] body, IReadOnlyDictionary<string, string>? headers = null) =>
        new(statusCode, contentType, body, headers ?? new Dictionary<string, string>());

    public static ApiResult Problem(ProblemDetailsBody problem, IReadOnlyDictionary<string, string>? headers = null) =>
        new(problem.Status, ProblemContentType, JsonSerializer.SerializeToUtf8Bytes(problem, YardstickJson.Options), headers ?? new Dictionary<string, string>());

    public async Task ExecuteResultAsync(ActionContext context)
    {
        var response = context.HttpContext.Response;
        response.StatusCode = StatusCode;
        response.ContentType = ContentType;
        response.ContentLength = Body.Length;
        // Status and run lists change while a run goes on; no proxy or client may serve them from a cache.
        response.Headers.CacheControl = "no-store";
        foreach (var (name, value) in Headers)
        {
            response.Headers[name] = value;
        }

        await response.Body.WriteAsync(Body, context.HttpContext.RequestAborted);
    }
}
