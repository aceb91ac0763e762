using System.Text;
using Yardstick.Core.Load.Safety;

namespace Yardstick.Core.Replay;

/// <summary>
/// Turns a recorded request URL (Application Insights <c>AppRequests.Url</c>) into a trace line's <c>path</c>: the
/// origin form (path and query, no scheme, host or fragment) the trace format requires, with query values replaced by
/// <see cref="Redacted"/>. Parameter names are kept, so a replay sends the same query shape. With
/// <c>keepQuery</c> the values stay, except those of secret-looking parameters (<see cref="Redaction.IsSecretQueryParameter"/>:
/// <c>code</c>, <c>sig</c>, <c>key</c>, <c>token</c>…), which are redacted always: a trace file is shared and
/// committed, a function key or SAS signature in it would be a leaked credential.
/// </summary>
public static class TracePaths
{
    /// <summary>What a redacted query value reads.</summary>
    public const string Redacted = "REDACTED";

    /// <summary>The longest path a trace line may hold (the format's 8 KiB).</summary>
    public const int MaxLength = 8 * 1024;

    /// <summary>HTTP methods recognised as the first word of a request name (<c>GET /api/items</c>).</summary>
    private static readonly HashSet<string> Methods = new(StringComparer.OrdinalIgnoreCase)
    {
        "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "CONNECT",
    };

    /// <summary>
    /// The origin-form path of <paramref name="url"/> (absolute http(s) URL, or already a path starting with
    /// <c>/</c>), or null when it has none usable: empty, another scheme, or longer than <see cref="MaxLength"/>.
    /// </summary>
    public static string? FromUrl(string? url, bool keepQuery)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return null;
        }

        string path;
        string query;
        if (url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal))
        {
            // Already origin form: resolve against a placeholder host so escaping and dot segments match a full URL's.
            if (!Uri.TryCreate(new Uri("http://placeholder.invalid"), url, out var relative))
            {
                return null;
            }

            (path, query) = (relative.AbsolutePath, relative.Query);
        }
        else if (Uri.TryCreate(url.Trim(), UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https")
        {
            (path, query) = (absolute.AbsolutePath, absolute.Query);
        }
        else
        {
            return null;
        }

        var builder = new StringBuilder(path.Length + query.Length);
        // "//x" would read as a host to a URL parser (the format refuses it): one leading slash.
        builder.Append('/').Append(path.AsSpan().TrimStart('/'));
        AppendQuery(builder, query, keepQuery);
        Escape(builder);
        return builder.Length <= MaxLength ? builder.ToString() : null;
    }

    /// <summary>The HTTP method a request name starts with (<c>POST /api/orders</c> → POST), else GET.</summary>
    public static string MethodFromName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "GET";
        }

        var trimmed = name.TrimStart();
        var end = trimmed.IndexOf(' ', StringComparison.Ordinal);
        var first = end < 0 ? trimmed : trimmed[..end];
        return Methods.Contains(first) ? first.ToUpperInvariant() : "GET";
    }

    private static void AppendQuery(StringBuilder builder, string query, bool keepQuery)
    {
        if (query.Length <= 1)
        {
            return;
        }

        var separator = '?';
        foreach (var part in query[1..].Split('&'))
        {
            if (part.Length == 0)
            {
                continue;
            }

            builder.Append(separator);
            separator = '&';
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
            {
                // A bare flag (?debug) has no value to hide.
                builder.Append(part);
                continue;
            }

            var name = part[..eq];
            builder.Append(name).Append('=');
            builder.Append(keepQuery && !Redaction.IsSecretQueryParameter(Decode(name)) ? part[(eq + 1)..] : Redacted);
        }
    }

    /// <summary>
    /// System.Uri leaves a few characters the trace format refuses (backslash in a query, say) as they were: escape
    /// what is left so the line always reads back.
    /// </summary>
    private static void Escape(StringBuilder builder)
    {
        for (var i = 0; i < builder.Length; i++)
        {
            var c = builder[i];
            if (c == '\\' || char.IsWhiteSpace(c) || char.IsControl(c))
            {
                var escaped = Uri.EscapeDataString(c.ToString());
                builder.Remove(i, 1).Insert(i, escaped);
                i += escaped.Length - 1;
            }
        }
    }

    private static string Decode(string name)
    {
        try
        {
            return Uri.UnescapeDataString(name.Replace('+', ' '));
        }
        catch (UriFormatException)
        {
            return name;
        }
    }
}
