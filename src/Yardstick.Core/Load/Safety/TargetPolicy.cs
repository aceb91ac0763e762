using System.Net;

namespace Yardstick.Core.Load.Safety;

/// <summary>
/// Which hosts Yardstick may send requests to (load, cold-start probes, readiness probes). Targets must match the
/// allow-list; <see cref="AddressClass.Forbidden"/> addresses (link-local, cloud metadata, unspecified, multicast) are
/// refused whatever the list says. Checked when a run is planned (by name or literal) and again at connect time for
/// every resolved address (<see cref="TargetConnector"/>), so neither DNS nor a rebinding name can smuggle a target in.
/// </summary>
/// <remarks>
/// Two host policies: the local CLI (<see cref="ForLocalHost"/>) always allows loopback and lets allow-listed names
/// resolve to private addresses — benchmarking on your own machine is its job. A deployed host
/// (<see cref="ForDeployedHost"/>) refuses loopback and private networks (RFC 1918, CGNAT, ULA) unless the allow-list
/// names that literal address, and an empty allow-list allows nothing.
/// </remarks>
public sealed class TargetPolicy
{
    private static readonly string[] LoopbackNames = ["localhost", "127.0.0.1", "::1"];

    private readonly string[] _allowedHosts;
    private readonly IPAddress[] _allowedAddresses;

    /// <param name="allowedHosts">Host names, <c>*.suffix</c> wildcards or IP addresses.</param>
    /// <param name="allowPrivateNetworks">
    /// True (local CLI): allow-listed names may resolve to loopback and private addresses. False (deployed host): a private
    /// address is allowed only when the list names it literally.
    /// </param>
    public TargetPolicy(IEnumerable<string> allowedHosts, bool allowPrivateNetworks = true)
    {
        _allowedHosts = allowedHosts
            .Select(h => h.Trim().Trim('[', ']').ToLowerInvariant())
            .Where(h => h.Length > 0)
            .Distinct()
            .ToArray();
        _allowedAddresses = _allowedHosts
            .Select(h => IPAddress.TryParse(h, out var ip) ? AddressRanges.Canonical(ip) : null)
            .OfType<IPAddress>()
            .ToArray();
        AllowPrivateNetworks = allowPrivateNetworks;
    }

    /// <summary>Loopback only: <c>localhost</c>, <c>127.0.0.1</c>, <c>::1</c>. The default for tests and the local CLI.</summary>
    public static TargetPolicy LoopbackOnly { get; } = new(LoopbackNames);

    public IReadOnlyList<string> AllowedHosts => _allowedHosts;

    /// <summary>Whether allow-listed names may resolve to loopback and private addresses (the local CLI's policy).</summary>
    public bool AllowPrivateNetworks { get; }

    /// <summary>
    /// Parses an allow-list as written in configuration (comma or whitespace separated) with the local host's rules;
    /// empty means loopback only. Entries are host names (<c>app.azurewebsites.net</c>), wildcard suffixes
    /// (<c>*.azurewebsites.net</c>) or IP addresses.
    /// </summary>
    public static TargetPolicy Parse(string? list) =>
        string.IsNullOrWhiteSpace(list) ? LoopbackOnly : new TargetPolicy(Split(list));

    /// <summary>The local CLI's policy: loopback always, plus <paramref name="more"/>; private addresses allowed.</summary>
    public static TargetPolicy ForLocalHost(IEnumerable<string> more) => new(LoopbackNames.Concat(more));

    /// <summary>
    /// A deployed host's policy (the Functions app): exactly the hosts on <paramref name="list"/> (empty: none), and no
    /// loopback or private address unless the list names that literal address.
    /// </summary>
    public static TargetPolicy ForDeployedHost(string? list) =>
        new(string.IsNullOrWhiteSpace(list) ? [] : Split(list), allowPrivateNetworks: false);

    /// <summary>
    /// Throws <see cref="InputException"/> naming <paramref name="field"/> when the URL may not be targeted: not http(s),
    /// a forbidden or (on a deployed host) unlisted private literal address, or a host not on the allow-list.
    /// </summary>
    public void EnsureUrlAllowed(string url, string field)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new InputException(field, $"'{Redaction.RedactUrl(url)}' is not an absolute http or https URL.");
        }

        // Uri canonicalizes IPv4 literals, so 2852039166, 0251.0376.0251.0376 and 0xa9fea9fe all arrive as 169.254.169.254.
        var host = uri.IdnHost.Trim('[', ']').ToLowerInvariant();
        if (IPAddress.TryParse(host, out var ip))
        {
            if (Refusal(ip) is { } refusal)
            {
                throw new InputException(field, refusal);
            }

            return;
        }

        if (_allowedHosts.Length == 0)
        {
            throw new InputException(field, $"host '{host}' is not allowed: the target allow-list is empty, so this host sends no requests anywhere. Set YARDSTICK_ALLOWED_HOSTS.");
        }

        if (!IsHostAllowed(host))
        {
            throw new InputException(
                field,
                $"host '{host}' is not in the target allow-list ({string.Join(", ", _allowedHosts)}). " +
                "Add it with --allow-host or the YARDSTICK_ALLOWED_HOSTS setting.");
        }
    }

    /// <summary>True when a resolved <paramref name="address"/> of <paramref name="host"/> may be connected to.</summary>
    public bool IsAddressAllowed(IPAddress address, string host) => Refusal(address, host.Trim('[', ']').ToLowerInvariant()) is null;

    /// <summary>Why <paramref name="address"/> may not be connected to when reached by <paramref name="host"/>; null when it may.</summary>
    public string? Refusal(IPAddress address, string? host = null)
    {
        var canonical = AddressRanges.Canonical(address);
        var shown = canonical.ToString();
        var listed = IsListed(canonical);
        switch (AddressRanges.Classify(canonical))
        {
            case AddressClass.Forbidden:
                return $"{shown} is a link-local, cloud metadata, unspecified or multicast address; Yardstick never sends requests there.";
            case AddressClass.Private when !AllowPrivateNetworks && !listed:
                return $"{shown} is a loopback or private-network address; this host sends requests there only when YARDSTICK_ALLOWED_HOSTS names {shown} itself.";
        }

        if (listed)
        {
            return null;
        }

        // A name was checked against the list at plan time; check it again here, and keep localhost on loopback.
        if (host is not null && !IPAddress.TryParse(host, out _))
        {
            if (host is "localhost" && !IPAddress.IsLoopback(canonical))
            {
                return $"localhost resolved to {shown}, which is not a loopback address.";
            }

            if (IsHostAllowed(host))
            {
                return null;
            }
        }

        return _allowedHosts.Length == 0
            ? $"{shown} is not allowed: the target allow-list is empty."
            : $"{shown} is not in the target allow-list ({string.Join(", ", _allowedHosts)}).";
    }

    /// <summary>Whether a host name (lowercase) matches an entry: the same name, or a <c>*.suffix</c> wildcard.</summary>
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

    /// <summary>True for addresses no host ever sends requests to (<see cref="AddressClass.Forbidden"/>), in any spelling.</summary>
    public static bool IsAlwaysRefused(IPAddress address) => AddressRanges.Classify(address) == AddressClass.Forbidden;

    /// <summary>True when the host is <c>localhost</c> or a loopback literal (then insecure TLS may be allowed).</summary>
    public static bool IsLoopbackHost(string host) =>
        host is "localhost" || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

    private bool IsListed(IPAddress canonical)
    {
        foreach (var allowed in _allowedAddresses)
        {
            if (allowed.Equals(canonical))
            {
                return true;
            }
        }

        return false;
    }

    private static string[] Split(string list) => list.Split([',', ' ', ';', '\n'], StringSplitOptions.RemoveEmptyEntries);
}
