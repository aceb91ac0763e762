namespace Yardstick.SampleTarget.Tests;

public sealed class SampleTargetOptionsTests
{
    private static Func<string, string?> Env(string? extraLatency) =>
        name => name == SampleTargetOptions.ExtraLatencyVariable ? extraLatency : null;

    [Fact]
    public void Parse_ExtraLatencyVariable_SetsTheExtraLatency()
    {
        Assert.Equal(30, SampleTargetOptions.Parse(["--urls", "http://127.0.0.1:0"], Env("30")).ExtraLatencyMs);
    }

    [Fact]
    public void Parse_CommandLineOption_WinsOverTheVariable()
    {
        Assert.Equal(5, SampleTargetOptions.Parse(["--extra-latency-ms", "5"], Env("30")).ExtraLatencyMs);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Parse_VariableUnsetOrEmpty_NoExtraLatency(string? value)
    {
        Assert.Equal(0, SampleTargetOptions.Parse([], Env(value)).ExtraLatencyMs);
    }

    [Fact]
    public void Parse_WithoutEnvironment_IgnoresTheVariable()
    {
        // The one-argument overload (tests, in-process hosts) never reads the process environment.
        Assert.Equal(0, SampleTargetOptions.Parse([]).ExtraLatencyMs);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("fast")]
    public void Parse_BadVariable_NamesIt(string value)
    {
        var error = Assert.Throws<ArgumentException>(() => SampleTargetOptions.Parse([], Env(value)));

        Assert.Contains(SampleTargetOptions.ExtraLatencyVariable, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MaxConcurrencyVariable_SetsTheLimit_AndTheOptionWins()
    {
        Func<string, string?> env = name => name == SampleTargetOptions.MaxConcurrencyVariable ? "4" : null;

        Assert.Equal(4, SampleTargetOptions.Parse([], env).MaxConcurrency);
        Assert.Equal(2, SampleTargetOptions.Parse(["--max-concurrency", "2"], env).MaxConcurrency);
        Assert.Equal(0, SampleTargetOptions.Parse([], Env("30")).MaxConcurrency);
    }

    [Fact]
    public void Parse_BadMaxConcurrencyVariable_NamesIt()
    {
        var error = Assert.Throws<ArgumentException>(() => SampleTargetOptions.Parse([], name => name == SampleTargetOptions.MaxConcurrencyVariable ? "many" : null));

        Assert.Contains(SampleTargetOptions.MaxConcurrencyVariable, error.Message, StringComparison.Ordinal);
    }
}
