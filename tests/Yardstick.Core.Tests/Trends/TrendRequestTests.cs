using Yardstick.Core.Trends;

namespace Yardstick.Core.Tests.Trends;

public sealed class TrendRequestTests
{
    [Fact]
    public void Parse_Defaults_AllMetricsNinetyDaysNoSettings()
    {
        var request = TrendRequest.Parse("checkout", null, null, null);

        Assert.Equal("checkout", request.Workload);
        Assert.Equal(TrendMetric.All, request.Metrics);
        Assert.Equal(90, request.Days);
        Assert.Null(request.SettingsHash);
    }

    [Fact]
    public void Parse_OneMetricAnyCaseAndHashPrefix_Normalised()
    {
        var request = TrendRequest.Parse("checkout", "ColdStartP50", "7", "A1B2C3");

        Assert.Equal([TrendMetric.ColdStartP50], request.Metrics);
        Assert.Equal(7, request.Days);
        Assert.Equal("a1b2c3", request.SettingsHash);
    }

    [Theory]
    [InlineData("-1", "days")]
    [InlineData("0", "days")]
    [InlineData("100000", "days")]
    [InlineData("3651", "days")]
    [InlineData("1e3", "days")]
    [InlineData("99999999999999999999", "days")]
    public void Parse_BadDays_NamesTheParameter(string days, string field)
    {
        var error = Assert.Throws<InputException>(() => TrendRequest.Parse("checkout", null, days, null));
        Assert.Equal(field, error.Field);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("p95;drop")]
    [InlineData("p95,p99")]
    public void Parse_UnknownMetric_NamesTheOptionAndListsTheMetrics(string metric)
    {
        var error = Assert.Throws<InputException>(() => TrendRequest.Parse("checkout", metric, null, null, prefix: "--"));
        Assert.Equal("--metric", error.Field);
        Assert.Contains("p50, p95, p99, errorRate, throughput, coldStartP50, costPer1M", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("a1b2c3d4e5f607189")]
    [InlineData("zzzz")]
    [InlineData("a1b2' or 'x' eq 'x")]
    public void Parse_BadSettingsHash_NamesTheParameter(string settings)
    {
        var error = Assert.Throws<InputException>(() => TrendRequest.Parse("checkout", null, null, settings));
        Assert.Equal("settings", error.Field);
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("a/b")]
    [InlineData("Checkout")]
    [InlineData("checkout\n")]
    [InlineData("")]
    public void Parse_BadWorkloadName_NamesTheGivenField(string name)
    {
        var error = Assert.Throws<InputException>(() => TrendRequest.Parse(name, null, null, null, workloadField: "name"));
        Assert.Equal("name", error.Field);
    }

    [Fact]
    public void Parse_VeryLongWorkloadName_RefusedWithAClippedEcho()
    {
        var error = Assert.Throws<InputException>(() => TrendRequest.Parse(new string('a', 100_000), null, null, null));
        Assert.Equal("workload", error.Field);
        Assert.True(error.Message.Length < 400, error.Message);
    }
}
