using System.Net;
using Yardstick.Core.Load.Safety;

namespace Yardstick.Core.Tests.Load.Safety;

public sealed class TargetPolicyTests
{
    [Theory]
    [InlineData("http://169.254.169.254/metadata")]
    [InlineData("http://2852039166/latest")]
    [InlineData("http://0251.0376.0251.0376/")]
    [InlineData("http://0xa9fea9fe/")]
    [InlineData("http://[::ffff:169.254.169.254]/")]
    [InlineData("http://[64:ff9b::a9fe:a9fe]/")]
    [InlineData("http://[2002:a9fe:a9fe::]/")]
    [InlineData("http://[fd00:ec2::254]/")]
    [InlineData("http://168.63.129.16/")]
    public void EnsureUrlAllowed_MetadataInAnySpelling_RefusedEvenWhenListed(string url)
    {
        // Listing the address literally does not help: metadata and link-local are never targets.
        var policy = TargetPolicy.ForDeployedHost("169.254.169.254,::ffff:169.254.169.254,fd00:ec2::254,168.63.129.16,app.example.net");

        var error = Assert.Throws<InputException>(() => policy.EnsureUrlAllowed(url, "target.url"));

        Assert.Equal("target.url", error.Field);
        Assert.Contains("link-local, cloud metadata", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5080/")]
    [InlineData("http://[::1]:5080/")]
    [InlineData("http://10.0.0.4/")]
    [InlineData("http://172.20.1.1/")]
    [InlineData("http://192.168.0.10/")]
    [InlineData("http://100.64.1.1/")]
    [InlineData("http://[fd12::1]/")]
    [InlineData("http://[::ffff:10.0.0.4]/")]
    [InlineData("http://2130706433/")] // 127.0.0.1 as a decimal number
    public void EnsureUrlAllowed_DeployedHostPrivateLiteralNotListed_Refused(string url)
    {
        var policy = TargetPolicy.ForDeployedHost("app.example.net,*.azurewebsites.net");

        var error = Assert.Throws<InputException>(() => policy.EnsureUrlAllowed(url, "target.url"));

        Assert.Contains("loopback or private-network address", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10.0.0.4", "http://10.0.0.4:8080/api")]
    [InlineData("127.0.0.1", "http://127.0.0.1:5080/")]
    [InlineData("10.0.0.4", "http://[::ffff:10.0.0.4]/")]
    [InlineData("fd12::1", "http://[fd12::1]/")]
    public void EnsureUrlAllowed_DeployedHostPrivateLiteralListed_Allowed(string list, string url) =>
        TargetPolicy.ForDeployedHost(list).EnsureUrlAllowed(url, "target.url");

    [Fact]
    public void EnsureUrlAllowed_DeployedHostEmptyList_RefusesEverything()
    {
        var policy = TargetPolicy.ForDeployedHost("  ");

        Assert.Empty(policy.AllowedHosts);
        Assert.Contains("allow-list is empty", Assert.Throws<InputException>(() => policy.EnsureUrlAllowed("https://app.example.net/", "target.url")).Message, StringComparison.Ordinal);
        Assert.Throws<InputException>(() => policy.EnsureUrlAllowed("http://127.0.0.1/", "target.url"));
        Assert.Throws<InputException>(() => policy.EnsureUrlAllowed("http://localhost/", "target.url"));
        Assert.Throws<InputException>(() => policy.EnsureUrlAllowed("https://20.50.2.1/", "target.url"));
    }

    [Fact]
    public void EnsureUrlAllowed_LocalHost_AllowsLoopbackByDefaultAndRefusesUnlistedNames()
    {
        var policy = TargetPolicy.ForLocalHost([]);

        policy.EnsureUrlAllowed("http://127.0.0.1:5080/", "target.url");
        policy.EnsureUrlAllowed("http://localhost:5080/", "target.url");
        policy.EnsureUrlAllowed("http://[::1]:5080/", "target.url");
        Assert.Throws<InputException>(() => policy.EnsureUrlAllowed("https://app.example.net/", "target.url"));
        Assert.Throws<InputException>(() => policy.EnsureUrlAllowed("http://169.254.169.254/", "target.url"));
    }

    [Fact]
    public void IsAddressAllowed_DeployedHostListedNameResolvingToPrivateAddress_Refused()
    {
        // The DNS-rebinding shape: the NAME is on the list, the address it resolves to is not.
        var policy = TargetPolicy.ForDeployedHost("app.example.net,localhost");

        Assert.True(policy.IsAddressAllowed(IPAddress.Parse("20.50.2.1"), "app.example.net"));
        Assert.False(policy.IsAddressAllowed(IPAddress.Parse("127.0.0.1"), "localhost"));
        Assert.False(policy.IsAddressAllowed(IPAddress.Parse("10.1.2.3"), "app.example.net"));
        Assert.False(policy.IsAddressAllowed(IPAddress.Parse("::ffff:192.168.1.1"), "app.example.net"));
        Assert.False(policy.IsAddressAllowed(IPAddress.Parse("64:ff9b::a9fe:a9fe"), "app.example.net"));
        Assert.False(policy.IsAddressAllowed(IPAddress.Parse("20.50.2.1"), "other.example.net"));
    }

    [Fact]
    public void IsAddressAllowed_DeployedHostNameResolvingToListedPrivateLiteral_Allowed()
    {
        var policy = TargetPolicy.ForDeployedHost("internal.example.net,10.1.2.3");

        Assert.True(policy.IsAddressAllowed(IPAddress.Parse("10.1.2.3"), "internal.example.net"));
        Assert.True(policy.IsAddressAllowed(IPAddress.Parse("::ffff:10.1.2.3"), "internal.example.net"));
        Assert.False(policy.IsAddressAllowed(IPAddress.Parse("10.1.2.4"), "internal.example.net"));
    }

    [Fact]
    public void IsAddressAllowed_LocalHostListedNameResolvingToPrivateAddress_AllowedButNeverMetadata()
    {
        var policy = TargetPolicy.ForLocalHost(["devbox.lan"]);

        Assert.True(policy.IsAddressAllowed(IPAddress.Parse("192.168.1.20"), "devbox.lan"));
        Assert.False(policy.IsAddressAllowed(IPAddress.Parse("169.254.169.254"), "devbox.lan"));
        Assert.False(policy.IsAddressAllowed(IPAddress.Parse("10.0.0.1"), "localhost"));
    }
}
