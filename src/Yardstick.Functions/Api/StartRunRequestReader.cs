using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Yardstick.Core;
using Yardstick.Orchestration.Contracts;

namespace Yardstick.Functions.Api;

/// <summary>
/// Reads the body of <c>POST /api/runs</c> into a <see cref="StartRunBody"/>, in one of two shapes:
/// <list type="bullet">
/// <item><c>application/json</c>: <c>{"workload": name | "workloadText": text, "overrides": [...], "tags": {...}, "baseline": ..., "against": origin}</c>;</item>
/// <item><c>application/yaml</c> (or <c>text/yaml</c>, <c>application/x-yaml</c>, <c>text/x-yaml</c>): the body is the workload file
/// itself; overrides, tags, baseline and against come from the query: <c>?set=load.rate=300/s&amp;tag=commit:abc&amp;baseline=current&amp;against=https://…</c>
/// (<c>set</c> and <c>tag</c> may repeat).</item>
/// </list>
/// The size limit is enforced before the body is read: a declared <c>Content-Length</c> above it is refused at once, and
/// a chunked body is read only up to the limit.
/// </summary>
public static class StartRunRequestReader
{
    public const string SetQuery = "set";
    public const string TagQuery = "tag";
    public const string BaselineQuery = "baseline";
    public const string AgainstQuery = "against";

    private static readonly string[] JsonTypes = ["application/json"];
    private static readonly string[] YamlTypes = ["application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml"];
    private static readonly string[] BodyFields = ["workload", "workloadText", "overrides", "tags", "baseline", "budgetSeconds", "against"];
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static async Task<StartRunBody> ReadAsync(HttpRequest request, int maxBodyBytes, CancellationToken cancellationToken)
    {
        var isYaml = ContentKind(request.ContentType);
        if (request.ContentLength > maxBodyBytes)
        {
            throw new BodyTooLargeException(maxBodyBytes);
        }

        var bytes = await ReadCappedAsync(request.Body, maxBodyBytes, cancellationToken);
        return isYaml ? FromYaml(bytes, request.Query) : FromJson(bytes, request.Query);
    }

    /// <summary>Reads at most <paramref name="maxBytes"/>; one byte more means the body is too large (whatever its framing).</summary>
    public static async Task<byte[]> ReadCappedAsync(Stream body, int maxBytes, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    throw new BodyTooLargeException(maxBytes);
                }

                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return buffer.ToArray();
    }

    /// <summary>True for a YAML body, false for JSON; throws for anything else (415).</summary>
    private static bool ContentKind(string? contentType)
    {
        const string supported = "send application/json ({\"workload\": ...} or {\"workloadText\": ...}) or application/yaml (the workload file itself).";
        if (string.IsNullOrWhiteSpace(contentType) || !MediaTypeHeaderValue.TryParse(contentType, out var media) || media.MediaType.Value is not { } type)
        {
            throw new UnsupportedMediaTypeException("is missing or not a media type; " + supported);
        }

        var charset = media.Charset.Value;
        if (charset is not null && !charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) && !charset.Equals("utf8", StringComparison.OrdinalIgnoreCase))
        {
            throw new UnsupportedMediaTypeException("charset must be utf-8.");
        }

        if (JsonTypes.Contains(type, StringComparer.OrdinalIgnoreCase) || type.EndsWith("+json", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (YamlTypes.Contains(type, StringComparer.OrdinalIgnoreCase))
        {
            return true;
        }

        throw new UnsupportedMediaTypeException($"'{ApiText.Clip(type)}' is not supported; " + supported);
    }

    private static StartRunBody FromYaml(byte[] bytes, IQueryCollection query)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var tag in query[TagQuery])
        {
            var separator = tag?.IndexOf(':') ?? -1;
            if (tag is null || separator <= 0)
            {
                throw new InputException(TagQuery, "each tag is 'name:value' (for example ?tag=commit:abc123).");
            }

            var name = tag[..separator];
            if (!tags.TryAdd(name, tag[(separator + 1)..]))
            {
                throw new InputException("tags." + ApiText.Clip(name), "is given twice.");
            }
        }

        var baseline = query[BaselineQuery];
        if (baseline.Count > 1)
        {
            throw new InputException(BaselineQuery, "is given more than once.");
        }

        var against = query[AgainstQuery];
        if (against.Count > 1)
        {
            throw new InputException(AgainstQuery, "is given more than once.");
        }

        return new StartRunBody
        {
            WorkloadText = Decode(bytes, "body"),
            Overrides = query[SetQuery].Where(s => s is not null).Select(s => s!).ToList(),
            Tags = tags,
            Baseline = baseline.Count == 1 ? baseline[0] : null,
            Against = against.Count == 1 ? against[0] : null,
        };
    }

    private static StartRunBody FromJson(byte[] bytes, IQueryCollection query)
    {
        foreach (var name in new[] { SetQuery, TagQuery, BaselineQuery, AgainstQuery })
        {
            if (query.ContainsKey(name))
            {
                // Two places for the same setting invite surprises; the JSON body is the one place for JSON requests.
                throw new InputException(name, $"the query parameter '{name}' applies to YAML bodies only; put it in the JSON body.");
            }
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            throw new InputException("body", $"is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}).");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new InputException("body", "must be a JSON object such as {\"workload\": \"hello\"} or {\"workloadText\": \"name: ...\"}.");
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            var body = new StartRunBody();
            foreach (var property in root.EnumerateObject())
            {
                var field = BodyFields.FirstOrDefault(f => f.Equals(property.Name, StringComparison.OrdinalIgnoreCase))
                    ?? throw new InputException(ApiText.Clip(property.Name), $"is not a known field; use {string.Join(", ", BodyFields)}.");
                if (!seen.Add(field))
                {
                    throw new InputException(field, "is given twice.");
                }

                var value = property.Value;
                body = field switch
                {
                    "workload" => body with { Workload = OptionalString(value, field) },
                    "workloadText" => body with { WorkloadText = OptionalString(value, field) },
                    "baseline" => body with { Baseline = OptionalString(value, field) },
                    "against" => body with { Against = OptionalString(value, field) },
                    "overrides" => body with { Overrides = StringArray(value, field) },
                    "tags" => body with { Tags = StringMap(value, field) },
                    _ => body with { BudgetSeconds = OptionalInt(value, field) },
                };
            }

            return body;
        }
    }

    private static string? OptionalString(JsonElement value, string field) => value.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.String => value.GetString(),
        _ => throw new InputException(field, "must be a string."),
    };

    private static int? OptionalInt(JsonElement value, string field) => value.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.Number when value.TryGetInt32(out var number) => number,
        _ => throw new InputException(field, "must be a whole number."),
    };

    private static List<string> StringArray(JsonElement value, string field)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw new InputException(field, "must be an array of strings such as [\"load.rate=300/s\"].");
        }

        var items = new List<string>();
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            items.Add(item.ValueKind == JsonValueKind.String ? item.GetString()! : throw new InputException($"{field}[{index}]", "must be a string 'path=value'."));
            index++;
        }

        return items;
    }

    private static Dictionary<string, string> StringMap(JsonElement value, string field)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new InputException(field, "must be an object of string values such as {\"commit\": \"abc123\"}.");
        }

        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in value.EnumerateObject())
        {
            var path = field + "." + ApiText.Clip(property.Name);
            if (property.Value.ValueKind != JsonValueKind.String)
            {
                throw new InputException(path, "must be a string (quote numbers).");
            }

            if (!map.TryAdd(property.Name, property.Value.GetString()!))
            {
                throw new InputException(path, "is given twice.");
            }
        }

        return map;
    }

    private static string Decode(byte[] bytes, string field)
    {
        try
        {
            return StrictUtf8.GetString(bytes).TrimStart('\uFEFF');
        }
        catch (DecoderFallbackException)
        {
            throw new InputException(field, "is not valid UTF-8.");
        }
    }
}
