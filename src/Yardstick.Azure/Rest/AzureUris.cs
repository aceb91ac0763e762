using System.Globalization;
using System.Text;
using Yardstick.Core;

namespace Yardstick.Azure.Rest;

/// <summary>URI building and ARM resource-id checks shared by the clients.</summary>
internal static class AzureUris
{
    /// <summary><paramref name="endpoint"/> + <paramref name="path"/> (already escaped) + the query, values escaped.</summary>
    public static Uri Build(Uri endpoint, string path, params (string Name, string? Value)[] query)
    {
        var builder = new StringBuilder(endpoint.GetLeftPart(UriPartial.Authority));
        builder.Append(endpoint.AbsolutePath.TrimEnd('/'));
        builder.Append(path.StartsWith('/') ? path : "/" + path);
        var separator = '?';
        foreach (var (name, value) in query)
        {
            if (value is null)
            {
                continue;
            }

            builder.Append(separator).Append(name).Append('=').Append(Uri.EscapeDataString(value));
            separator = '&';
        }

        return new Uri(builder.ToString());
    }

    /// <summary>A resource id as a URI path: each segment escaped, leading slash, no trailing slash.</summary>
    public static string ResourcePath(string resourceId, string field = "target.azure.resourceId")
    {
        var trimmed = resourceId.Trim().Trim('/');
        var segments = trimmed.Split('/');
        if (segments.Length < 2 || !string.Equals(segments[0], "subscriptions", StringComparison.OrdinalIgnoreCase) || segments.Any(string.IsNullOrWhiteSpace))
        {
            throw new InputException(field, $"'{resourceId}' is not an ARM resource id (/subscriptions/{{sub}}/resourceGroups/{{rg}}/providers/…)");
        }

        return "/" + string.Join('/', segments.Select(Uri.EscapeDataString));
    }

    /// <summary>Checks a <c>Microsoft.Web/sites</c> resource id and returns its path.</summary>
    public static string SitePath(string resourceId)
    {
        var path = ResourcePath(resourceId);
        var segments = path.Trim('/').Split('/');
        if (segments.Length != 8
            || !segments[2].Equals("resourceGroups", StringComparison.OrdinalIgnoreCase)
            || !segments[4].Equals("providers", StringComparison.OrdinalIgnoreCase)
            || !segments[5].Equals("Microsoft.Web", StringComparison.OrdinalIgnoreCase)
            || !segments[6].Equals("sites", StringComparison.OrdinalIgnoreCase))
        {
            throw new InputException("target.azure.resourceId", $"'{resourceId}' is not a function app id (/subscriptions/{{sub}}/resourceGroups/{{rg}}/providers/Microsoft.Web/sites/{{app}})");
        }

        return path;
    }

    /// <summary>UTC ISO 8601 to the second, as Azure Monitor expects (<c>2026-01-01T00:00:00Z</c>).</summary>
    public static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Whether <paramref name="link"/> points at the same scheme, host and port as <paramref name="endpoint"/>.</summary>
    public static bool SameOrigin(Uri endpoint, Uri link) =>
        Uri.Compare(endpoint, link, UriComponents.SchemeAndServer, UriFormat.SafeUnescaped, StringComparison.OrdinalIgnoreCase) == 0;
}
