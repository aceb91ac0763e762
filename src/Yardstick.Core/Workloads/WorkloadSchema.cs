using System.Globalization;
using System.Text.Json;
using Json.Schema;
using Yardstick.Core.Workloads.Documents;

namespace Yardstick.Core.Workloads;

/// <summary>
/// The workload JSON schema (<c>workloads/schema/workload.schema.json</c>, embedded in this assembly) and the
/// first validation pass: unknown fields with "did you mean", then JSON-schema evaluation with messages rewritten
/// to say what to write instead. The schema is also the single list of field names at every level.
/// </summary>
public static class WorkloadSchema
{
    private const string ResourceName = "Yardstick.Core.Workloads.workload.schema.json";

    private static readonly Lazy<string> LazyText = new(ReadResource);
    private static readonly Lazy<JsonElement> LazyRoot = new(() => JsonDocument.Parse(LazyText.Value).RootElement.Clone());
    private static readonly Lazy<JsonSchema> LazySchema = new(() => JsonSchema.Build(WithStrictPatternEnds(LazyRoot.Value)));

    /// <summary>The schema text as shipped (what editors read through the yaml-language-server comment).</summary>
    public static string Text => LazyText.Value;

    internal static JsonElement Root => LazyRoot.Value;

    /// <summary>The schema node describing the value at <paramref name="path"/>, with <c>$ref</c>s followed; null when the schema has none.</summary>
    internal static JsonElement? NodeAt(DocPath path)
    {
        JsonElement? node = Resolve(Root);
        foreach (var segment in path.Segments)
        {
            if (node is not { } current)
            {
                return null;
            }

            node = segment switch
            {
                string key => PropertySchema(current, key),
                _ => current.TryGetProperty("items", out var items) ? Resolve(items) : null,
            };
        }

        return node;
    }

    /// <summary>The property names allowed at a node whose schema forbids others; null when any name is allowed.</summary>
    internal static IReadOnlyList<string>? AllowedProperties(JsonElement node)
    {
        if (!node.TryGetProperty("additionalProperties", out var additional) || additional.ValueKind != JsonValueKind.False)
        {
            return null;
        }

        return node.TryGetProperty("properties", out var properties)
            ? properties.EnumerateObject().Select(p => p.Name).ToList()
            : [];
    }

    /// <summary>The JSON types a schema node allows (empty when it does not say).</summary>
    internal static IReadOnlyList<string> Types(JsonElement node)
    {
        if (node.TryGetProperty("type", out var type))
        {
            return type.ValueKind == JsonValueKind.Array
                ? type.EnumerateArray().Select(t => t.GetString() ?? "").ToList()
                : [type.GetString() ?? ""];
        }

        if (node.TryGetProperty("enum", out var values))
        {
            return values.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.String ? "string" : "number").Distinct().ToList();
        }

        return [];
    }

    internal static bool IsStringOnly(JsonElement node) => Types(node) is ["string"];

    /// <summary>Runs the schema pass over a document, reporting into <paramref name="sink"/>.</summary>
    internal static void Validate(DocNode root, ErrorSink sink)
    {
        CheckUnknownFields(root, DocPath.Root, Resolve(Root), sink);

        var instance = JsonSerializer.SerializeToElement(root.ToJson());
        var results = LazySchema.Value.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (results.IsValid)
        {
            return;
        }

        foreach (var detail in results.Details ?? [])
        {
            if (detail.Errors is null)
            {
                continue;
            }

            var path = FromPointer(detail.InstanceLocation.ToString());

            // propertyNames failures sit at the offending key's location but are about the key, not its value.
            var aboutKey = detail.EvaluationPath.ToString().Contains("/propertyNames", StringComparison.Ordinal);
            foreach (var (keyword, message) in detail.Errors)
            {
                // additionalProperties: false yields keyword-less "false schema" errors; unknown fields are reported above.
                if (keyword.Length == 0)
                {
                    continue;
                }

                if (aboutKey)
                {
                    SchemaMessages.ReportKey(root, path, message, sink);
                }
                else
                {
                    SchemaMessages.Report(root, path, keyword, message, sink);
                }
            }
        }
    }

    internal static JsonElement Resolve(JsonElement node)
    {
        // Only local references (#/$defs/...) occur in our schema; a few hops at most.
        for (var hops = 0; hops < 8 && node.ValueKind == JsonValueKind.Object && node.TryGetProperty("$ref", out var reference); hops++)
        {
            var target = Root;
            foreach (var part in (reference.GetString() ?? "#").TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                target = target.GetProperty(part.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal));
            }

            node = target;
        }

        return node;
    }

    private static JsonElement? PropertySchema(JsonElement node, string key)
    {
        if (node.TryGetProperty("properties", out var properties) && properties.TryGetProperty(key, out var property))
        {
            return Resolve(property);
        }

        return node.TryGetProperty("additionalProperties", out var additional) && additional.ValueKind == JsonValueKind.Object
            ? Resolve(additional)
            : null;
    }

    private static void CheckUnknownFields(DocNode node, DocPath path, JsonElement schema, ErrorSink sink)
    {
        switch (node)
        {
            case DocMap map:
                var allowed = AllowedProperties(schema);
                foreach (var entry in map.Entries)
                {
                    var child = path.Key(entry.Key);
                    if (allowed is not null && !allowed.Contains(entry.Key))
                    {
                        var hint = NameSuggestions.Closest(entry.Key, allowed) is { } best
                            ? $"did you mean '{best}'?"
                            : $"allowed here: {string.Join(", ", allowed)}.";
                        var where = path.IsRoot ? "at the top level" : $"in '{path}'";
                        sink.Structural(child, $"unknown field '{entry.Key}' {where}; {hint}", entry.KeyMark, entry.Value.Origin);
                        continue;
                    }

                    if (PropertySchema(schema, entry.Key) is { } childSchema)
                    {
                        CheckUnknownFields(entry.Value, child, childSchema, sink);
                    }
                }

                break;
            case DocSeq seq when schema.TryGetProperty("items", out var items):
                var itemSchema = Resolve(items);
                for (var i = 0; i < seq.Items.Count; i++)
                {
                    CheckUnknownFields(seq.Items[i], path.Index(i), itemSchema, sink);
                }

                break;
        }
    }

    private static DocPath FromPointer(string pointer)
    {
        var path = DocPath.Root;
        foreach (var raw in pointer.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var part = raw.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            path = int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && IsArrayStep(path)
                ? path.Index(index)
                : path.Key(part);
        }

        return path;
    }

    // A numeric pointer segment is a list index only where the schema has a list; "tags./2024" stays a key.
    private static bool IsArrayStep(DocPath parent) =>
        NodeAt(parent) is { } node && node.TryGetProperty("items", out _);

    /// <summary>
    /// The schema's patterns end in <c>$</c>, which in ECMA-262 (what editors use) matches only at the end of the text,
    /// but in .NET also before a final line break, so <c>"hello\n"</c> would pass as a name and reach table keys and
    /// blob paths. The evaluator here gets each trailing <c>$</c> as <c>\z</c>: the shipped schema keeps one meaning
    /// for both.
    /// </summary>
    internal static JsonElement WithStrictPatternEnds(JsonElement root)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(root.GetRawText())!;
        Rewrite(node);
        return JsonDocument.Parse(node.ToJsonString()).RootElement.Clone();

        static void Rewrite(System.Text.Json.Nodes.JsonNode? node)
        {
            switch (node)
            {
                case System.Text.Json.Nodes.JsonObject obj:
                    foreach (var (key, value) in obj.ToList())
                    {
                        if (key == "pattern" && value is System.Text.Json.Nodes.JsonValue v && v.TryGetValue<string>(out var pattern)
                            && pattern.EndsWith('$') && !pattern.EndsWith("\\$", StringComparison.Ordinal))
                        {
                            obj[key] = pattern[..^1] + "\\z";
                        }
                        else
                        {
                            Rewrite(value);
                        }
                    }

                    break;
                case System.Text.Json.Nodes.JsonArray array:
                    foreach (var item in array)
                    {
                        Rewrite(item);
                    }

                    break;
            }
        }
    }

    private static string ReadResource()
    {
        using var stream = typeof(WorkloadSchema).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing from Yardstick.Core.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
