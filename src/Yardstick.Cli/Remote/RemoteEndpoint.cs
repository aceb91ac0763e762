using Yardstick.Core;
using Yardstick.Core.Load.Safety;

namespace Yardstick.Cli.Remote;

/// <summary>
/// The base URL of a deployed Yardstick Functions app. https only, except on loopback (a local <c>func</c> host or a
/// test server), because the function key and the results travel with every request.
/// </summary>
internal sealed class RemoteEndpoint
{
    private const string Field = "--endpoint";

    private RemoteEndpoint(Uri baseUri) => BaseUri = baseUri;

    /// <summary>Always ends with <c>/</c>, so the API's relative paths append to it.</summary>
    public Uri BaseUri { get; }

    public Uri Runs => new(BaseUri, "api/runs");

    public Uri Gate => new(BaseUri, "api/gate");

    public Uri Report(string runId, string format) =>
        new(BaseUri, $"api/runs/{Uri.EscapeDataString(runId)}/report?format={Uri.EscapeDataString(format)}");

    /// <summary><c>api/workloads</c>: the overview of every workload.</summary>
    public Uri Workloads => new(BaseUri, "api/workloads");

    /// <summary><c>api/workloads/{name}</c> (PUT registers a version), with an optional <c>?author=</c>.</summary>
    public Uri Workload(string name, string? author = null) =>
        new(BaseUri, $"api/workloads/{Uri.EscapeDataString(name)}" + (author is null ? "" : $"?author={Uri.EscapeDataString(author)}"));

    /// <summary><c>api/workloads/{name}/versions</c>.</summary>
    public Uri Versions(string name) => new(BaseUri, $"api/workloads/{Uri.EscapeDataString(name)}/versions");

    /// <summary><c>api/workloads/{name}/versions/{version}</c>.</summary>
    public Uri Version(string name, int version) =>
        new(BaseUri, $"api/workloads/{Uri.EscapeDataString(name)}/versions/{version.ToString(System.Globalization.CultureInfo.InvariantCulture)}");

    /// <summary>The status URL the API documents, for answers that name none.</summary>
    public Uri Status(string runId) => new(BaseUri, $"api/runs/{Uri.EscapeDataString(runId)}");

    /// <summary>The base URL as the user wrote it, without the trailing slash.</summary>
    public override string ToString() => BaseUri.AbsoluteUri.TrimEnd('/');

    /// <summary>Checks and normalises <c>--endpoint</c>; a trailing <c>/api</c> is accepted and dropped.</summary>
    /// <exception cref="InputException">Not an absolute https URL (http only on loopback), or it carries credentials or a query.</exception>
    public static RemoteEndpoint Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new InputException(Field, "give the base URL of the Yardstick app, for example https://<app>.azurewebsites.net.");
        }

        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw new InputException(Field, $"'{Redaction.RedactUrl(text.Trim())}' is not an absolute https URL (for example https://<app>.azurewebsites.net).");
        }

        if (uri.UserInfo.Length > 0 || uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            // A pasted function URL often carries ?code=<key>; the key belongs in an environment variable, not on a command line.
            throw new InputException(Field, "give the app's base URL without user info, query or fragment; the function key goes in YARDSTICK_FUNCTION_KEY.");
        }

        if (uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback)
        {
            throw new InputException(Field, $"'{uri.GetLeftPart(UriPartial.Authority)}' is plain http; the function key and results must travel over https (http is allowed only on loopback).");
        }

        var path = uri.AbsolutePath.TrimEnd('/');
        if (path.EndsWith("/api", StringComparison.OrdinalIgnoreCase))
        {
            path = path[..^4];
        }

        return new RemoteEndpoint(new Uri(uri.GetLeftPart(UriPartial.Authority) + path + "/"));
    }

    /// <summary>
    /// A URL the server handed back (status or report). Credentials only ever go to the endpoint's own origin: a URL
    /// naming another origin (a proxy that rewrites hosts, or a hostile answer) is rebased onto the endpoint.
    /// </summary>
    public Uri Resolve(string url)
    {
        if (!Uri.TryCreate(BaseUri, url, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw new RemoteApiException(Commands.ExitCodes.RunFailed, $"{this} answered with a status URL that is not an http(s) URL: '{Redaction.RedactUrl(url)}'.");
        }

        return IsSameOrigin(uri) ? uri : new Uri(new Uri(BaseUri.GetLeftPart(UriPartial.Authority)), uri.PathAndQuery);
    }

    public bool IsSameOrigin(Uri uri) =>
        Uri.Compare(uri, BaseUri, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;
}
