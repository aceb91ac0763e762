using System.Text;

namespace Yardstick.Functions.Tests.Infra;

/// <summary>
/// Finds the app setting names a Bicep file sets, by reading its text: the keys of an
/// <c>appSettings: { NAME: value }</c> object (or <c>var appSettings = { … }</c>), and the literal
/// <c>name: 'NAME'</c> entries of an <c>appSettings: [ { name: …, value: … } ]</c> array. Comments and
/// string contents are skipped, so a brace or a setting name inside either does not count.
/// Settings built by a <c>for</c> expression have no literal names and yield nothing.
/// </summary>
internal static class BicepAppSettingsScanner
{
    private enum Kind
    {
        Identifier,
        String,
        Punct,
        Newline,
    }

    /// <summary>A token; <see cref="Text"/> is the string's value (null if interpolated) or the identifier/punctuation.</summary>
    private readonly record struct Token(Kind Kind, string? Text);

    /// <summary>Setting names, in file order, without duplicates.</summary>
    public static IReadOnlyList<string> ReadAppSettingNames(string bicepText)
    {
        var tokens = Tokenize(bicepText);
        var names = new List<string>();
        for (var i = 0; i + 2 < tokens.Count; i++)
        {
            if (tokens[i] is not { Kind: Kind.Identifier, Text: "appSettings" }
                || tokens[i + 1] is not { Kind: Kind.Punct, Text: ":" or "=" })
            {
                continue;
            }

            var open = tokens[i + 2];
            if (open is { Kind: Kind.Punct, Text: "{" })
            {
                i = CollectObjectKeys(tokens, i + 2, names);
            }
            else if (open is { Kind: Kind.Punct, Text: "[" })
            {
                i = CollectArrayNames(tokens, i + 2, names);
            }
        }

        return names.Distinct(StringComparer.Ordinal).ToList();
    }

    // Keys at depth 1 of the object starting at tokens[start] ('{'): a name or literal string right
    // after '{', ',' or a newline, followed by ':'. Returns the index of the closing brace.
    private static int CollectObjectKeys(List<Token> tokens, int start, List<string> names)
    {
        var depth = 0;
        for (var i = start; i < tokens.Count; i++)
        {
            var t = tokens[i];
            if (t.Kind == Kind.Punct && t.Text is "{" or "[" or "(")
            {
                depth++;
            }
            else if (t.Kind == Kind.Punct && t.Text is "}" or "]" or ")")
            {
                if (--depth == 0)
                {
                    return i;
                }
            }
            else if (depth == 1
                && t.Kind is Kind.Identifier or Kind.String
                && t.Text is not null
                && i + 1 < tokens.Count && tokens[i + 1] is { Kind: Kind.Punct, Text: ":" }
                && tokens[i - 1] is { Kind: Kind.Newline } or { Kind: Kind.Punct, Text: "{" or "," })
            {
                names.Add(t.Text);
            }
        }

        return tokens.Count;
    }

    // `name: '<literal>'` inside the objects of the array starting at tokens[start] ('[').
    private static int CollectArrayNames(List<Token> tokens, int start, List<string> names)
    {
        var depth = 0;
        for (var i = start; i < tokens.Count; i++)
        {
            var t = tokens[i];
            if (t.Kind == Kind.Punct && t.Text is "{" or "[" or "(")
            {
                depth++;
            }
            else if (t.Kind == Kind.Punct && t.Text is "}" or "]" or ")")
            {
                if (--depth == 0)
                {
                    return i;
                }
            }
            else if (depth == 2
                && t is { Kind: Kind.Identifier, Text: "name" }
                && i + 2 < tokens.Count
                && tokens[i + 1] is { Kind: Kind.Punct, Text: ":" }
                && tokens[i + 2] is { Kind: Kind.String, Text: not null })
            {
                names.Add(tokens[i + 2].Text!);
            }
        }

        return tokens.Count;
    }

    private static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '/' && i + 1 < text.Length && text[i + 1] == '/')
            {
                i = text.IndexOf('\n', i) is var nl && nl < 0 ? text.Length : nl;
            }
            else if (c == '/' && i + 1 < text.Length && text[i + 1] == '*')
            {
                i = text.IndexOf("*/", i + 2, StringComparison.Ordinal) is var end && end < 0 ? text.Length : end + 2;
            }
            else if (c == '\'')
            {
                i = ReadString(text, i, out var value);
                tokens.Add(new Token(Kind.String, value));
            }
            else if (char.IsLetter(c) || c == '_')
            {
                var start = i;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_'))
                {
                    i++;
                }

                tokens.Add(new Token(Kind.Identifier, text[start..i]));
            }
            else if (c == '\n')
            {
                tokens.Add(new Token(Kind.Newline, null));
                i++;
            }
            else if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else
            {
                tokens.Add(new Token(Kind.Punct, c.ToString()));
                i++;
            }
        }

        return tokens;
    }

    // Reads a string starting at text[start] (a quote). value is null when the string interpolates.
    // Returns the index just past the closing quote.
    private static int ReadString(string text, int start, out string? value)
    {
        if (string.CompareOrdinal(text, start, "'''", 0, 3) == 0)
        {
            var end = text.IndexOf("'''", start + 3, StringComparison.Ordinal);
            end = end < 0 ? text.Length : end;
            value = text[(start + 3)..end];
            return Math.Min(text.Length, end + 3);
        }

        var sb = new StringBuilder();
        var interpolated = false;
        var i = start + 1;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\\' && i + 1 < text.Length)
            {
                sb.Append(text[i + 1]);
                i += 2;
            }
            else if (c == '\'')
            {
                value = interpolated ? null : sb.ToString();
                return i + 1;
            }
            else if (c == '$' && i + 1 < text.Length && text[i + 1] == '{')
            {
                interpolated = true;
                i = SkipInterpolation(text, i + 2);
            }
            else
            {
                sb.Append(c);
                i++;
            }
        }

        value = interpolated ? null : sb.ToString();
        return i;
    }

    // Skips an interpolation body (after "${") up to its matching '}', stepping over nested strings.
    private static int SkipInterpolation(string text, int i)
    {
        var depth = 1;
        while (i < text.Length && depth > 0)
        {
            var c = text[i];
            if (c == '\'')
            {
                i = ReadString(text, i, out _);
                continue;
            }

            depth += c switch { '{' => 1, '}' => -1, _ => 0 };
            i++;
        }

        return i;
    }
}
