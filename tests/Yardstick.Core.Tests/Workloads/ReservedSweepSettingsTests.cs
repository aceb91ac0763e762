using Yardstick.Core.Load.Safety;
using Yardstick.Core.Workloads;

namespace Yardstick.Core.Tests.Workloads;

/// <summary>A sweep of a deployed app may not touch the platform's, the host's, Yardstick's or credential-like app settings.</summary>
public sealed class ReservedSweepSettingsTests
{
    private const string AzureTarget = """
        name: reserved
        target:
          url: https://app.example.net/api/hello
          azure: { resourceId: /subscriptions/s/resourceGroups/g/providers/Microsoft.Web/sites/app }
        load: { rate: 10/s, duration: 2s }
        """;

    private const string ProcessTarget = """
        name: reserved
        target:
          url: http://127.0.0.1:5086/api/hello
          process: { command: sample-target, args: ["--urls", "http://127.0.0.1:5086"] }
        load: { rate: 10/s, duration: 2s }
        """;

    [Theory]
    [InlineData("AzureWebJobsStorage")]
    [InlineData("azurewebjobs.disabled")]
    [InlineData("WEBSITE_RUN_FROM_PACKAGE")]
    [InlineData("Website_Time_Zone")]
    [InlineData("FUNCTIONS_WORKER_RUNTIME")]
    [InlineData("APPLICATIONINSIGHTS_CONNECTION_STRING")]
    [InlineData("YARDSTICK_ALLOWED_HOSTS")]
    [InlineData("yardstick_storage")]
    [InlineData("PaymentApiKey")]
    [InlineData("keyvault_uri")]
    [InlineData("CLIENT_SECRET")]
    [InlineData("SqlConnection")]
    public void LoadText_SweepOfReservedAppSetting_RefusedNamingSweepParameter(string name)
    {
        var error = Assert.Single(TestWorkloads.Invalid(AzureTarget + $"\nsweep: {{ parameter: 'appSetting:{name}', values: [a, b] }}\n").Errors);

        Assert.Equal("sweep.parameter", error.Path);
        Assert.Contains("may not be swept", error.Message, StringComparison.Ordinal);
        Assert.True(ReservedAppSettings.IsReserved(name));
    }

    [Fact]
    public void LoadText_GridKeyReserved_RefusedNamingTheGridKey()
    {
        var error = Assert.Single(TestWorkloads.Invalid(AzureTarget + "\nsweep: { grid: { 'appSetting:FEATURE_X': [on, off], 'appSetting:FUNCTIONS_WORKER_PROCESS_COUNT': [1, 2] } }\n").Errors);

        Assert.Equal("sweep.grid.appSetting:FUNCTIONS_WORKER_PROCESS_COUNT", error.Path);
    }

    [Theory]
    [InlineData("FEATURE_FLAG")]
    [InlineData("DOTNET_GCHeapHardLimitPercent")]
    [InlineData("MyThreshold")]
    public void LoadText_OrdinaryAppSetting_Accepted(string name)
    {
        var w = WorkloadLoader.LoadText(AzureTarget + $"\nsweep: {{ parameter: 'appSetting:{name}', values: [a, b] }}\n", "t.yaml");

        Assert.Equal(["a", "b"], w.Sweep!.Values);
        Assert.False(ReservedAppSettings.IsReserved(name));
    }

    [Fact]
    public void LoadText_LocalProcessTarget_SetsItsOwnEnvironment_YardstickKnobAccepted()
    {
        // The sample target started for the run reads YARDSTICK_EXTRA_LATENCY_MS; nothing deployed is touched.
        var w = WorkloadLoader.LoadText(ProcessTarget + "\nsweep: { parameter: 'appSetting:YARDSTICK_EXTRA_LATENCY_MS', values: [0, 30] }\n", "t.yaml");

        Assert.Equal(["0", "30"], w.Sweep!.Values);
    }
}
