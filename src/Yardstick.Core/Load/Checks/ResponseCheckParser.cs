using System.Globalization;
using System.Text;

namespace Yardstick.Core.Load.Checks;

/// <summary>
/// Parses response checks. One check is one line:
/// <code>
/// status in [200, 201]          status == 200          status &lt; 400          (==, !=, &lt;, &lt;=, &gt;, &gt;=)
/// header content-type ~ json    header x-ver == "2"    header etag exists     (~ is contains, case-insensitive)
/// body contains "ok"            body !contains error
/// json $.status == "ok"         json $.items.length &gt; 0   json $.items[0].id exists   json $.paid == true
/// size &lt;= 64KB                  (body bytes; B, KB, MB, KiB, MiB; counted, never buffered)
/// latency &lt; 500ms              (send to last byte; us, ms, s)
/// </code>
/// Text after <c>~</c>, <c>==</c>, <c>!=</c> and <c>contains</c> is either a double-quoted string (JSON escapes) or the
/// rest of the line, trimmed. A JSON path is <c>$</c> followed by <c>.name</c> and <c>[index]</c> segments, optionally
/// ending in <c>.length</c>; JSON values are numbers, "strings", true, false or null.
/// </summary>
public static class ResponseCheckParser
{
    /// <summary>Longest expression accepted: a check is a line, not a document.</summary>
    public const int MaxExpressionLength = 512;

    /// <summary>Most checks one request may carry (their failures travel as bits of one word).</summary>
    public const int MaxChecksPerRequest = 32;

    /// <summary>Parses a check; throws <see cref="InputException"/> naming <paramref name="field"/> when it is not valid.</summary>
    public static ResponseCheck Parse(CheckSpec spec, string field) =>
        TryParse(spec, out var check, out var error) ? check! : throw new InputException(field, error!);

    /// <summary>Parses a check; on failure returns false with a message that quotes the expression and says what to write.</summary>
    public static bool TryParse(CheckSpec spec, out ResponseCheck? check, out string? error)
    {
        ArgumentNullException.ThrowIfNull(spec);
        check = null;
        error = null;
        var text = spec.Expression?.Trim() ?? "";
        if (text.Length == 0)
        {
            error = "the check is empty; write for example 'status in [200]' or 'json $.status == \"ok\"'.";
            return false;
        }

        if (text.Length > MaxExpressionLength)
        {
            error = $"the check is {text.Length} characters long; at most {MaxExpressionLength} are accepted.";
            return false;
        }

        if (spec.Name is { Length: > 200 })
        {
            error = "the check's name is longer than 200 characters.";
            return false;
        }

        var reader = new Reader(text);
        try
        {
            var subject = reader.Word();
            var parsed = subject switch
            {
                "status" => ParseStatus(reader),
                "header" => ParseHeader(reader),
                "body" => ParseBody(reader),
                "json" => ParseJson(reader),
                "size" => ParseSize(reader),
                "latency" => ParseLatency(reader),
                _ => throw new CheckSyntaxException(
                    $"'{subject}' is not something a check can look at; start with status, header, body, json, size or latency."),
            };
            if (!reader.AtEnd)
            {
                throw new CheckSyntaxException($"unexpected '{reader.Rest}' at the end.");
            }

            var name = spec.DisplayName;
            check = parsed with { Name = name, Expression = text, FailureText = $"check '{name}' failed" };
            return true;
        }
        catch (CheckSyntaxException e)
        {
            error = $"cannot parse '{text}': {e.Message}";
            return false;
        }
    }

    private static ResponseCheck ParseStatus(Reader reader)
    {
        if (reader.TryWord("in"))
        {
            reader.Expect('[');
            var codes = new List<int>();
            do
            {
                codes.Add(StatusCode(reader.Number("a status code")));
            }
            while (reader.TryChar(','));

            reader.Expect(']');
            return New(CheckSubject.Status, CheckOperator.In) with { Codes = codes };
        }

        var op = reader.Operator("status");
        return New(CheckSubject.Status, op) with { Number = StatusCode(reader.Number("a status code")) };
    }

    private static int StatusCode(double value) =>
        value is >= 100 and <= 999 && value == Math.Floor(value)
            ? (int)value
            : throw new CheckSyntaxException($"{value.ToString(CultureInfo.InvariantCulture)} is not an HTTP status code (100-999).");

    private static ResponseCheck ParseHeader(Reader reader)
    {
        var name = reader.Token();
        if (name.Length == 0 || !name.All(IsTokenChar))
        {
            throw new CheckSyntaxException("a header check names the header: 'header content-type ~ json'.");
        }

        if (reader.TryWord("exists"))
        {
            return New(CheckSubject.Header, CheckOperator.Exists) with { HeaderName = name };
        }

        CheckOperator op;
        if (reader.TryChar('~'))
        {
            op = CheckOperator.Contains;
        }
        else
        {
            op = reader.Operator("header " + name);
            if (op is not (CheckOperator.Equal or CheckOperator.NotEqual))
            {
                throw new CheckSyntaxException("a header is compared with ~ (contains), == or !=, or tested with 'exists'.");
            }
        }

        return New(CheckSubject.Header, op) with { HeaderName = name, Text = reader.TextValue() };
    }

    private static ResponseCheck ParseBody(Reader reader)
    {
        CheckOperator op;
        if (reader.TryWord("contains"))
        {
            op = CheckOperator.Contains;
        }
        else if (reader.TryWord("!contains"))
        {
            op = CheckOperator.NotContains;
        }
        else
        {
            throw new CheckSyntaxException("a body check is 'body contains TEXT' or 'body !contains TEXT' (use 'json' for JSON values, 'size' for the length).");
        }

        var text = reader.TextValue();
        if (text.Length == 0)
        {
            throw new CheckSyntaxException("the text to look for is empty.");
        }

        return New(CheckSubject.Body, op) with { Text = text, TextUtf8 = Encoding.UTF8.GetBytes(text) };
    }

    private static ResponseCheck ParseJson(Reader reader)
    {
        var (path, length) = reader.JsonPath();
        if (reader.TryWord("exists"))
        {
            if (length)
            {
                throw new CheckSyntaxException("'exists' tests the value itself; drop '.length'.");
            }

            return New(CheckSubject.Json, CheckOperator.Exists) with { Path = path };
        }

        var op = reader.Operator("json path");
        var check = New(CheckSubject.Json, op) with { Path = path, Length = length };
        if (reader.Peek() == '"')
        {
            check = check with { Literal = JsonLiteralKind.String, Text = reader.Quoted() };
        }
        else if (reader.TryWord("true"))
        {
            check = check with { Literal = JsonLiteralKind.True };
        }
        else if (reader.TryWord("false"))
        {
            check = check with { Literal = JsonLiteralKind.False };
        }
        else if (reader.TryWord("null"))
        {
            check = check with { Literal = JsonLiteralKind.Null };
        }
        else if (reader.Peek() is '-' or (>= '0' and <= '9'))
        {
            check = check with { Literal = JsonLiteralKind.Number, Number = reader.Number("a number") };
        }
        else
        {
            throw new CheckSyntaxException(reader.AtEnd
                ? "a value is missing after the operator (a number, \"string\", true, false or null)."
                : $"'{reader.Rest}' is not a JSON value; write a number, a \"quoted string\", true, false or null.");
        }

        if (check.Literal != JsonLiteralKind.Number && op is not (CheckOperator.Equal or CheckOperator.NotEqual))
        {
            throw new CheckSyntaxException("only numbers are ordered; compare strings, true, false and null with == or !=.");
        }

        if (length && check.Literal != JsonLiteralKind.Number)
        {
            throw new CheckSyntaxException("'.length' is a number; compare it with a number.");
        }

        return check;
    }

    private static ResponseCheck ParseSize(Reader reader)
    {
        var op = reader.Operator("size");
        var value = reader.Number("a size");
        var unit = reader.Unit();
        double? factor = unit switch
        {
            "" or "B" or "b" => 1,
            "KB" or "kB" or "kb" => 1000,
            "MB" or "mb" => 1000 * 1000,
            "KiB" => 1024,
            "MiB" => 1024 * 1024,
            _ => null,
        };
        if (factor is null)
        {
            throw new CheckSyntaxException($"'{unit}' is not a size unit; use B, KB, MB, KiB or MiB.");
        }

        return New(CheckSubject.Size, op) with { Number = value * factor.Value };
    }

    private static ResponseCheck ParseLatency(Reader reader)
    {
        var op = reader.Operator("latency");
        if (op is not (CheckOperator.Less or CheckOperator.LessOrEqual))
        {
            throw new CheckSyntaxException("latency is bounded from above: 'latency < 500ms' or 'latency <= 1s'.");
        }

        var value = reader.Number("a duration");
        var unit = reader.Unit();
        double? factor = unit switch
        {
            "us" or "µs" => 0.001,
            "ms" => 1,
            "s" => 1000,
            _ => null,
        };
        if (factor is null)
        {
            throw new CheckSyntaxException(unit.Length == 0 ? "latency needs a unit: us, ms or s (for example 500ms)." : $"'{unit}' is not a time unit; use us, ms or s.");
        }

        return New(CheckSubject.Latency, op) with { Number = value * factor.Value };
    }

    private static ResponseCheck New(CheckSubject subject, CheckOperator op) =>
        new() { Name = "", Expression = "", Subject = subject, Operator = op };

    private static bool IsTokenChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || "!#$%&'*+.^_`|~-".Contains(c, StringComparison.Ordinal);

    private sealed class CheckSyntaxException(string message) : Exception(message);

    /// <summary>A cursor over the expression.</summary>
    private sealed class Reader(string text)
    {
        private int _at;

        public bool AtEnd
        {
            get
            {
                SkipSpace();
                return _at >= text.Length;
            }
        }

        public string Rest => text[_at..];

        public char Peek()
        {
            SkipSpace();
            return _at < text.Length ? text[_at] : '\0';
        }

        /// <summary>A word: letters, digits, '!', '_' and '-'.</summary>
        public string Word()
        {
            SkipSpace();
            var start = _at;
            while (_at < text.Length && (char.IsAsciiLetterOrDigit(text[_at]) || text[_at] is '_' or '-' or '!'))
            {
                _at++;
            }

            return text[start.._at];
        }

        public bool TryWord(string word)
        {
            SkipSpace();
            var end = _at + word.Length;
            if (end <= text.Length && string.CompareOrdinal(text, _at, word, 0, word.Length) == 0
                && (end == text.Length || !(char.IsAsciiLetterOrDigit(text[end]) || text[end] is '_' or '-')))
            {
                _at = end;
                return true;
            }

            return false;
        }

        /// <summary>A header name: anything up to white space or an operator character.</summary>
        public string Token()
        {
            SkipSpace();
            var start = _at;
            while (_at < text.Length && !char.IsWhiteSpace(text[_at]) && text[_at] is not ('~' or '=' or '<' or '>') && !(text[_at] == '!' && _at + 1 < text.Length && text[_at + 1] == '='))
            {
                _at++;
            }

            return text[start.._at];
        }

        public bool TryChar(char c)
        {
            SkipSpace();
            if (_at < text.Length && text[_at] == c)
            {
                _at++;
                return true;
            }

            return false;
        }

        public void Expect(char c)
        {
            if (!TryChar(c))
            {
                throw new CheckSyntaxException(AtEnd ? $"'{c}' is missing at the end." : $"expected '{c}' at '{Rest}'.");
            }
        }

        public CheckOperator Operator(string what)
        {
            SkipSpace();
            var start = _at;
            while (_at < text.Length && text[_at] is '=' or '!' or '<' or '>')
            {
                _at++;
            }

            return text[start.._at] switch
            {
                "==" => CheckOperator.Equal,
                "!=" => CheckOperator.NotEqual,
                "<" => CheckOperator.Less,
                "<=" => CheckOperator.LessOrEqual,
                ">" => CheckOperator.Greater,
                ">=" => CheckOperator.GreaterOrEqual,
                "" => throw new CheckSyntaxException(_at >= text.Length
                    ? $"an operator is missing after {what} (==, !=, <, <=, > or >=)."
                    : $"expected an operator (==, !=, <, <=, > or >=) after {what}, found '{Rest}'."),
                var other => throw new CheckSyntaxException($"'{other}' is not an operator; use ==, != , <, <=, > or >=."),
            };
        }

        public double Number(string what)
        {
            SkipSpace();
            var start = _at;
            if (_at < text.Length && text[_at] == '-')
            {
                _at++;
            }

            while (_at < text.Length && (char.IsAsciiDigit(text[_at]) || text[_at] is '.' or 'e' or 'E' || (text[_at] is '+' or '-' && text[_at - 1] is 'e' or 'E')))
            {
                _at++;
            }

            var number = text[start.._at];
            if (number.Length == 0)
            {
                throw new CheckSyntaxException(_at >= text.Length ? $"{what} is missing at the end." : $"expected {what}, found '{Rest}'.");
            }

            return double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
                ? value
                : throw new CheckSyntaxException($"'{number}' is not a number.");
        }

        /// <summary>Letters (and µ) right after a number.</summary>
        public string Unit()
        {
            var start = _at;
            while (_at < text.Length && (char.IsAsciiLetter(text[_at]) || text[_at] == 'µ'))
            {
                _at++;
            }

            return text[start.._at];
        }

        /// <summary>A "quoted string" or the rest of the line, trimmed.</summary>
        public string TextValue()
        {
            SkipSpace();
            if (_at < text.Length && text[_at] == '"')
            {
                return Quoted();
            }

            var rest = text[_at..].Trim();
            _at = text.Length;
            if (rest.Length == 0)
            {
                throw new CheckSyntaxException("the text to compare with is missing.");
            }

            return rest;
        }

        public string Quoted()
        {
            SkipSpace();
            var start = _at;
            _at++;
            var escaped = false;
            while (_at < text.Length && (escaped || text[_at] != '"'))
            {
                escaped = !escaped && text[_at] == '\\';
                _at++;
            }

            if (_at >= text.Length)
            {
                throw new CheckSyntaxException("a string is not closed with '\"'.");
            }

            _at++;
            try
            {
                return System.Text.Json.JsonSerializer.Deserialize<string>(text.AsSpan(start, _at - start))!;
            }
            catch (System.Text.Json.JsonException)
            {
                throw new CheckSyntaxException($"{text[start.._at]} is not a valid string (JSON escapes only).");
            }
        }

        public (IReadOnlyList<JsonPathSegment> Path, bool Length) JsonPath()
        {
            SkipSpace();
            if (_at >= text.Length || text[_at] != '$')
            {
                throw new CheckSyntaxException("a JSON path starts with '$', for example $.items[0].id.");
            }

            _at++;
            var segments = new List<JsonPathSegment>();
            var dotLength = false;
            while (_at < text.Length && text[_at] is '.' or '[')
            {
                if (segments.Count >= 32)
                {
                    throw new CheckSyntaxException("the JSON path has more than 32 segments.");
                }

                if (text[_at] == '.')
                {
                    _at++;
                    var start = _at;
                    while (_at < text.Length && (char.IsAsciiLetterOrDigit(text[_at]) || text[_at] is '_' or '-'))
                    {
                        _at++;
                    }

                    if (_at == start)
                    {
                        throw new CheckSyntaxException("a '.' in the JSON path must be followed by a property name (use [\"odd name\"] for others).");
                    }

                    segments.Add(new JsonPathSegment(text[start.._at], 0));
                    dotLength = text[start.._at] == "length";
                }
                else
                {
                    _at++;
                    if (_at < text.Length && text[_at] == '"')
                    {
                        segments.Add(new JsonPathSegment(Quoted(), 0));
                    }
                    else
                    {
                        var start = _at;
                        while (_at < text.Length && char.IsAsciiDigit(text[_at]))
                        {
                            _at++;
                        }

                        if (_at == start || !int.TryParse(text.AsSpan(start, _at - start), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                        {
                            throw new CheckSyntaxException("an index in the JSON path is a non-negative integer: [0].");
                        }

                        segments.Add(new JsonPathSegment(null, index));
                    }

                    if (_at >= text.Length || text[_at] != ']')
                    {
                        throw new CheckSyntaxException("']' is missing in the JSON path.");
                    }

                    _at++;
                    dotLength = false;
                }
            }

            if (_at < text.Length && !char.IsWhiteSpace(text[_at]))
            {
                throw new CheckSyntaxException($"unexpected '{text[_at]}' in the JSON path.");
            }

            return (dotLength ? segments.GetRange(0, segments.Count - 1) : segments, dotLength);
        }

        private void SkipSpace()
        {
            while (_at < text.Length && char.IsWhiteSpace(text[_at]))
            {
                _at++;
            }
        }
    }
}
