using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Yardstick.Core.Load.Safety;

/// <summary>What an IP address is, for the target policy.</summary>
public enum AddressClass
{
    /// <summary>A public unicast address.</summary>
    Public,

    /// <summary>
    /// An address inside someone's network: loopback (127/8, ::1), RFC 1918 (10/8, 172.16/12, 192.168/16), CGNAT
    /// (100.64/10), ULA (fc00::/7) and the deprecated site-local fec0::/10. The local CLI may load them (benchmarking
    /// on your own machine is its job); a deployed host only when its allow-list names the literal address.
    /// </summary>
    Private,

    /// <summary>
    /// Never a target, whatever the allow-list says: link-local (169.254/16, fe80::/10, which hold the cloud metadata
    /// endpoints), the cloud metadata and Azure wire-server addresses, unspecified (0/8, ::), multicast and broadcast.
    /// </summary>
    Forbidden,
}

/// <summary>
/// Classifies IP addresses in every spelling that reaches a socket: IPv4, IPv4-mapped IPv6 (<c>::ffff:a.b.c.d</c>),
/// IPv4-compatible (<c>::a.b.c.d</c>), NAT64 (<c>64:ff9b::/96</c> and the local-use <c>64:ff9b:1::/48</c>), 6to4
/// (<c>2002::/16</c>) and Teredo (<c>2001::/32</c>). An IPv6 address that carries an IPv4 address is as bad as the worse
/// of the two. Decimal, octal and hex IPv4 literals (<c>2852039166</c>, <c>0251.0376.0251.0376</c>, <c>0xa9fea9fe</c>)
/// are parsed by <see cref="Uri"/> and <see cref="IPAddress"/> into the same address, so they are classified alike.
/// </summary>
public static class AddressRanges
{
    // Metadata endpoints that are not link-local (those are Forbidden by range anyway): Azure's wire server, AWS's IPv6
    // instance metadata, GCP's IPv6 metadata, Alibaba Cloud's metadata (inside CGNAT), Oracle Cloud's legacy one.
    private static readonly IPAddress[] MetadataAddresses =
    [
        IPAddress.Parse("168.63.129.16"),
        IPAddress.Parse("fd00:ec2::254"),
        IPAddress.Parse("fd20:ce::254"),
        IPAddress.Parse("100.100.100.200"),
        IPAddress.Parse("192.0.0.192"),
    ];

    /// <summary>The class of <paramref name="address"/>, looking through every IPv4-in-IPv6 embedding.</summary>
    public static AddressClass Classify(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return ClassifyV4(address);
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return AddressClass.Forbidden;
        }

        var own = ClassifyV6(address);
        return EmbeddedIPv4(address) is { } embedded ? Worse(own, ClassifyV4(embedded)) : own;
    }

    /// <summary>The IPv4 address an IPv6 address carries (mapped, compatible, NAT64, 6to4, Teredo client), if any.</summary>
    public static IPAddress? EmbeddedIPv4(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return null;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        Span<byte> b = stackalloc byte[16];
        address.TryWriteBytes(b, out _);
        var last32 = b[12..16];

        // ::a.b.c.d (IPv4-compatible, deprecated) and the NAT64 well-known prefix 64:ff9b::/96: the last 32 bits.
        if (b[..12].IndexOfAnyExcept((byte)0) < 0 && !IsZeroOrOne(last32))
        {
            return new IPAddress(last32);
        }

        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && (b[4..12].IndexOfAnyExcept((byte)0) < 0 || (b[4] == 0 && b[5] == 1)))
        {
            return new IPAddress(last32);
        }

        // 6to4: 2002:AABB:CCDD::/48 carries AA.BB.CC.DD.
        if (b[0] == 0x20 && b[1] == 0x02)
        {
            return new IPAddress(b[2..6]);
        }

        // Teredo 2001:0000::/32: the client's address is the last 32 bits, inverted.
        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0 && b[3] == 0)
        {
            var client = ~BinaryPrimitives.ReadUInt32BigEndian(last32);
            Span<byte> v4 = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(v4, client);
            return new IPAddress(v4);
        }

        return null;
    }

    /// <summary>The address as the allow-list compares it: IPv4-mapped IPv6 becomes plain IPv4.</summary>
    public static IPAddress Canonical(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    private static AddressClass ClassifyV4(IPAddress address)
    {
        Span<byte> b = stackalloc byte[4];
        address.TryWriteBytes(b, out _);
        if (IsMetadata(address)
            || b[0] == 0 // "this network", 0.0.0.0
            || (b[0] == 169 && b[1] == 254) // link-local, cloud metadata 169.254.169.254
            || b[0] >= 224) // multicast 224/4, reserved 240/4, broadcast
        {
            return AddressClass.Forbidden;
        }

        if (b[0] == 127 // loopback
            || b[0] == 10
            || (b[0] == 172 && (b[1] & 0xf0) == 16)
            || (b[0] == 192 && b[1] == 168)
            || (b[0] == 100 && (b[1] & 0xc0) == 64) // CGNAT 100.64/10
            || (b[0] == 192 && b[1] == 0 && b[2] == 0) // IETF protocol assignments 192.0.0/24
            || (b[0] == 198 && (b[1] & 0xfe) == 18)) // benchmarking 198.18/15
        {
            return AddressClass.Private;
        }

        return AddressClass.Public;
    }

    private static AddressClass ClassifyV6(IPAddress address)
    {
        if (IsMetadata(address) || address.Equals(IPAddress.IPv6Any) || address.IsIPv6LinkLocal || address.IsIPv6Multicast)
        {
            return AddressClass.Forbidden;
        }

        Span<byte> b = stackalloc byte[16];
        address.TryWriteBytes(b, out _);
        if (address.Equals(IPAddress.IPv6Loopback) || (b[0] & 0xfe) == 0xfc || address.IsIPv6SiteLocal)
        {
            return AddressClass.Private;
        }

        return AddressClass.Public;
    }

    private static bool IsMetadata(IPAddress address)
    {
        foreach (var metadata in MetadataAddresses)
        {
            if (metadata.Equals(address))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsZeroOrOne(ReadOnlySpan<byte> last32) =>
        last32[0] == 0 && last32[1] == 0 && last32[2] == 0 && last32[3] <= 1;

    private static AddressClass Worse(AddressClass a, AddressClass b) => (AddressClass)Math.Max((int)a, (int)b);
}
