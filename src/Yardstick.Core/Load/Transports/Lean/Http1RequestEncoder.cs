using System.Buffers;
using System.Text;

namespace Yardstick.Core.Load.Transports.Lean;

/// <summary>
/// Encodes a request template into the exact HTTP/1.1 bytes sent for every request: request line
/// (path and query), Host (with the port when it is not the scheme's default), the template headers,
/// Content-Length when there is a body (or the method expects one), then the body. Done once per template.
/// </summary>
internal static class Http1RequestEncoder
{
    private static readonly string[] MethodsWithContent = ["POST", "PUT", "PATCH"];

    /// <summary>Visible ASCII, space and tab: what a field value may hold (RFC 9110 §5.5, without obs-text).</summary>
    private static readonly SearchValues<char> FieldValueChars =
        SearchValues.Create(Enumerable.Range(0x20, 0x7f - 0x20).Select(i => (char)i).Append('\t').ToArray());

    private static readonly SearchValues<char> TokenChars =
        SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    /// <summary>The bytes of one request. Throws <see cref="InputException"/> for values that cannot go on the wire.</summary>
    public static byte[] Encode(RequestTemplate request, Uri uri)
    {
        CheckMethod(request.Method, "target.method");
        var body = request.Body is null ? [] : Encoding.UTF8.GetBytes(request.Body);
        var text = new StringBuilder(256);
        text.Append(request.Method).Append(' ').Append(uri.PathAndQuery).Append(" HTTP/1.1\r\n");

        var hasHost = false;
        foreach (var header in request.Headers)
        {
            CheckHeader(header.Name, header.Value, $"target.headers.{header.Name}");
            hasHost |= header.Name.Equals("Host", StringComparison.OrdinalIgnoreCase);
        }

        if (!hasHost)
        {
            // Uri.IdnHost drops the brackets of an IPv6 literal; Uri.Host keeps them.
            text.Append("Host: ").Append(uri.HostNameType == UriHostNameType.IPv6 ? uri.Host : uri.IdnHost);
            if (!uri.IsDefaultPort)
            {
                text.Append(':').Append(uri.Port);
            }

            text.Append("\r\n");
        }

        foreach (var header in request.Headers)
        {
            text.Append(header.Name).Append(": ").Append(header.Value.Trim()).Append("\r\n");
        }

        if (request.Body is not null || ExpectsContent(request.Method))
        {
            text.Append("Content-Length: ").Append(body.Length).Append("\r\n");
        }

        text.Append("\r\n");
        var head = Encoding.ASCII.GetBytes(text.ToString());
        return [.. head, .. body];
    }

    /// <summary>Throws <see cref="InputException"/> naming <paramref name="field"/> unless the method is an HTTP token.</summary>
    public static void CheckMethod(string method, string field)
    {
        if (!IsToken(method))
        {
            throw new InputException(field, $"'{method}' is not a valid HTTP method token.");
        }
    }

    /// <summary>
    /// Throws <see cref="InputException"/> naming <paramref name="field"/> (never quoting the value: it may be a resolved
    /// secret) when the header cannot go on the wire as written.
    /// </summary>
    public static void CheckHeader(string name, string value, string field)
    {
        if (!IsToken(name))
        {
            throw new InputException(field, "header names must be HTTP tokens (letters, digits and !#$%&'*+-.^_`|~).");
        }

        if (value.AsSpan().ContainsAnyExcept(FieldValueChars))
        {
            throw new InputException(field, "header values must be printable ASCII (no CR, LF or control characters).");
        }

        if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) || name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
        {
            throw new InputException(field, "the transport frames the body itself; remove this header.");
        }
    }

    /// <summary>Methods that get a Content-Length even without a body.</summary>
    public static bool ExpectsContent(string method) => MethodsWithContent.Contains(method, StringComparer.OrdinalIgnoreCase);

    /// <summary>Methods a client may repeat after a stale keep-alive connection failed (RFC 9110 §9.2.2).</summary>
    public static bool IsIdempotent(string method) =>
        method.ToUpperInvariant() is "GET" or "HEAD" or "OPTIONS" or "TRACE" or "PUT" or "DELETE";

    private static bool IsToken(string value) => value.Length > 0 && !value.AsSpan().ContainsAnyExcept(TokenChars);
}
