using Yardstick.Core.Workloads;

namespace Yardstick.Core.Tests.Workloads;

/// <summary>Which targets a sweep may change: Azure apps any parameter, local processes appSetting:NAME only.</summary>
public sealed class SweepSemanticsTests
{
    private const string ProcessTarget = """
        name: sweep
        target:
          url: http://127.0.0.1:5084/api/hello
          process: { command: sample-target, args: ["--urls", "http://127.0.0.1:5084"] }
        load: { rate: 10/s, duration: 2s }
        """;

    private const string UrlOnlyTarget = """
        name: sweep
        target:
          url: http://127.0.0.1:5084/api/hello
        load: { rate: 10/s, duration: 2s }
        """;

    [Fact]
    public void LoadText_AppSettingSweepOfAProcessTarget_IsAccepted()
    {
        var w = WorkloadLoader.LoadText(ProcessTarget + "\nsweep: { parameter: 'appSetting:YARDSTICK_EXTRA_LATENCY_MS', values: [0, 30] }\n", "t.yaml");

        Assert.Equal(["0", "30"], w.Sweep!.Values);
        Assert.Equal(SweepSpec.DefaultSettleTimeout, w.Sweep.SettleTimeout);
    }

    [Theory]
    [InlineData("instanceMemoryMB", "[512, 2048]")]
    [InlineData("perInstanceConcurrency", "[1, 4]")]
    public void LoadText_FlexSweepOfAProcessTarget_NeedsAzure(string parameter, string values)
    {
        var error = Assert.Single(TestWorkloads.Invalid(ProcessTarget + $"\nsweep: {{ parameter: {parameter}, values: {values} }}\n").Errors);

        Assert.Equal("sweep", error.Path);
        Assert.Contains("so it needs target.azure (resourceId); " + parameter + " exists only there", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadText_AppSettingSweepOfAPlainUrl_NeedsAzureOrAProcess()
    {
        var error = Assert.Single(TestWorkloads.Invalid(UrlOnlyTarget + "\nsweep: { parameter: 'appSetting:X', values: [a, b] }\n").Errors);

        Assert.Equal("sweep", error.Path);
        Assert.Contains("needs target.azure (resourceId) or, for appSetting:NAME, a local target.process", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("settleTimeout: 90s", 90)]
    [InlineData("settleTimeout: 30m", 1800)]
    public void LoadText_SettleTimeout_IsMapped(string setting, int seconds)
    {
        var w = WorkloadLoader.LoadText(ProcessTarget + $"\nsweep: {{ parameter: 'appSetting:X', values: [a], {setting} }}\n", "t.yaml");

        Assert.Equal(TimeSpan.FromSeconds(seconds), w.Sweep!.SettleTimeout);
    }

    [Theory]
    [InlineData("0s")]
    [InlineData("31m")]
    public void LoadText_SettleTimeoutOutOfRange_NamesTheField(string value)
    {
        var error = Assert.Single(TestWorkloads.Invalid(ProcessTarget + $"\nsweep: {{ parameter: 'appSetting:X', values: [a], settleTimeout: {value} }}\n").Errors);

        Assert.Equal("sweep.settleTimeout", error.Path);
        Assert.Contains("is outside (0, 30m]", error.Message, StringComparison.Ordinal);
    }
}
