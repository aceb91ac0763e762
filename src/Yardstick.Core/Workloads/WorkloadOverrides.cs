using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using Yardstick.Core.Workloads.Documents;

namespace Yardstick.Core.Workloads;

/// <summary>
/// Applies <c>--set path=value</c> overrides to a parsed document before validation, so an override is checked
/// exactly like the file. Values are YAML scalars (<c>300/s</c>, <c>3</c>, <c>true</c>, <c>"quoted"</c>) or flow
/// collections (<c>[a, b]</c>, <c>{k: v}</c>); where the schema allows only a string (URLs, process arguments, tags)
/// the value is taken as a string, so <c>--set tags.commit=1234567</c>, <c>args[4]=20</c> or <c>target.body={"n": 1}</c> just work.
/// Missing intermediate mappings are created; a list index may address an item or append one past the end.
/// An empty value, <c>null</c> or <c>~</c> removes the field.
/// </summary>
internal static class WorkloadOverrides
{
    public static void Apply(DocNode root, IReadOnlyList<string> overrides, ErrorSink sink)
    {
        foreach (var raw in overrides)
        {
            var eq = raw.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                sink.Structural(DocPath.Root, $"expected path=value (for example load.rate=300/s), got '{raw}'.", origin: $"--set {raw}");
                continue;
            }

            var pathText = raw[..eq].Trim();
            var valueText = raw[(eq + 1)..].Trim();
            var origin = $"--set {pathText}";
            if (DocPath.TryParse(pathText, out var syntaxError) is not { } path)
            {
                sink.Structural(DocPath.Root, $"'{pathText}' is not a field path: {syntaxError}.", origin: origin);
                continue;
            }

            var stringOnly = WorkloadSchema.NodeAt(path) is { } schema && WorkloadSchema.IsStringOnly(schema);
            if (!TryParseValue(valueText, origin, stringOnly, out var value, out var valueError))
            {
                sink.Structural(path, $"the value is not a YAML scalar or flow list: {valueError}", origin: origin);
                continue;
            }

            if (value is not null)
            {
                value = CoerceStrings(value, path);
            }

            Set(root, path, value, origin, sink);
        }
    }

    private static void Set(DocNode root, DocPath path, DocNode? value, string origin, ErrorSink sink)
    {
        if (root is not DocMap)
        {
            sink.Structural(path, "the document is not a mapping, so fields cannot be set.", origin: origin);
            return;
        }

        var node = root;
        var segments = path.Segments;
        for (var i = 0; i < segments.Count; i++)
        {
            var last = i == segments.Count - 1;
            var here = Prefix(path, i + 1);
            switch (segments[i], node)
            {
                case (string key, DocMap map):
                    if (last)
                    {
                        if (value is null)
                        {
                            map.Remove(key);
                        }
                        else
                        {
                            map.Set(key, value);
                        }

                        return;
                    }

                    var next = map.Get(key);
                    if (next is null or DocScalar { Kind: ScalarKind.Null })
                    {
                        next = segments[i + 1] is int ? new DocSeq(null, origin) : new DocMap(null, origin);
                        map.Set(key, next);
                    }

                    node = next;
                    break;
                case (int index, DocSeq seq):
                    if (index > seq.Items.Count)
                    {
                        sink.Structural(here, $"index {index} is past the end of the list ({seq.Items.Count} items); use {seq.Items.Count} to append.", origin: origin);
                        return;
                    }

                    if (last)
                    {
                        if (index == seq.Items.Count)
                        {
                            seq.Items.Add(value ?? new DocScalar("", ScalarKind.Null, null, origin));
                        }
                        else if (value is null)
                        {
                            seq.Items.RemoveAt(index);
                        }
                        else
                        {
                            seq.Items[index] = value;
                        }

                        return;
                    }

                    if (index == seq.Items.Count)
                    {
                        var created = segments[i + 1] is int ? (DocNode)new DocSeq(null, origin) : new DocMap(null, origin);
                        seq.Items.Add(created);
                    }

                    node = seq.Items[index];
                    break;
                default:
                    var parent = Prefix(path, i);
                    var want = segments[i] is int ? "a list" : "a mapping";
                    var where = parent.IsRoot ? "the document" : $"'{parent}'";
                    sink.Structural(here, $"cannot set '{path}': {where} is {node.KindName}, not {want}.", origin: origin);
                    return;
            }
        }
    }

    private static bool TryParseValue(string text, string origin, bool stringOnly, out DocNode? value, out string? error)
    {
        error = null;
        value = null;
        if (text.Length == 0 || text is "null" or "~")
        {
            return true;
        }

        // Where only a string fits (a body, a header value, an argument), "[" and "{" are text, not YAML.
        if (stringOnly && text[0] is not ('"' or '\''))
        {
            value = new DocScalar(text, ScalarKind.String, null, origin);
            return true;
        }

        if (text[0] is '[' or '{' or '"' or '\'')
        {
            try
            {
                if (DocumentParser.CheckStructure(text) is { } refused)
                {
                    error = refused.Message;
                    return false;
                }

                var stream = new YamlStream();
                stream.Load(new StringReader(text));
                if (stream.Documents.Count != 1)
                {
                    error = "expected one value.";
                    return false;
                }

                value = DocumentParser.Convert(stream.Documents[0].RootNode, origin);
                return true;
            }
            catch (YamlException ex)
            {
                error = ex.Message;
                return false;
            }
        }

        // Plain text is taken as written (no YAML comment or mapping syntax), then typed like a plain scalar.
        value = DocScalar.Plain(text, null, origin);
        return true;
    }

    /// <summary>Where the schema allows only strings, unquoted numbers and booleans are meant as text.</summary>
    private static DocNode CoerceStrings(DocNode value, DocPath path)
    {
        var schema = WorkloadSchema.NodeAt(path);
        switch (value)
        {
            case DocScalar { Kind: ScalarKind.Number or ScalarKind.Bool } scalar when schema is { } s && WorkloadSchema.IsStringOnly(s):
                return scalar.AsString();
            case DocSeq seq:
                for (var i = 0; i < seq.Items.Count; i++)
                {
                    seq.Items[i] = CoerceStrings(seq.Items[i], path.Index(i));
                }

                return seq;
            case DocMap map:
                foreach (var entry in map.Entries)
                {
                    entry.Value = CoerceStrings(entry.Value, path.Key(entry.Key));
                }

                return map;
            default:
                return value;
        }
    }

    private static DocPath Prefix(DocPath path, int count)
    {
        var prefix = DocPath.Root;
        for (var i = 0; i < count; i++)
        {
            prefix = path.Segments[i] is int index ? prefix.Index(index) : prefix.Key((string)path.Segments[i]);
        }

        return prefix;
    }
}
