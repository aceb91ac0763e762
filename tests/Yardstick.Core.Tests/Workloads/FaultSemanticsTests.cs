using Yardstick.Core.Verdicts;
using Yardstick.Core.Workloads;

namespace Yardstick.Core.Tests.Workloads;

/// <summary><c>faults:</c> — mapping, and every rule naming its field (offsets, kinds per target, bounds, reserved settings).</summary>
public sealed class FaultSemanticsTests
{
    /// <summary>A local process target measured for 30 s: room for faults.</summary>
    private const string Local = """
        name: faulty
        target:
          url: http://127.0.0.1:5080/api/hello
          process:
            command: sample-target
            args: ["--admin"]
        load:
          rate: 10/s
          duration: 30s
        """;

    private const string Azure = """
        name: faulty
        target:
          url: https://app.example.net/api/hello
          azure:
            resourceId: /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/sites/app
        load:
          rate: 10/s
          duration: 60s
        """;

    [Fact]
    public void LoadText_EveryKind_MapsEveryField()
    {
        var w = WorkloadLoader.LoadText(Local + """

            faults:
              - { at: 5s, kind: stall, ms: 300, for: 3s }
              - { at: 10s, kind: fail, rate: 50%, for: 2s }
              - { at: 15s, kind: restart }
            thresholds: ["recoveryTime < 5s"]
            """, "test.yaml", null, TestWorkloads.Environment);

        Assert.Equal([FaultKind.Stall, FaultKind.Fail, FaultKind.Restart], w.Faults.Select(f => f.Kind));
        Assert.Equal((TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(3), 300), (w.Faults[0].At, w.Faults[0].For!.Value, w.Faults[0].Ms!.Value));
        Assert.Equal(0.5, w.Faults[1].Rate);
        Assert.Null(w.Faults[2].For);
        Assert.Equal("stall 300 ms for 3s", w.Faults[0].Describe());
        Assert.Equal("fail 50% for 2s", w.Faults[1].Describe());
    }

    [Fact]
    public void LoadText_AppSettingOnAzure_MapsNameAndValue()
    {
        var w = WorkloadLoader.LoadText(Azure + "\nfaults: [{ at: 10s, kind: appSetting, name: FEATURE_CACHE, value: false, for: 20s }, { at: 40s, kind: restart }]\n", "test.yaml", null, TestWorkloads.Environment);

        Assert.Equal(("FEATURE_CACHE", "false"), (w.Faults[0].Name, w.Faults[0].Value));
        Assert.Equal(FaultKind.Restart, w.Faults[1].Kind);
    }

    [Fact]
    public void LoadText_NoFaults_IsEmpty() =>
        Assert.Empty(WorkloadLoader.LoadText(TestWorkloads.Minimal, "test.yaml", null, TestWorkloads.Environment).Faults);

    [Theory]
    [InlineData("faults: [{ at: 1s, kind: restart }]", "faults[0].at", "pre-fault band")]
    [InlineData("faults: [{ at: 30s, kind: restart }]", "faults[0].at", "not inside the measured phase")]
    [InlineData("faults: [{ at: 2m, kind: restart }]", "faults[0].at", "not inside the measured phase")]
    [InlineData("faults: [{ at: 10s, kind: stall, ms: 300, for: 5s }, { at: 12s, kind: restart }]", "faults[1].at", "before faults[0] ends (15s)")]
    [InlineData("faults: [{ at: 20s, kind: restart }, { at: 10s, kind: restart }]", "faults[1].at", "in order of 'at'")]
    [InlineData("faults: [{ at: 10s, kind: stall, ms: 300, for: 20s }]", "faults[0].for", "reaches the end of the measured phase")]
    [InlineData("faults: [{ at: 10s, kind: stall, ms: 300 }]", "faults[0].for", "is required for a stall fault")]
    [InlineData("faults: [{ at: 10s, kind: stall, for: 2s }]", "faults[0].ms", "is required for a stall fault")]
    [InlineData("faults: [{ at: 10s, kind: stall, ms: 0, for: 2s }]", "faults[0].ms", "outside 1..60000")]
    [InlineData("faults: [{ at: 10s, kind: stall, ms: 60001, for: 2s }]", "faults[0].ms", "outside 1..60000")]
    [InlineData("faults: [{ at: 10s, kind: fail, rate: 1.5, for: 2s }]", "faults[0].rate", "outside (0%, 100%]")]
    [InlineData("faults: [{ at: 10s, kind: fail, rate: 0, for: 2s }]", "faults[0].rate", "outside (0%, 100%]")]
    [InlineData("faults: [{ at: 10s, kind: fail, for: 2s }]", "faults[0].rate", "is required for a fail fault")]
    [InlineData("faults: [{ at: 10s, kind: restart, for: 2s }]", "faults[0].for", "does not apply to a restart fault")]
    [InlineData("faults: [{ at: 10s, kind: stall, ms: 100, rate: 0.5, for: 2s }]", "faults[0].rate", "does not apply to a stall fault")]
    [InlineData("faults: [{ at: 10s, kind: appSetting, name: X, value: y, for: 2s }]", "faults[0].kind", "needs target.azure")]
    [InlineData("faults: [{ at: 10s, kind: explode }]", "faults[0].kind", "")]
    [InlineData("faults: [{ kind: restart }]", "faults[0].at", "")]
    [InlineData("faults: [{ at: 10s, kind: restart, url: \"http://127.0.0.1:9/\" }]", "faults[0].url", "")]
    public void LoadText_LocalFaultRule_NamesTheField(string section, string path, string message)
    {
        var errors = TestWorkloads.Invalid(Local + "\n" + section + "\n").Errors;

        Assert.Contains(errors, e => e.Path == path && e.Message.Contains(message, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("AzureWebJobsStorage")]
    [InlineData("WEBSITE_RUN_FROM_PACKAGE")]
    [InlineData("website_time_zone")]
    [InlineData("FUNCTIONS_WORKER_RUNTIME")]
    [InlineData("APPLICATIONINSIGHTS_CONNECTION_STRING")]
    [InlineData("YARDSTICK_COLD_START")]
    [InlineData("MY_API_KEY")]
    [InlineData("DbConnection")]
    public void LoadText_AppSettingThatCouldBreakTheApp_IsRefusedNamingTheName(string name)
    {
        var errors = TestWorkloads.Invalid(Azure + $"\nfaults: [{{ at: 10s, kind: appSetting, name: {name}, value: x, for: 5s }}]\n").Errors;

        Assert.Contains(errors, e => e.Path == "faults[0].name" && e.Message.Contains("may not be changed by a fault", StringComparison.Ordinal));
    }

    [Fact]
    public void LoadText_RestartWithoutProcessOrAzure_NamesTheKind()
    {
        var errors = TestWorkloads.Invalid(TestWorkloads.Minimal.Replace("duration: 5s", "duration: 20s", StringComparison.Ordinal) + "\nfaults: [{ at: 5s, kind: restart }]\n").Errors;

        Assert.Contains(errors, e => e.Path == "faults[0].kind" && e.Message.Contains("target.process", StringComparison.Ordinal));
    }

    [Fact]
    public void LoadText_NineFaults_IsRefused()
    {
        var faults = string.Join(", ", Enumerable.Range(0, 9).Select(i => $"{{ at: {5 + (i * 2)}s, kind: restart }}"));

        var errors = TestWorkloads.Invalid(Local + $"\nfaults: [{faults}]\n").Errors;

        Assert.Contains(errors, e => e.Path == "faults");
    }

    [Theory]
    [InlineData("compare: { repeat: 3 }", "compare.repeat")]
    [InlineData("sweep: { parameter: \"appSetting:YARDSTICK_EXTRA_LATENCY_MS\", values: [0, 10] }", "faults")]
    [InlineData("compare: { against: { url: \"http://127.0.0.1:5090\" } }", "compare.against")]
    public void LoadText_FaultsWithRoundsThatVary_AreRefused(string section, string path)
    {
        var errors = TestWorkloads.Invalid(Local + "\nfaults: [{ at: 5s, kind: restart }]\n" + section + "\n").Errors;

        Assert.Contains(errors, e => e.Path == path);
    }

    [Fact]
    public void LoadText_RecoveryTimeThresholdWithoutFaults_NamesTheThreshold()
    {
        var errors = TestWorkloads.Invalid(TestWorkloads.Minimal + "\nthresholds: [\"recoveryTime < 5s\"]\n").Errors;

        Assert.Contains(errors, e => e.Path == "thresholds[0]" && e.Message.Contains("needs a fault run", StringComparison.Ordinal));
    }

    [Fact]
    public void ThresholdParser_RecoveryTime_IsADurationInMs()
    {
        var threshold = ThresholdParser.Parse("recoveryTime <= 2.5s");

        Assert.Equal((MetricKeys.RecoveryTime, 2_500d), (threshold.Metric, threshold.Value));
        Assert.False(ThresholdParser.TryParse("recoveryTime < 5", out _, out var error));
        Assert.Contains("time unit", error, StringComparison.Ordinal);
    }
}
