using System.Net;

namespace Yardstick.Azure.Rest;

/// <summary>
/// An Azure API call failed: which API, the HTTP status, the error code and message from the response body and
/// the request id (for support). 401/403 name the role the identity lacks. Messages never carry tokens, keys or
/// request bodies.
/// </summary>
public sealed class AzureApiException : Exception
{
    public AzureApiException(string api, int status, string? errorCode, string? errorMessage, string? requestId, string message, Exception? inner = null)
        : base(message, inner)
    {
        Api = api;
        Status = status;
        ErrorCode = errorCode;
        ErrorMessage = errorMessage;
        RequestId = requestId;
    }

    /// <summary>The API's name, for example "Log Analytics query".</summary>
    public string Api { get; }

    /// <summary>HTTP status; 0 when the response was unusable (malformed JSON after a 2xx, unexpected shape).</summary>
    public int Status { get; }

    public string? ErrorCode { get; }

    public string? ErrorMessage { get; }

    /// <summary><c>x-ms-request-id</c> (or the API's equivalent) of the failed call.</summary>
    public string? RequestId { get; }

    public bool IsNotFound => Status == (int)HttpStatusCode.NotFound;

    public bool IsAuthorizationFailure => Status is (int)HttpStatusCode.Unauthorized or (int)HttpStatusCode.Forbidden;
}
