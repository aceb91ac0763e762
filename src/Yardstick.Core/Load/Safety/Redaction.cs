using System.Text.RegularExpressions;

namespace Yardstick.Core.Load.Safety;

/// <summary>
/// Keeps secrets out of logs and stored results: Authorization-like headers and <c>code</c>, <c>key</c>,
/// <c>sig</c> (and similar) query values are replaced by <c>***</c>.
/// </summary>
public static partial class Redaction
{
    public const string Mask = "***";

    private static readonly HashSet<string> SecretHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie", "x-functions-key", "x-api-key",
        "api-key", "Ocp-Apim-Subscription-Key",
    };

    public static bool IsSecretHeader(string name) => SecretHeaders.Contains(name) || name.Contains("token", StringComparison.OrdinalIgnoreCase)
        || name.Contains("secret", StringComparison.OrdinalIgnoreCase);

    public static string RedactHeader(string name, string value) => IsSecretHeader(name) ? Mask : value;

    /// <summary>Masks the values of secret-looking query parameters (code, key, sig, token, secret, password…).</summary>
    public static string RedactUrl(string url) => SecretQuery().Replace(url, m => m.Groups[1].Value + Mask);

    [GeneratedRegex(@"([?&](?:code|key|sig|signature|token|access_token|secret|password|pwd|apikey|api-key|subscription-key)=)[^&#]*", RegexOptions.IgnoreCase)]
    private static partial Regex SecretQuery();
}
