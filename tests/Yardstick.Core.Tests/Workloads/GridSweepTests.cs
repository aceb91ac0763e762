using Yardstick.Core.Cost;
using Yardstick.Core.Load.LocalTargets;
using Yardstick.Core.Workloads;

namespace Yardstick.Core.Tests.Workloads;

/// <summary>Grid sweeps: every combination is a variant, keyed and applied by its settings; caps refuse with the arithmetic.</summary>
public sealed class GridSweepTests
{
    private const string ProcessTarget = """
        name: grid
        target:
          url: http://127.0.0.1:5085/api/hello
          process: { command: sample-target, args: ["--urls", "http://127.0.0.1:5085"] }
        load: { rate: 10/s, duration: 2s }
        """;

    private const string AzureTarget = """
        name: grid
        target:
          url: https://app.example.net/api/hello
          azure: { resourceId: /subscriptions/s/resourceGroups/g/providers/Microsoft.Web/sites/app }
        load: { rate: 10/s, duration: 2s }
        cost: { plan: flexConsumption, region: eastus }
        """;

    [Fact]
    public void LoadText_LocalGrid_HasEveryCombination_FirstParameterSlowest()
    {
        var w = WorkloadLoader.LoadText(ProcessTarget + "\nsweep: { grid: { 'appSetting:A': [1, 4], 'appSetting:B': [0, 10, 30] } }\n", "t.yaml");

        var cells = w.Sweep!.Cells();
        Assert.Equal(["A=1,B=0", "A=1,B=10", "A=1,B=30", "A=4,B=0", "A=4,B=10", "A=4,B=30"], cells.Select(c => c.Key));
        Assert.Equal([new SweepSetting("appSetting:A", "4"), new SweepSetting("appSetting:B", "10")], cells[4].Settings);
        Assert.Equal("appSetting:A × appSetting:B", w.Sweep.Label);
    }

    [Fact]
    public void SweepEnvironment_GridCell_SetsEveryAppSetting()
    {
        var w = WorkloadLoader.LoadText(ProcessTarget + "\nsweep: { grid: { 'appSetting:A': [1, 4], 'appSetting:B': [0, 10] } }\n", "t.yaml");

        var environment = SweepEnvironment.For(w.Sweep, "A=4,B=10");

        Assert.Equal(new Dictionary<string, string> { ["A"] = "4", ["B"] = "10" }, environment);
    }

    [Fact]
    public void VariantCostModel_GridCell_BillsItsMemoryAndAlwaysReady()
    {
        var w = WorkloadLoader.LoadText(AzureTarget + "\nsweep: { grid: { instanceMemoryMB: [512, 4096], alwaysReady: [0, 2] } }\n", "t.yaml");

        var spec = VariantCostModel.SpecFor(w.Cost!, w.Sweep, "instanceMemoryMB=4096,alwaysReady=2");

        Assert.Equal((4096, HostingPlan.FlexConsumptionAlwaysReady, 2), (spec.InstanceMemoryMB, spec.Plan, spec.AlwaysReadyInstances));
    }

    [Fact]
    public void LoadText_GridBeyondTheVariantCap_IsRefusedWithTheArithmetic()
    {
        var values = "[" + string.Join(", ", Enumerable.Range(1, 9)) + "]";
        var error = Assert.Single(TestWorkloads.Invalid(ProcessTarget + $"\nsweep: {{ grid: {{ 'appSetting:A': {values}, 'appSetting:B': {values} }} }}\n").Errors);

        Assert.Equal("sweep.grid", error.Path);
        Assert.Contains("9 × 9 = 81 cells, above the cap of 64 variants per run", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadText_GridBeyondTheLoadTimeCap_IsRefusedWithTheArithmetic()
    {
        var text = ProcessTarget.Replace("duration: 2s", "duration: 1h, warmup: 10m", StringComparison.Ordinal)
            + "\ncompare: { repeat: 4 }\nsweep: { grid: { 'appSetting:A': [1, 2, 3], 'appSetting:B': [1, 2] } }\n";

        var error = Assert.Single(TestWorkloads.Invalid(text).Errors);

        Assert.Equal("sweep.grid", error.Path);
        Assert.Contains("3 × 2 = 6 cells × 4 rounds × (10m warm-up + 1h measured) = ", error.Message, StringComparison.Ordinal);
        Assert.Contains("of load, above the cap of 24h per run", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadText_GridBeyondTheRequestCap_ShowsTheGridInTheArithmetic()
    {
        var text = ProcessTarget.Replace("rate: 10/s, duration: 2s", "rate: 20000/s, duration: 2h", StringComparison.Ordinal)
            + "\nsweep: { grid: { 'appSetting:A': [1, 2], 'appSetting:B': [1, 2] } }\n";

        var error = Assert.Single(TestWorkloads.Invalid(text).Errors, e => e.Path == "load");

        Assert.Contains("144,000,000 requests per turn × 1 rounds × 2 × 2 grid cells", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sweep: { grid: { 'appSetting:A': [1, 2], 'appSetting:B': [1] }, parameter: 'appSetting:A', values: [1] }", "sweep.grid", "not both")]
    [InlineData("sweep: { grid: { 'appSetting:A': [1, 2] } }", "sweep.grid", "")]
    [InlineData("sweep: { grid: { 'appSetting:A': [1, 2], instanceMemoryMB: [512] } }", "sweep.grid.instanceMemoryMB", "needs target.azure")]
    [InlineData("sweep: { grid: { 'appSetting:A': ['x,y', 2], 'appSetting:B': [1] } }", "sweep.grid.appSetting:A[0]", "must not contain ',' or '='")]
    [InlineData("sweep: { parameter: 'appSetting:A', values: [1], costWeight: 0.3 }", "sweep.costWeight", "recommend: balanced only")]
    [InlineData("sweep: { values: [1] }", "sweep.parameter", "is required")]
    public void LoadText_BadGrid_NamesTheField(string sweep, string path, string message)
    {
        var errors = TestWorkloads.Invalid(ProcessTarget + "\n" + sweep + "\n").Errors;

        Assert.Contains(errors, e => e.Path == path && e.Message.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void LoadExample_GridLocal_IsATwoByThreeGridOfTheSampleTargetsKnobs()
    {
        var w = TestWorkloads.LoadExample("grid-local.yaml");

        Assert.Equal(6, w.Sweep!.Cells().Count);
        Assert.Equal(["appSetting:YARDSTICK_MAX_CONCURRENCY", "appSetting:YARDSTICK_EXTRA_LATENCY_MS"], w.Sweep.Grid.Select(d => d.Parameter));
        Assert.Equal((RecommendStrategy.Balanced, 0.5), (w.Sweep.Recommend.Strategy, w.Sweep.Recommend.Weight));
    }
}
