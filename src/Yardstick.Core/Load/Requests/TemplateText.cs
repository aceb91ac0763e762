using System.Text.RegularExpressions;

namespace Yardstick.Core.Load.Requests;

/// <summary>One piece of a templated string: literal text, or a <c>${data.column}</c> hole.</summary>
/// <param name="Text">The literal text, or the column name of a hole.</param>
/// <param name="IsHole">True for a <c>${data.column}</c> hole.</param>
public readonly record struct TemplatePart(string Text, bool IsHole);

/// <summary>
/// <c>${data.column}</c> templating in request URLs, headers and bodies: each hole takes the value of that column of
/// the exchange's data row (URL-encoded in URLs, JSON-escaped in JSON bodies). <c>${env:NAME}</c> secret references are
/// a different thing, resolved once per shard before templating; any other <c>${…}</c> text is left as it is.
/// </summary>
public static partial class TemplateText
{
    /// <summary>True when <paramref name="text"/> holds at least one <c>${data.column}</c> hole.</summary>
    public static bool HasHoles(string? text) => text is not null && text.Contains("${data.", StringComparison.Ordinal) && Hole().IsMatch(text);

    /// <summary>The column names the text's holes name, in order (repeats included).</summary>
    public static IEnumerable<string> Columns(string? text) =>
        text is null ? [] : Hole().Matches(text).Select(m => m.Groups[1].Value);

    /// <summary>Malformed data references (<c>${data.}</c>, <c>${data.a b}</c>, an unclosed <c>${data.x</c>) in the text.</summary>
    public static IEnumerable<string> Malformed(string? text) =>
        text is null ? [] : DataLike().Matches(text).Select(m => m.Value).Where(v => !Hole().IsMatch(v) || Hole().Match(v).Value != v);

    /// <summary>Splits the text into literal parts and holes (adjacent literals merged; empty literals left out).</summary>
    public static IReadOnlyList<TemplatePart> Parse(string text)
    {
        var parts = new List<TemplatePart>();
        var at = 0;
        foreach (Match match in Hole().Matches(text))
        {
            if (match.Index > at)
            {
                parts.Add(new TemplatePart(text[at..match.Index], IsHole: false));
            }

            parts.Add(new TemplatePart(match.Groups[1].Value, IsHole: true));
            at = match.Index + match.Length;
        }

        if (at < text.Length)
        {
            parts.Add(new TemplatePart(text[at..], IsHole: false));
        }

        return parts;
    }

    [GeneratedRegex(@"\$\{data\.([A-Za-z_][A-Za-z0-9_\-]*)\}")]
    private static partial Regex Hole();

    // Anything that starts like a data reference, up to the closing brace or the first space.
    [GeneratedRegex(@"\$\{\s*data\s*\.[^}\s]*\}?")]
    private static partial Regex DataLike();
}
