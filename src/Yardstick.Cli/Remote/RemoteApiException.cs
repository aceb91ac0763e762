using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Yardstick.Cli.Remote;

/// <summary>A remote call failed; <see cref="Exception.Message"/> is the line the CLI prints, <see cref="ExitCode"/> what it returns.</summary>
internal sealed class RemoteApiException(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}

/// <summary>One entry of the <c>errors</c> array of a problem+json answer.</summary>
internal sealed record ApiProblemError(string? Field, string? Message);

/// <summary>An RFC 9457 problem document (<c>application/problem+json</c>) as the Yardstick API writes it.</summary>
internal sealed record ApiProblem(string? Title, string? Detail, int? Status, IReadOnlyList<ApiProblemError> Errors)
{
    private const int MaxTextLength = 300;

    /// <summary>Title and detail in one short phrase, or empty.</summary>
    public string Summary()
    {
        var parts = new[] { Title, Detail }.Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => Shorten(p!)).Distinct().ToList();
        return string.Join(": ", parts);
    }

    /// <summary>Reads a problem document; null when the body is not JSON with at least a title, detail or errors.</summary>
    public static async Task<ApiProblem?> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        byte[] body;
        try
        {
            body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        }
        catch (HttpRequestException)
        {
            return null;
        }

        return Parse(body, response.Content.Headers.ContentType);
    }

    internal static ApiProblem? Parse(byte[] body, MediaTypeHeaderValue? contentType)
    {
        var media = contentType?.MediaType ?? "";
        var looksJson = media.Contains("json", StringComparison.OrdinalIgnoreCase) || (body.Length > 0 && body[0] == (byte)'{');
        if (!looksJson || body.Length == 0)
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var root = doc.RootElement;
            var errors = new List<ApiProblemError>();
            if (root.TryGetProperty("errors", out var list))
            {
                ReadErrors(list, errors);
            }

            var problem = new ApiProblem(Text(root, "title"), Text(root, "detail"), root.TryGetProperty("status", out var s) && s.TryGetInt32(out var n) ? n : null, errors);
            return problem.Title is null && problem.Detail is null && errors.Count == 0 ? null : problem;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static void ReadErrors(JsonElement list, List<ApiProblemError> errors)
    {
        switch (list.ValueKind)
        {
            // Ours: [{ "field": "...", "message": "..." }].
            case JsonValueKind.Array:
                foreach (var item in list.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.Object)
                    {
                        errors.Add(new ApiProblemError(Text(item, "field") ?? Text(item, "path"), Text(item, "message") ?? Text(item, "detail")));
                    }
                    else if (item.ValueKind == JsonValueKind.String)
                    {
                        errors.Add(new ApiProblemError(null, item.GetString()));
                    }
                }

                break;

            // ASP.NET Core's ValidationProblemDetails shape: { "field": ["message", ...] }.
            case JsonValueKind.Object:
                foreach (var property in list.EnumerateObject())
                {
                    var messages = property.Value.ValueKind == JsonValueKind.Array
                        ? property.Value.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText())
                        : [property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : property.Value.GetRawText()];
                    errors.AddRange(messages.Select(m => new ApiProblemError(property.Name, m)));
                }

                break;
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString())
            ? value.GetString()
            : null;

    /// <summary>Keeps server text to one short line: an error page must not flood the console.</summary>
    internal static string Shorten(string text)
    {
        var line = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            line.Append(char.IsControl(c) ? ' ' : c);
        }

        var result = line.ToString().Trim();
        return result.Length <= MaxTextLength ? result : result[..MaxTextLength] + "…";
    }
}
