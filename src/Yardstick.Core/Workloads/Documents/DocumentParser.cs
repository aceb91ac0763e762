using System.Text.Json;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Yardstick.Core.Workloads.Documents;

/// <summary>
/// Parses YAML or JSON text into a <see cref="DocNode"/> tree that keeps line:column for every node. JSON is checked
/// strictly first (System.Text.Json: no comments, no trailing commas) and then read by the same YAML reader, since
/// JSON is a subset of YAML's flow style; that gives both formats the same positions and the same tree.
/// </summary>
internal static class DocumentParser
{
    /// <summary>JSON when the first non-blank character is <c>{</c>, YAML otherwise.</summary>
    public static bool LooksLikeJson(string text) => text.AsSpan().TrimStart().StartsWith("{");

    /// <summary>Parses a document; throws <see cref="WorkloadValidationException"/> with one positioned error on bad syntax.</summary>
    public static DocNode Parse(string text, string sourceName)
    {
        if (LooksLikeJson(text))
        {
            CheckStrictJson(text, sourceName);

            // Valid JSON never has a literal tab inside a string, so replacing tabs keeps strings and columns intact
            // while sparing the YAML reader tab-indented JSON.
            text = text.Replace('\t', ' ');
        }

        var stream = new YamlStream();
        try
        {
            if (CheckStructure(text) is { } refused)
            {
                throw Single(sourceName, refused.Line, refused.Column, refused.Message);
            }

            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            throw Single(sourceName, ex.Start.Line, ex.Start.Column, $"not valid YAML: {Describe(ex)}");
        }

        if (stream.Documents.Count == 0)
        {
            throw Single(sourceName, null, null, "the file is empty; a workload needs at least name, target and load.");
        }

        if (stream.Documents.Count > 1)
        {
            var second = stream.Documents[1].RootNode.Start;
            throw Single(sourceName, (int)second.Line, (int)second.Column, "the file holds several YAML documents ('---'); put one workload per file.");
        }

        return Convert(stream.Documents[0].RootNode, origin: null);
    }

    /// <summary>
    /// Refuses what a workload never needs and an attacker loves, before any tree is built: anchors and aliases (a 1 KB
    /// "billion laughs" document of nested aliases expands to billions of nodes when walked) and nesting deeper than
    /// <see cref="MaxDepth"/>. Streams the parser's events, so the cost is linear in the text. Null when the text is fine;
    /// throws <see cref="YamlException"/> on a syntax error.
    /// </summary>
    public static (int Line, int Column, string Message)? CheckStructure(string text)
    {
        var parser = new Parser(new StringReader(text));
        var depth = 0;
        while (parser.MoveNext())
        {
            switch (parser.Current)
            {
                case AnchorAlias alias:
                    return ((int)alias.Start.Line, (int)alias.Start.Column,
                        $"YAML aliases (*{alias.Value}) are not accepted in workloads; write the value out (anchors, aliases and merge keys are refused so a small document cannot expand into a huge one).");
                case NodeEvent { Anchor.IsEmpty: false } anchored:
                    return ((int)anchored.Start.Line, (int)anchored.Start.Column,
                        $"YAML anchors (&{anchored.Anchor.Value}) are not accepted in workloads; write the value out (anchors, aliases and merge keys are refused so a small document cannot expand into a huge one).");
                case MappingStart or SequenceStart when ++depth > MaxDepth:
                    return ((int)parser.Current.Start.Line, (int)parser.Current.Start.Column,
                        $"the document is nested more than {MaxDepth} levels deep; a workload needs far fewer.");
                case MappingEnd or SequenceEnd:
                    depth--;
                    break;
            }
        }

        return null;
    }

    /// <summary>Deepest nesting of mappings and lists a workload document may have (a real workload needs about 5).</summary>
    public const int MaxDepth = 32;

    /// <summary>Converts a YamlDotNet node (also used for flow values given to <c>--set</c>).</summary>
    public static DocNode Convert(YamlNode node, string? origin)
    {
        DocMark? mark = origin is null ? new DocMark((int)node.Start.Line, (int)node.Start.Column) : null;
        switch (node)
        {
            case YamlMappingNode map:
                var docMap = new DocMap(mark, origin);
                foreach (var (key, value) in map.Children)
                {
                    var keyText = key is YamlScalarNode s ? s.Value ?? "" : key.ToString();
                    DocMark? keyMark = origin is null ? new DocMark((int)key.Start.Line, (int)key.Start.Column) : null;
                    docMap.Entries.Add(new DocEntry(keyText, keyMark, Convert(value, origin)));
                }

                return docMap;
            case YamlSequenceNode seq:
                var docSeq = new DocSeq(mark, origin);
                foreach (var item in seq.Children)
                {
                    docSeq.Items.Add(Convert(item, origin));
                }

                return docSeq;
            case YamlScalarNode scalar:
                var value2 = scalar.Value ?? "";
                return scalar.Style is ScalarStyle.Plain or ScalarStyle.Any
                    ? DocScalar.Plain(value2, mark, origin)
                    : new DocScalar(value2, ScalarKind.String, mark, origin);
            default:
                return new DocScalar("", ScalarKind.Null, mark, origin);
        }
    }

    private static void CheckStrictJson(string text, string sourceName)
    {
        try
        {
            using var _ = JsonDocument.Parse(text, new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
        }
        catch (JsonException ex)
        {
            // JsonException positions are 0-based; files count from 1.
            var line = ex.LineNumber is { } l ? (int)l + 1 : (int?)null;
            var column = ex.BytePositionInLine is { } c ? (int)c + 1 : (int?)null;
            var message = ex.Message;
            var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
            if (cut > 0)
            {
                message = message[..cut].TrimEnd();
            }

            // System.Text.Json suggests changing reader options; for a workload file the fix is in the file.
            message = message.Replace(" which is not supported in this mode. Change the reader options.", ".", StringComparison.Ordinal)
                .Replace(" Change the reader options.", "", StringComparison.Ordinal);

            throw Single(sourceName, line, column, $"not valid JSON: {message}");
        }
    }

    private static string Describe(YamlException ex)
    {
        var message = ex.Message;

        // YamlDotNet prefixes messages with "(Line: 1, Col: 2, Idx: 3) - (Line: ...): " in some versions.
        var dash = message.IndexOf("): ", StringComparison.Ordinal);
        if (message.StartsWith("(Line:", StringComparison.Ordinal) && dash > 0)
        {
            message = message[(dash + 3)..];
        }

        return message.TrimEnd('.') + ".";
    }

    private static WorkloadValidationException Single(string source, long? line, long? column, string message) =>
        new(source, [new WorkloadError(source, "", (int?)line, (int?)column, message)]);
}
