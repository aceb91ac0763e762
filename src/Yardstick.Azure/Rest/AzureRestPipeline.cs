using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Yardstick.Azure.Rest;

/// <summary>
/// One Azure API over Azure.Core's pipeline: bearer token for the API's scope (none for public APIs), retries
/// with backoff honouring <c>Retry-After</c> (from the options), and failures turned into
/// <see cref="AzureApiException"/> naming the API, status, error code/message and request id.
/// </summary>
internal sealed class AzureRestPipeline
{
    private const int MaxErrorMessageLength = 600;

    private readonly HttpPipeline _pipeline;

    public AzureRestPipeline(AzureApi api, TokenCredential? credential, ClientOptions options)
    {
        Api = api;
        HttpPipelinePolicy[] perRetry = credential is not null && api.Scope is not null
            ? [new BearerTokenAuthenticationPolicy(credential, api.Scope)]
            : [];
        _pipeline = HttpPipelineBuilder.Build(options, [], perRetry, new ResponseClassifier());
    }

    public AzureApi Api { get; }

    /// <summary>Sends a request; non-success statuses throw (404 too, unless <paramref name="allowNotFound"/>).</summary>
    public async Task<AzureRestResponse> SendAsync(
        RequestMethod method,
        Uri uri,
        BinaryData? jsonBody,
        CancellationToken cancellationToken,
        bool allowNotFound = false,
        IReadOnlyDictionary<string, string>? headers = null)
    {
        using var message = _pipeline.CreateMessage();
        var request = message.Request;
        request.Method = method;
        request.Uri.Reset(uri);
        request.Headers.SetValue("Accept", "application/json");
        if (headers is not null)
        {
            foreach (var (name, value) in headers)
            {
                request.Headers.SetValue(name, value);
            }
        }

        if (jsonBody is not null)
        {
            request.Headers.SetValue("Content-Type", "application/json");
            request.Content = RequestContent.Create(jsonBody);
        }

        try
        {
            await _pipeline.SendAsync(message, cancellationToken);
        }
        catch (RequestFailedException e)
        {
            // Transport failures after the last retry (connection refused, timeouts): keep the API name in front.
            throw new AzureApiException(Api.Name, e.Status, e.ErrorCode, null, null, $"{Api.Name}: {method} {uri.AbsolutePath} failed: {e.Message}", e);
        }

        var response = message.Response;
        var result = new AzureRestResponse(Api, method, uri, response.Status, response.Content.ToArray(), CopyHeaders(response));
        if (response.Status == 404 && allowNotFound)
        {
            return result;
        }

        if (response.IsError)
        {
            throw ToException(result);
        }

        return result;
    }

    private static Dictionary<string, string> CopyHeaders(Response response)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in response.Headers)
        {
            headers[header.Name] = header.Value;
        }

        return headers;
    }

    private AzureApiException ToException(AzureRestResponse response)
    {
        var (code, detail) = ReadError(response);
        response.Headers.TryGetValue("x-ms-error-code", out var headerCode);
        code ??= headerCode;
        var requestId = response.RequestId;
        var text = $"{Api.Name}: {response.Method} {response.Uri.AbsolutePath} failed with HTTP {response.Status}"
            + (code is null ? "" : $" ({code})")
            + (detail is null ? "" : $": {detail}")
            + (requestId is null ? "" : $" [request id {requestId}]");
        if (response.Status is 401 or 403 && Api.RequiredRole is not null)
        {
            text += response.Status == 401
                ? $". The credential was not accepted: sign in (az login) or check the managed identity, and grant it {Api.RequiredRole}."
                : $". The identity lacks permission: grant it {Api.RequiredRole}.";
        }

        return new AzureApiException(Api.Name, response.Status, code, detail, requestId, text);
    }

    /// <summary>Error code and message from the shapes Azure uses: {error:{code,message}}, {code,message}, {Error:{Code,Message}}.</summary>
    private static (string? Code, string? Message) ReadError(AzureRestResponse response)
    {
        if (response.Body.Length == 0)
        {
            return (null, null);
        }

        try
        {
            using var document = JsonDocument.Parse(response.Body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, null);
            }

            var error = JsonRead.Property(root, "error") is { ValueKind: JsonValueKind.Object } nested ? nested : root;
            return (Truncate(JsonRead.String(error, "code")), Truncate(JsonRead.String(error, "message")));
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    private static string? Truncate(string? text) =>
        text is null || text.Length <= MaxErrorMessageLength ? text : text[..MaxErrorMessageLength] + "…";
}

/// <summary>A buffered response.</summary>
internal sealed record AzureRestResponse(AzureApi Api, RequestMethod Method, Uri Uri, int Status, byte[] Body, IReadOnlyDictionary<string, string> Headers)
{
    private static readonly string[] RequestIdHeaders = ["x-ms-request-id", "request-id", "x-ms-correlation-request-id", "x-ms-activity-id"];

    public string? RequestId => RequestIdHeaders.Select(h => Headers.TryGetValue(h, out var v) ? v : null).FirstOrDefault(v => !string.IsNullOrEmpty(v));

    /// <summary>The body as JSON; malformed JSON throws an <see cref="AzureApiException"/> naming the API.</summary>
    public JsonDocument Json()
    {
        try
        {
            if (Body.Length == 0)
            {
                throw new JsonException("the response body is empty");
            }

            return JsonDocument.Parse(Body);
        }
        catch (JsonException e)
        {
            throw Malformed(e.Message, e);
        }
    }

    /// <summary>An error for a well-formed but unexpected body (a required member missing or of the wrong type).</summary>
    public AzureApiException Malformed(string what, Exception? inner = null) =>
        new(
            Api.Name,
            Status,
            "MalformedResponse",
            what,
            RequestId,
            $"{Api.Name} returned malformed JSON (HTTP {Status} from {Method} {Uri.AbsolutePath}): {what}" + (RequestId is null ? "" : $" [request id {RequestId}]"),
            inner);
}
