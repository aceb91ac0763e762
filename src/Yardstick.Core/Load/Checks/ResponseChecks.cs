using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Yardstick.Core.Load.Transports;

namespace Yardstick.Core.Load.Checks;

/// <summary>
/// One request's checks, parsed once per shard. <see cref="Evaluate"/> runs them on a full response and returns a bit
/// per failed check. Status, size and latency checks read only the <see cref="ExchangeResult"/>; header checks need
/// their headers captured and body/json checks the body (<see cref="ResponseCapture"/>, bounded).
/// </summary>
public sealed class ResponseChecks
{
    private readonly ResponseCheck[] _checks;

    private ResponseChecks(ResponseCheck[] checks)
    {
        _checks = checks;
        NeedsBody = checks.Any(c => c.NeedsBody);
        var headers = checks.Where(c => c.Subject == CheckSubject.Header).Select(c => c.HeaderName!.ToLowerInvariant()).Distinct().ToArray();
        HeaderNames = headers;
        HeaderNameBytes = headers.Select(Encoding.ASCII.GetBytes).ToArray();
        HeaderSlots = checks.Select(c => c.Subject == CheckSubject.Header ? Array.IndexOf(headers, c.HeaderName!.ToLowerInvariant()) : -1).ToArray();
    }

    /// <summary>The checks in workload order (bit <c>i</c> of a failure mask is check <c>i</c>).</summary>
    public IReadOnlyList<ResponseCheck> Checks => _checks;

    public int Count => _checks.Length;

    /// <summary>Some check reads the body: the transport buffers it (up to <see cref="ResponseCapture.MaxBodyBytes"/>).</summary>
    public bool NeedsBody { get; }

    /// <summary>Lower-case names of the headers the checks read; the transport captures only these.</summary>
    public IReadOnlyList<string> HeaderNames { get; }

    internal byte[][] HeaderNameBytes { get; }

    /// <summary>Whether the transport must capture anything besides status, size and timing.</summary>
    public bool NeedsCapture => NeedsBody || HeaderNames.Count > 0;

    private int[] HeaderSlots { get; }

    /// <summary>Parses the checks of one request; null when there are none.</summary>
    /// <param name="specs">The checks as written.</param>
    /// <param name="field">The field they came from (<c>requests[1].checks</c>): errors name <c>requests[1].checks[0]</c>.</param>
    /// <exception cref="InputException">A check does not parse, or there are too many.</exception>
    public static ResponseChecks? Compile(IReadOnlyList<CheckSpec>? specs, string field)
    {
        if (specs is null || specs.Count == 0)
        {
            return null;
        }

        if (specs.Count > ResponseCheckParser.MaxChecksPerRequest)
        {
            throw new InputException(field, $"{specs.Count} checks; at most {ResponseCheckParser.MaxChecksPerRequest} per request.");
        }

        var checks = new ResponseCheck[specs.Count];
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < specs.Count; i++)
        {
            checks[i] = ResponseCheckParser.Parse(specs[i], $"{field}[{i}]");
            if (!names.Add(checks[i].Name))
            {
                throw new InputException($"{field}[{i}]", $"another check of this request is also named '{checks[i].Name}'; check names key their counts, so give one a name: {{ name: …, expect: … }}.");
            }
        }

        return new ResponseChecks(checks);
    }

    /// <summary>
    /// Runs every check on a full response (<see cref="ExchangeOutcome.Response"/>). Returns a mask with bit <c>i</c>
    /// set when check <c>i</c> failed (0: all passed). Allocates nothing for status, size and latency checks.
    /// </summary>
    public uint Evaluate(in ExchangeResult result, ResponseCapture? capture)
    {
        uint failed = 0;
        JsonDocument? json = null;
        var jsonTried = false;
        try
        {
            for (var i = 0; i < _checks.Length; i++)
            {
                var check = _checks[i];
                bool ok;
                switch (check.Subject)
                {
                    case CheckSubject.Status:
                        ok = check.Operator == CheckOperator.In ? Contains(check.Codes, result.StatusCode) : Compare(result.StatusCode, check.Operator, check.Number);
                        break;
                    case CheckSubject.Size:
                        ok = Compare(result.BytesReceived, check.Operator, check.Number);
                        break;
                    case CheckSubject.Latency:
                        ok = Compare(Stopwatch.GetElapsedTime(result.StartTimestamp, result.EndTimestamp).TotalMilliseconds, check.Operator, check.Number);
                        break;
                    case CheckSubject.Header:
                        ok = HeaderOk(check, capture?.Header(HeaderSlots[i]));
                        break;
                    case CheckSubject.Body:
                        ok = capture is { BodyTruncated: false } && (capture.Body.IndexOf(check.TextUtf8) >= 0) == (check.Operator == CheckOperator.Contains);
                        break;
                    default:
                        if (!jsonTried)
                        {
                            jsonTried = true;
                            json = ParseJson(capture);
                        }

                        ok = json is not null && JsonOk(check, json.RootElement);
                        break;
                }

                if (!ok)
                {
                    failed |= 1u << i;
                }
            }
        }
        finally
        {
            json?.Dispose();
        }

        return failed;
    }

    /// <summary>The error text of a failure mask: the first failed check's.</summary>
    public string Describe(uint failed) => _checks[System.Numerics.BitOperations.TrailingZeroCount(failed)].FailureText;

    private static bool Contains(IReadOnlyList<int> codes, int code)
    {
        for (var i = 0; i < codes.Count; i++)
        {
            if (codes[i] == code)
            {
                return true;
            }
        }

        return false;
    }

    private static bool Compare(double actual, CheckOperator op, double expected) => op switch
    {
        CheckOperator.Equal => actual == expected,
        CheckOperator.NotEqual => actual != expected,
        CheckOperator.Less => actual < expected,
        CheckOperator.LessOrEqual => actual <= expected,
        CheckOperator.Greater => actual > expected,
        CheckOperator.GreaterOrEqual => actual >= expected,
        _ => false,
    };

    private static bool HeaderOk(ResponseCheck check, string? value) => check.Operator switch
    {
        CheckOperator.Exists => value is not null,
        CheckOperator.Contains => value is not null && value.Contains(check.Text!, StringComparison.OrdinalIgnoreCase),
        CheckOperator.Equal => value is not null && string.Equals(value, check.Text, StringComparison.Ordinal),
        CheckOperator.NotEqual => !string.Equals(value, check.Text, StringComparison.Ordinal),
        _ => false,
    };

    private static JsonDocument? ParseJson(ResponseCapture? capture)
    {
        if (capture is null || capture.BodyTruncated)
        {
            return null;
        }

        try
        {
            return JsonDocument.Parse(capture.BodyMemory, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool JsonOk(ResponseCheck check, JsonElement root)
    {
        var found = Navigate(root, check.Path, out var value);
        if (check.Operator == CheckOperator.Exists)
        {
            return found;
        }

        if (!found)
        {
            return check.Operator == CheckOperator.NotEqual;
        }

        if (check.Length)
        {
            double? length = value.ValueKind switch
            {
                JsonValueKind.Array => value.GetArrayLength(),
                JsonValueKind.String => value.GetString()!.Length,
                JsonValueKind.Object => value.EnumerateObject().Count(),
                _ => null,
            };
            return length is { } n && Compare(n, check.Operator, check.Number);
        }

        var equal = check.Literal switch
        {
            JsonLiteralKind.Number => value.ValueKind == JsonValueKind.Number ? (bool?)null : false,
            JsonLiteralKind.String => value.ValueKind == JsonValueKind.String && value.ValueEquals(check.Text),
            JsonLiteralKind.True => value.ValueKind == JsonValueKind.True,
            JsonLiteralKind.False => value.ValueKind == JsonValueKind.False,
            _ => value.ValueKind == JsonValueKind.Null,
        };
        if (equal is null)
        {
            return Compare(value.GetDouble(), check.Operator, check.Number);
        }

        return check.Operator == CheckOperator.NotEqual ? !equal.Value : equal.Value && check.Operator == CheckOperator.Equal;
    }

    private static bool Navigate(JsonElement element, IReadOnlyList<JsonPathSegment> path, out JsonElement value)
    {
        value = element;
        foreach (var segment in path)
        {
            if (segment.Property is { } name)
            {
                if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty(name, out value))
                {
                    return false;
                }
            }
            else if (value.ValueKind != JsonValueKind.Array || segment.Index >= value.GetArrayLength())
            {
                return false;
            }
            else
            {
                value = value[segment.Index];
            }
        }

        return true;
    }
}
