using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using Yardstick.Core.Load.Safety;

namespace Yardstick.Core.Alerts;

/// <summary>
/// Where alerts may be sent. Webhook URLs are user input (on the deployed app anyone with a function key writes them), so
/// by default only https to public addresses: loopback, private networks (RFC 1918, CGNAT, ULA), link-local, cloud
/// metadata, unspecified and multicast addresses are refused (<see cref="AddressRanges"/>, the classification the target
/// policy uses) — checked on the URL's literal host and again at connect time for every resolved address, so DNS cannot
/// smuggle a private address in. No proxy, no redirects. <see cref="PublicHttpsOrLoopback"/> is the one exception: for
/// tests, and for a CLI user who asks for it (<c>--alerts-to-loopback</c>: a relay on their own machine).
/// </summary>
public sealed class AlertDestinations
{
    private AlertDestinations(bool allowLoopback) => AllowLoopback = allowLoopback;

    /// <summary>https, public addresses only: every host's policy.</summary>
    public static AlertDestinations PublicHttpsOnly { get; } = new(allowLoopback: false);

    /// <summary>Also http and https to loopback addresses (and nothing else private): tests, and the CLI's <c>--alerts-to-loopback</c>; never the deployed app.</summary>
    public static AlertDestinations PublicHttpsOrLoopback { get; } = new(allowLoopback: true);

    public bool AllowLoopback { get; }

    /// <summary>Why <paramref name="url"/> may not be sent to (never echoing the URL, which may be a secret); null when it may.</summary>
    public string? Refusal(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            return "the URL is not an absolute https URL";
        }

        var host = uri.IdnHost.Trim('[', ']');
        var loopback = TargetPolicy.IsLoopbackHost(host);
        if (uri.Scheme != Uri.UriSchemeHttps && !(AllowLoopback && loopback))
        {
            return "the URL is not https";
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return "the URL carries credentials before the host";
        }

        return IPAddress.TryParse(host, out var ip) ? Refusal(ip) : null;
    }

    /// <summary>Why a resolved <paramref name="address"/> may not be connected to; null when it may.</summary>
    public string? Refusal(IPAddress address)
    {
        var canonical = AddressRanges.Canonical(address);
        return AddressRanges.Classify(canonical) switch
        {
            AddressClass.Public => null,
            AddressClass.Private when AllowLoopback && IPAddress.IsLoopback(canonical) => null,
            AddressClass.Private => $"{canonical} is a loopback or private-network address; alerts go only to public https endpoints",
            _ => $"{canonical} is a link-local, cloud metadata, unspecified or multicast address; alerts are never sent there",
        };
    }

    /// <summary>
    /// An <see cref="HttpClient"/> that connects only to addresses this policy allows (resolved per connection), with no
    /// proxy, no redirects and no cookies.
    /// </summary>
    public HttpClient CreateClient(TimeSpan timeout) =>
        new(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectCallback = ConnectAsync,
        })
        {
            Timeout = timeout,
        };

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host.Trim('[', ']');
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
        string? refusal = null;
        var allowed = new List<IPAddress>();
        foreach (var address in addresses)
        {
            if (Refusal(address) is { } why)
            {
                refusal ??= why;
            }
            else
            {
                allowed.Add(address);
            }
        }

        if (allowed.Count == 0)
        {
            throw new AlertDestinationRefusedException(refusal ?? "the host has no address");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed.ToArray(), context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}

/// <summary>A destination the <see cref="AlertDestinations"/> policy refused at connect time (not retried).</summary>
public sealed class AlertDestinationRefusedException(string message) : IOException(message);
