using System.Net;
using System.Net.Sockets;

namespace Yardstick.Core.Load.Safety;

/// <summary>
/// Which hosts Yardstick may send load to. Targets must match the allow-list; link-local and cloud
/// metadata addresses are refused whatever the list says. Checked when a run is planned (by name)
/// and again at connect time (by resolved address), so DNS cannot smuggle a target in.
/// </summary>
public sealed class TargetPolicy
{
    private readonly string[] _allowedHosts;

    public TargetPolicy(IEnumerable<string> allowedHosts)
    {
        _allowedHosts = allowedHosts
            .Select(h => h.Trim().ToLowerInvariant())
            .Where(h => h.Length > 0)
            .Distinct()
            .ToArray();
    }

    /// <summary>Loopback only: <c>localhost</c>, <c>127.0.0.1</c>, <c>::1</c>. The default for tests and the local CLI.</summary>
    public static TargetPolicy LoopbackOnly { get; } = new(["localhost", "127.0.0.1", "::1"]);

    public IReadOnlyList<string> AllowedHosts => _allowedHosts;

    /// <summary>
    /// Parses an allow-list as written in configuration (comma or whitespace separated). Entries are host
    /// names (<c>app.azurewebsites.net</c>), wildcard suffixes (<c>*.azurewebsites.net</c>) or IP addresses.
    /// </summary>
    public static TargetPolicy Parse(string? list) =>
        string.IsNullOrWhiteSpace(list)
            ? LoopbackOnly
            : new TargetPolicy(list.Split([',', ' ', ';', '\n'], StringSplitOptions.RemoveEmptyEntries));

    /// <summary>Throws <see cref="InputException"/> naming <paramref name="field"/> when the URL may not be targeted.</summary>
    public void EnsureUrlAllowed(string url, string field)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new InputException(field, $"'{Redaction.RedactUrl(url)}' is not an absolute http or https URL.");
        }

        var host = uri.IdnHost.Trim('[', ']').ToLowerInvariant();
        if (IPAddress.TryParse(host, out var ip) && IsAlwaysRefused(ip))
        {
            throw new InputException(field, $"{host} is a link-local or cloud metadata address; Yardstick never sends load there.");
        }

        if (!IsHostAllowed(host))
        {
            throw new InputException(
                field,
                $"host '{host}' is not in the target allow-list ({string.Join(", ", _allowedHosts)}). " +
                "Add it with --allow-host or the YARDSTICK_ALLOWED_HOSTS setting.");
        }
    }

    /// <summary>True when a resolved address may be connected to.</summary>
    public bool IsAddressAllowed(IPAddress address, string host)
    {
        if (IsAlwaysRefused(address))
        {
            return false;
        }

        // A name on the list was checked at plan time; loopback names must also resolve to loopback.
        if (host is "localhost")
        {
            return IPAddress.IsLoopback(address);
        }

        return IsHostAllowed(host.ToLowerInvariant()) || IsHostAllowed(address.ToString());
    }

    public bool IsHostAllowed(string host)
    {
        foreach (var entry in _allowedHosts)
        {
            if (entry == host)
            {
                return true;
            }

            if (entry.StartsWith("*.", StringComparison.Ordinal) && host.EndsWith(entry[1..], StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Link-local (169.254/16, fe80::/10) covers the cloud metadata endpoints (169.254.169.254); 168.63.129.16 is Azure's wire server.</summary>
    public static bool IsAlwaysRefused(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return (b[0] == 169 && b[1] == 254) || (b[0] == 168 && b[1] == 63 && b[2] == 129 && b[3] == 16) || (b[0] == 0);
        }

        return address.IsIPv6LinkLocal || address.Equals(IPAddress.IPv6Any);
    }

    /// <summary>True when every name on the list is loopback (then insecure TLS may be allowed).</summary>
    public static bool IsLoopbackHost(string host) =>
        host is "localhost" || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
}
