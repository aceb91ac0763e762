using System.Net;
using Yardstick.Core.Load.Safety;

namespace Yardstick.Core.Tests.Load.Safety;

public sealed class AddressRangesTests
{
    [Theory]
    // Link-local and the cloud metadata endpoints, in every IPv6 spelling that reaches an IPv4 host.
    [InlineData("169.254.169.254")]
    [InlineData("169.254.170.2")]
    [InlineData("::ffff:169.254.169.254")] // IPv4-mapped
    [InlineData("::169.254.169.254")] // IPv4-compatible
    [InlineData("64:ff9b::a9fe:a9fe")] // NAT64 well-known prefix
    [InlineData("64:ff9b:1::a9fe:a9fe")] // NAT64 local-use prefix
    [InlineData("2002:a9fe:a9fe::1")] // 6to4
    [InlineData("2001:0:4136:e378:8000:63bf:5601:5601")] // Teredo, client 169.254.169.254 inverted in the last 32 bits
    [InlineData("fe80::1")]
    [InlineData("fd00:ec2::254")] // AWS IPv6 metadata (inside ULA, but never a target)
    [InlineData("fd20:ce::254")] // GCP IPv6 metadata
    [InlineData("168.63.129.16")] // Azure wire server
    [InlineData("100.100.100.200")] // Alibaba metadata (inside CGNAT)
    [InlineData("0.0.0.0")]
    [InlineData("::")]
    [InlineData("224.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("ff02::1")]
    public void Classify_MetadataLinkLocalAndUnspecified_Forbidden(string address) =>
        Assert.Equal(AddressClass.Forbidden, AddressRanges.Classify(IPAddress.Parse(address)));

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.8.9.10")]
    [InlineData("::1")]
    [InlineData("10.1.2.3")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.254")]
    [InlineData("192.168.1.1")]
    [InlineData("100.64.0.1")] // CGNAT
    [InlineData("100.127.255.254")]
    [InlineData("fc00::1")] // ULA
    [InlineData("fdab:cdef::1")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("64:ff9b::7f00:1")] // NAT64 of 127.0.0.1
    [InlineData("64:ff9b::a00:1")] // NAT64 of 10.0.0.1
    [InlineData("2002:c0a8:101::1")] // 6to4 of 192.168.1.1
    public void Classify_LoopbackAndPrivateNetworks_Private(string address) =>
        Assert.Equal(AddressClass.Private, AddressRanges.Classify(IPAddress.Parse(address)));

    [Theory]
    [InlineData("20.50.2.1")]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")] // just above 172.16/12
    [InlineData("100.128.0.1")] // just above 100.64/10
    [InlineData("2603:1030::1")]
    [InlineData("64:ff9b::808:808")] // NAT64 of 8.8.8.8
    public void Classify_PublicUnicast_Public(string address) =>
        Assert.Equal(AddressClass.Public, AddressRanges.Classify(IPAddress.Parse(address)));

    [Theory]
    [InlineData("2852039166")] // decimal
    [InlineData("0251.0376.0251.0376")] // octal
    [InlineData("0xa9.0xfe.0xa9.0xfe")] // hex
    [InlineData("0xa9fea9fe")]
    [InlineData("169.16689662")] // a.b form
    public void Classify_NumericIPv4Spellings_ParseToTheMetadataAddress(string spelling)
    {
        var address = IPAddress.Parse(spelling);

        Assert.Equal(IPAddress.Parse("169.254.169.254"), address);
        Assert.Equal(AddressClass.Forbidden, AddressRanges.Classify(address));
    }
}
