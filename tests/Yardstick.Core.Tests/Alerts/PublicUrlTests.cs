using Yardstick.Core.Alerts;

namespace Yardstick.Core.Tests.Alerts;

/// <summary><c>YARDSTICK_PUBLIC_URL</c>: https only, errors naming the setting, and the trend and run links built under it.</summary>
public sealed class PublicUrlTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("  ")]
    public void Parse_Unset_IsNull(string? text) => Assert.Null(PublicUrl.Parse(text));

    [Theory]
    [InlineData("http://bench.contoso.example")]
    [InlineData("bench.contoso.example")]
    [InlineData("ftp://bench.contoso.example")]
    [InlineData("https://user:pw@bench.contoso.example")]
    [InlineData("https://bench.contoso.example/?code=abc")]
    [InlineData("https://bench.contoso.example/#x")]
    public void Parse_NotAPlainHttpsBase_RefusedNamingTheSetting(string text)
    {
        var e = Assert.Throws<InputException>(() => PublicUrl.Parse(text));
        Assert.Equal(PublicUrl.SettingName, e.Field);
    }

    [Theory]
    [InlineData("https://bench.contoso.example")]
    [InlineData("https://bench.contoso.example/")]
    public void Links_UnderTheBase_NameEscaped(string text)
    {
        var baseUrl = PublicUrl.Parse(text)!;

        Assert.Equal("https://bench.contoso.example/api/workloads/checkout-api/trend?days=90", PublicUrl.TrendLink(baseUrl, "checkout-api"));
        Assert.Equal("https://bench.contoso.example/api/workloads/checkout-api/trend?days=90&metric=p95", PublicUrl.TrendLink(baseUrl, "checkout-api", "p95"));
        Assert.Equal("https://bench.contoso.example/api/runs/20261206-a%2Fb/report", PublicUrl.RunLink(baseUrl, "20261206-a/b"));
    }

    [Fact]
    public void Links_BaseWithAPath_KeepThePath() =>
        Assert.Equal("https://host.example/bench/api/runs/r1/report", PublicUrl.RunLink(PublicUrl.Parse("https://host.example/bench")!, "r1"));
}
