using System.Globalization;
using System.Text.Json;
using Yardstick.Core.Workloads.Documents;

namespace Yardstick.Core.Workloads;

/// <summary>Turns JSON-schema keyword failures into messages that say what was found and what to write instead.</summary>
internal static class SchemaMessages
{
    public static void Report(DocNode root, DocPath path, string keyword, string libraryMessage, ErrorSink sink)
    {
        var node = Find(root, path);
        var schema = WorkloadSchema.NodeAt(path);
        if (keyword == "required")
        {
            ReportRequired(node as DocMap, path, schema, libraryMessage, sink);
            return;
        }

        var message = schema is { } s ? Rewrite(keyword, node, s) : null;
        sink.Structural(path, message ?? libraryMessage);
    }

    /// <summary>A mapping key that breaks the schema's <c>propertyNames</c> rule (tag names, header names, env names).</summary>
    public static void ReportKey(DocNode root, DocPath path, string libraryMessage, ErrorSink sink)
    {
        if (path.Parent is not { } parent || path.Segments[^1] is not string key)
        {
            sink.Structural(path, libraryMessage);
            return;
        }

        var entry = (Find(root, parent) as DocMap)?.Find(key);
        var rule = WorkloadSchema.NodeAt(parent) is { } schema && schema.TryGetProperty("propertyNames", out var names)
            ? Description(WorkloadSchema.Resolve(names))
            : null;
        sink.Structural(path, $"'{key}' is not a valid name here: {rule ?? libraryMessage}", entry?.KeyMark, entry?.Value.Origin);
    }

    internal static DocNode? Find(DocNode root, DocPath path)
    {
        DocNode? node = root;
        foreach (var segment in path.Segments)
        {
            node = (node, segment) switch
            {
                (DocMap map, string key) => map.Get(key),
                (DocSeq seq, int index) when index < seq.Items.Count => seq.Items[index],
                _ => null,
            };
        }

        return node;
    }

    private static void ReportRequired(DocMap? map, DocPath path, JsonElement? schema, string libraryMessage, ErrorSink sink)
    {
        if (map is null || schema is not { } s || !s.TryGetProperty("required", out var required))
        {
            sink.Structural(path, libraryMessage);
            return;
        }

        foreach (var name in required.EnumerateArray().Select(r => r.GetString() ?? ""))
        {
            if (map.Get(name) is null or DocScalar { Kind: ScalarKind.Null })
            {
                var where = path.IsRoot ? "a workload" : $"'{path}'";
                sink.Structural(path.Key(name), $"required field '{name}' is missing from {where}.");
            }
        }
    }

    private static string? Rewrite(string keyword, DocNode? node, JsonElement schema)
    {
        var shown = Show(node);
        switch (keyword)
        {
            case "type":
                var types = WorkloadSchema.Types(schema);
                var expected = string.Join(" or ", types.Select(Article));
                // The value itself is not echoed: a header or env value may be a secret written as a number.
                var quote = types.Contains("string") && node is DocScalar { Kind: ScalarKind.Number or ScalarKind.Bool }
                    ? "; put the value in quotes"
                    : "";
                return $"expected {expected}, found {node?.KindName ?? "nothing"}{quote}.";
            case "enum":
                var options = schema.GetProperty("enum").EnumerateArray().Select(Literal).Distinct().ToList();
                var text = node is DocScalar scalar ? scalar.Text : "";
                var suggestion = NameSuggestions.DidYouMean(text, options);
                return $"{shown} is not one of: {string.Join(", ", options)}{(suggestion.Length > 0 ? suggestion : ".")}";
            case "const":
                return $"{shown} must be {Literal(schema.GetProperty("const"))}.";
            case "pattern":
                var examples = schema.TryGetProperty("examples", out var ex)
                    ? ex.EnumerateArray().Select(e => e.GetString() ?? "").ToList()
                    : [];
                var hint = node is DocScalar s && examples.Count > 0 ? NameSuggestions.DidYouMean(s.Text, examples) : "";
                var rule = Description(schema)?.TrimEnd('.') ?? "it does not match " + schema.GetProperty("pattern").GetString();
                return $"{shown} is not valid: {rule}{(hint.Length > 0 ? hint : ".")}";
            case "minimum":
                return $"must be at least {Number(schema, "minimum")} (found {shown}).";
            case "maximum":
                return $"must be at most {Number(schema, "maximum")} (found {shown}).";
            case "exclusiveMinimum":
                return $"must be greater than {Number(schema, "exclusiveMinimum")} (found {shown}).";
            case "exclusiveMaximum":
                return $"must be less than {Number(schema, "exclusiveMaximum")} (found {shown}).";
            case "minItems":
                var min = schema.GetProperty("minItems").GetInt32();
                return min == 1 ? "the list must not be empty." : $"the list needs at least {min} items.";
            case "uniqueItems":
                return "the list holds the same value twice; each value may appear once.";
            case "minLength":
                return "must not be empty.";
            case "maxLength":
                return $"is too long: at most {Number(schema, "maxLength")} characters.";
            default:
                return null;
        }
    }

    /// <summary>A scalar as shown in messages: quoted and shortened; never a whole body.</summary>
    private static string Show(DocNode? node)
    {
        if (node is not DocScalar scalar)
        {
            return node?.KindName ?? "nothing";
        }

        var text = scalar.Text.Length > 60 ? scalar.Text[..57] + "..." : scalar.Text;
        return scalar.Kind == ScalarKind.String ? $"'{text}'" : text;
    }

    private static string? Description(JsonElement schema) =>
        schema.TryGetProperty("description", out var d) ? d.GetString()?.TrimEnd('.') + "." : null;

    private static string Number(JsonElement schema, string keyword) =>
        schema.GetProperty(keyword).GetDouble().ToString("0.####", CultureInfo.InvariantCulture);

    private static string Literal(JsonElement value) => value.ValueKind == JsonValueKind.String
        ? value.GetString() ?? ""
        : value.GetRawText();

    private static string Article(string type) => type switch
    {
        "object" => "a mapping",
        "array" => "a list",
        "integer" => "a whole number",
        "number" => "a number",
        "boolean" => "true or false",
        "string" => "a string",
        _ => type,
    };
}
