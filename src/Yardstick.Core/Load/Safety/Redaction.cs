using System.Text.RegularExpressions;

namespace Yardstick.Core.Load.Safety;

/// <summary>
/// Keeps secrets out of logs and stored results: Authorization-like headers and <c>code</c>, <c>key</c>,
/// <c>sig</c> (and similar) query values are replaced by <c>***</c>.
/// </summary>
public static partial class Redaction
{
    public const string Mask = "***";

    /// <summary>The parameter names of <see cref="SecretQuery"/>, for callers that parse a query themselves.</summary>
    private static readonly HashSet<string> SecretQueryNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "code", "key", "sig", "signature", "token", "access_token", "secret", "password", "pwd", "apikey", "api-key", "subscription-key",
    };

    private static readonly HashSet<string> SecretHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie", "x-functions-key", "x-api-key",
        "api-key", "Ocp-Apim-Subscription-Key",
    };

    /// <summary>Parts that make a header name secret-looking wherever they appear (<c>X-Refresh-Token</c>, <c>X-Client-Secret</c>, <c>X-Api-Key</c>).</summary>
    private static readonly string[] SecretHeaderParts = ["token", "secret", "password", "passwd", "apikey", "api-key", "api_key", "authorization", "cookie", "credential"];

    /// <summary>
    /// Whether a header's value is a secret: the well-known ones, <c>x-auth…</c>, and any name containing token, secret,
    /// password, apikey/api-key, authorization, cookie or credential.
    /// </summary>
    public static bool IsSecretHeader(string name) => SecretHeaders.Contains(name)
        || name.StartsWith("x-auth", StringComparison.OrdinalIgnoreCase)
        || SecretHeaderParts.Any(part => name.Contains(part, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Whether a field of a document (a JSON or form body's member, a data value) holds a secret: a secret-looking header
    /// name, or a name that is or ends with token, secret, password, apikey… once '-' and '_' are dropped
    /// (<c>access_token</c>, <c>clientSecret</c>, <c>db-password</c>; not <c>maxTokens</c>).
    /// </summary>
    public static bool IsSecretName(string name)
    {
        var plain = name.Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal).ToLowerInvariant();
        return plain is "authorization" or "proxyauthorization" or "cookie" or "setcookie" or "pwd"
            || plain.StartsWith("xauth", StringComparison.Ordinal)
            || ((string[])["token", "secret", "password", "passwd", "apikey", "functionskey", "subscriptionkey", "privatekey", "credential", "credentials"]).Any(plain.EndsWith);
    }

    public static string RedactHeader(string name, string value) => IsSecretHeader(name) ? Mask : value;

    /// <summary>
    /// Whether a query parameter's value is a secret: the names <see cref="RedactUrl"/> masks (code, key, sig,
    /// signature, token, access_token, secret, password, pwd, apikey, api-key, subscription-key) and any
    /// <see cref="IsSecretName"/> (<c>refresh_token</c>, <c>clientSecret</c>…). Compared case-insensitively.
    /// </summary>
    public static bool IsSecretQueryParameter(string name) =>
        SecretQueryNames.Contains(name) || IsSecretName(name);

    /// <summary>Masks the values of secret-looking query parameters (code, key, sig, token, secret, password…).</summary>
    public static string RedactUrl(string url) => SecretQuery().Replace(url, m => m.Groups[1].Value + Mask);

    [GeneratedRegex(@"([?&](?:code|key|sig|signature|token|access_token|secret|password|pwd|apikey|api-key|subscription-key)=)[^&#]*", RegexOptions.IgnoreCase)]
    private static partial Regex SecretQuery();
}
