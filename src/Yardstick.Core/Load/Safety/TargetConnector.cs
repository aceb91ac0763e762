using System.Net;
using System.Net.Http;
using System.Net.Sockets;

namespace Yardstick.Core.Load.Safety;

/// <summary>
/// The one way Yardstick opens a connection to a target: resolve the name, keep only the addresses the
/// <see cref="TargetPolicy"/> allows, connect to those. Both transports and every probe client connect through it, so
/// the policy sees the addresses actually dialled (a DNS answer that changes between planning and connecting — DNS
/// rebinding — is checked again on every connection).
/// </summary>
public static class TargetConnector
{
    /// <summary>The addresses of <paramref name="host"/> that <paramref name="policy"/> allows, and why none were when empty.</summary>
    public static async ValueTask<(IPAddress[] Allowed, string? Refusal)> ResolveAsync(
        TargetPolicy policy, string host, IPAddress? literal, CancellationToken cancellationToken)
    {
        host = host.Trim('[', ']');
        var addresses = literal is not null ? [literal]
            : IPAddress.TryParse(host, out var parsed) ? [parsed]
            : await Dns.GetHostAddressesAsync(host, cancellationToken);
        var allowed = new List<IPAddress>(addresses.Length);
        string? refusal = null;
        foreach (var address in addresses)
        {
            if (policy.Refusal(address, host.ToLowerInvariant()) is { } why)
            {
                refusal ??= why;
            }
            else
            {
                allowed.Add(address);
            }
        }

        return (allowed.ToArray(), allowed.Count == 0 ? $"no address of {host} is allowed by the target policy: {refusal ?? "it has none"}" : null);
    }

    /// <summary>
    /// A <see cref="SocketsHttpHandler.ConnectCallback"/> that connects only to allowed addresses; a refused target
    /// fails the request with <see cref="HttpRequestError.ConnectionError"/> and the reason.
    /// </summary>
    public static Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> ConnectCallback(TargetPolicy policy) =>
        async (context, cancellationToken) =>
        {
            var (allowed, refusal) = await ResolveAsync(policy, context.DnsEndPoint.Host, null, cancellationToken);
            if (refusal is not null)
            {
                throw new HttpRequestException(HttpRequestError.ConnectionError, refusal);
            }

            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        };

    /// <summary>
    /// An <see cref="HttpClient"/> for probes (readiness, settle checks) that obeys <paramref name="policy"/>: no proxy, no
    /// redirects (a redirect could point anywhere), every connection through <see cref="ConnectCallback"/>.
    /// </summary>
    public static HttpClient CreateProbeClient(TargetPolicy policy, TimeSpan timeout) =>
        new(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            UseCookies = false,
            ConnectCallback = ConnectCallback(policy),
        })
        {
            Timeout = timeout,
        };
}
