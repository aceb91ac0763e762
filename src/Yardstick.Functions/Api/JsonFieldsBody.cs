using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Yardstick.Core;

namespace Yardstick.Functions.Api;

/// <summary>
/// A small <c>application/json</c> body of string fields (<c>{"runId": "…", "reason": "…"}</c>): the media type, the
/// size cap (checked before reading), a JSON object, only the expected fields and only strings or null — each refusal
/// naming the field.
/// </summary>
public static class JsonFieldsBody
{
    /// <summary>The body's fields; an absent or null field is absent from the result.</summary>
    /// <param name="request">The request.</param>
    /// <param name="maxBytes">Largest body accepted.</param>
    /// <param name="fields">The fields this request has.</param>
    /// <param name="example">An example body, for the error sentences.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public static async Task<IReadOnlyDictionary<string, string>> ReadAsync(HttpRequest request, int maxBytes, IReadOnlySet<string> fields, string example, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.ContentType) || !MediaTypeHeaderValue.TryParse(request.ContentType, out var media)
            || !string.Equals(media.MediaType.Value, "application/json", StringComparison.OrdinalIgnoreCase))
        {
            throw new UnsupportedMediaTypeException($"send application/json: {example}.");
        }

        if (request.ContentLength > maxBytes)
        {
            throw new BodyTooLargeException(maxBytes);
        }

        var bytes = await StartRunRequestReader.ReadCappedAsync(request.Body, maxBytes, cancellationToken);
        JsonElement root;
        try
        {
            root = JsonDocument.Parse(bytes).RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new InputException("body", $"is not JSON: {e.Message}");
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InputException("body", $"must be a JSON object: {example}.");
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in root.EnumerateObject())
        {
            if (!fields.Contains(property.Name))
            {
                throw new InputException(ApiText.Clip(property.Name), $"is not a field of this request; expected {string.Join(", ", fields.Order(StringComparer.Ordinal))}.");
            }

            if (property.Value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
            {
                throw new InputException(property.Name, "must be a string.");
            }

            if (property.Value.ValueKind == JsonValueKind.String)
            {
                values[property.Name] = property.Value.GetString()!;
            }
        }

        return values;
    }
}
