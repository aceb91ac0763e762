using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;
using Yardstick.Core;
using Yardstick.Core.Ports;
using Yardstick.Core.Workloads.Registry;
using Yardstick.Functions.Hosting;
using Yardstick.Orchestration.Contracts;

namespace Yardstick.Functions.Api;

/// <summary>
/// The workload registry over HTTP:
/// <list type="bullet">
/// <item><c>PUT /api/workloads/{name}</c>: the body is the workload file itself (YAML or JSON), validated exactly like
/// <c>POST /api/runs</c> validates a workload (schema, semantics, secrets resolvable, target allowed); its <c>name:</c> must
/// be the URL's. Stores a new version (201) or finds the same text newest already (200). <c>?author=</c> tags it.</item>
/// <item><c>GET /api/workloads/{name}/versions</c>: every version, newest first, retired ones included.</item>
/// <item><c>GET /api/workloads/{name}/versions/{version}</c>: one version with its text.</item>
/// <item><c>DELETE /api/workloads/{name}/versions/{version}</c>: retires it (kept in the history; never runs again).</item>
/// </list>
/// Every input is checked before it reaches storage: names by the schema's rule (no path tricks), versions as small whole
/// numbers, bodies capped at <see cref="FunctionsHostSettings.MaxWorkloadBytes"/> before they are read.
/// </summary>
public sealed partial class WorkloadsApi(IWorkloadRegistry registry, RunStarter starter, FunctionsHostSettings settings, ILogger<WorkloadsApi> logger)
{
    public const string AuthorQuery = "author";

    private static readonly string[] YamlTypes = ["application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml"];
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary><c>PUT /api/workloads/{name}</c>.</summary>
    public async Task<ApiResult> PutAsync(HttpRequest request, string name, CancellationToken cancellationToken)
    {
        try
        {
            WorkloadNames.Check(name, "name");
            CheckContentType(request.ContentType);
            var author = Author(request.Query);
            var limit = Math.Min(settings.MaxWorkloadBytes, settings.MaxBodyBytes);
            if (request.ContentLength > limit)
            {
                throw new BodyTooLargeException(limit);
            }

            var bytes = await StartRunRequestReader.ReadCappedAsync(request.Body, limit, cancellationToken);
            var text = Decode(bytes);
            if (string.IsNullOrWhiteSpace(text))
            {
                throw new InputException("body", "is empty; send the workload file (YAML or JSON).");
            }

            var workload = await starter.ValidateAsync(text, $"workload '{name}'", cancellationToken);
            if (workload.Name != name)
            {
                throw new InputException("name", $"the workload in the body is named '{workload.Name}', but the URL names '{name}'; they must be the same.");
            }

            var pushed = await registry.PushAsync(name, text, workload.Schedule, author, cancellationToken);
            Log.WorkloadPushed(logger, name, pushed.Version.Version, pushed.Version.ShortHash, pushed.Created);
            var location = Collection(request) + "/" + name + "/versions/" + pushed.Version.Version.ToString(CultureInfo.InvariantCulture);
            return ApiResult.Json(
                pushed.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK,
                new WorkloadPushResponse { Created = pushed.Created, Version = pushed.Version, Url = location },
                new Dictionary<string, string> { ["Location"] = location });
        }
        catch (InputException e)
        {
            return Refuse(e);
        }
    }

    /// <summary><c>GET /api/workloads/{name}/versions</c>.</summary>
    public async Task<ApiResult> VersionsAsync(HttpRequest request, string name, CancellationToken cancellationToken)
    {
        try
        {
            WorkloadNames.Check(name, "name");
            var versions = await registry.VersionsAsync(name, cancellationToken);
            if (versions.Count == 0)
            {
                throw new UnknownWorkloadException(name, (await registry.ListNewestAsync(cancellationToken)).Select(v => v.Workload).ToList());
            }

            return ApiResult.Json(StatusCodes.Status200OK, new WorkloadVersionsResponse { Workload = name, Versions = versions });
        }
        catch (InputException e)
        {
            return Refuse(e);
        }
    }

    /// <summary><c>GET /api/workloads/{name}/versions/{version}</c>: the version and its text.</summary>
    public async Task<ApiResult> GetVersionAsync(HttpRequest request, string name, string version, CancellationToken cancellationToken)
    {
        try
        {
            WorkloadNames.Check(name, "name");
            var number = ParseVersion(version);
            var found = (await registry.VersionsAsync(name, cancellationToken)).FirstOrDefault(v => v.Version == number)
                ?? throw new UnknownVersionException(name, number);
            var text = await registry.GetTextAsync(name, number, cancellationToken) ?? throw new UnknownVersionException(name, number);
            return ApiResult.Json(StatusCodes.Status200OK, new WorkloadVersionResponse { Version = found, Text = text });
        }
        catch (InputException e)
        {
            return Refuse(e);
        }
    }

    /// <summary><c>DELETE /api/workloads/{name}/versions/{version}</c>: retires the version (<c>?author=</c> says who).</summary>
    public async Task<ApiResult> RetireAsync(HttpRequest request, string name, string version, CancellationToken cancellationToken)
    {
        try
        {
            WorkloadNames.Check(name, "name");
            var number = ParseVersion(version);
            var author = Author(request.Query);
            var retired = await registry.RetireAsync(name, number, author, cancellationToken) ?? throw new UnknownVersionException(name, number);
            Log.WorkloadRetired(logger, name, number);
            return ApiResult.Json(StatusCodes.Status200OK, new WorkloadVersionResponse { Version = retired });
        }
        catch (InputException e)
        {
            return Refuse(e);
        }
    }

    /// <summary>A version in a URL: <c>3</c> or <c>v3</c>, from 1 to 999,999,999.</summary>
    public static int ParseVersion(string? text)
    {
        var digits = text is ['v' or 'V', .. var rest] ? rest : text;
        return digits is { Length: >= 1 and <= 9 } && digits.All(char.IsAsciiDigit)
            && int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= 1
            ? number
            : throw new InputException("version", $"'{ApiText.Clip(text ?? "")}' is not a version number (1, 2, 3… or v1, v2, v3…).");
    }

    /// <summary>The <c>author</c> tag: at most one, 1–64 characters of letters, digits and <c>_ . : @ + -</c>.</summary>
    internal static string? Author(IQueryCollection query)
    {
        var values = query[AuthorQuery];
        if (values.Count == 0)
        {
            return null;
        }

        if (values.Count > 1)
        {
            throw new InputException(AuthorQuery, "is given more than once.");
        }

        return values[0] is { } author && AuthorTag().IsMatch(author)
            ? author
            : throw new InputException(AuthorQuery, "an author tag is 1 to 64 letters, digits or '_', '.', ':', '@', '+', '-', starting with a letter or digit (for example cli:alice).");
    }

    /// <summary><c>{scheme}://{host}{prefix}/workloads</c>, from the request (without its query, which may hold a function key).</summary>
    internal static string Collection(HttpRequest request)
    {
        var path = (request.PathBase + request.Path).Value ?? "";
        var index = path.IndexOf("/workloads", StringComparison.Ordinal);
        var collection = index >= 0 ? path[..(index + "/workloads".Length)] : "/api/workloads";
        return $"{request.Scheme}://{request.Host.Value}{collection}";
    }

    private static void CheckContentType(string? contentType)
    {
        const string supported = "send the workload file itself as application/yaml or application/json.";
        if (string.IsNullOrWhiteSpace(contentType) || !MediaTypeHeaderValue.TryParse(contentType, out var media) || media.MediaType.Value is not { } type)
        {
            throw new UnsupportedMediaTypeException("is missing or not a media type; " + supported);
        }

        var charset = media.Charset.Value;
        if (charset is not null && !charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) && !charset.Equals("utf8", StringComparison.OrdinalIgnoreCase))
        {
            throw new UnsupportedMediaTypeException("charset must be utf-8.");
        }

        if (!type.Equals("application/json", StringComparison.OrdinalIgnoreCase) && !YamlTypes.Contains(type, StringComparer.OrdinalIgnoreCase))
        {
            throw new UnsupportedMediaTypeException($"'{ApiText.Clip(type)}' is not supported; " + supported);
        }
    }

    private static string Decode(byte[] bytes)
    {
        try
        {
            return StrictUtf8.GetString(bytes).TrimStart('\uFEFF');
        }
        catch (DecoderFallbackException)
        {
            throw new InputException("body", "is not valid UTF-8.");
        }
    }

    private ApiResult Refuse(InputException exception) => Problems.Refused(exception, logger);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.:@+-]{0,63}$")]
    private static partial Regex AuthorTag();
}
