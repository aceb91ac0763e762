using Yardstick.Core.Load;
using Yardstick.Core.Workloads;

namespace Yardstick.Core.Tests.Workloads;

/// <summary>The example workloads under workloads/ load without errors and map every field they set.</summary>
public sealed class WorkloadExamplesTests
{
    public static TheoryData<string> Examples => new(ExampleFiles());

    [Theory]
    [MemberData(nameof(Examples))]
    public void LoadFile_Example_LoadsAndStartsWithTheSchemaComment(string file)
    {
        var path = Path.Combine(TestWorkloads.ExamplesDirectory, file);

        var workload = WorkloadLoader.LoadFile(path, environment: TestWorkloads.Environment);

        Assert.Equal("# yaml-language-server: $schema=./schema/workload.schema.json", File.ReadLines(path).First());
        Assert.Equal(Path.GetFileNameWithoutExtension(file), workload.Name);
        Assert.Equal(TestWorkloads.ExamplesDirectory, workload.SourceDirectory);
    }

    [Fact]
    public void LoadFile_ExpectedExamplesExist()
    {
        Assert.Subset(ExampleFiles().ToHashSet(), new HashSet<string> { "hello-local.yaml", "ramp-local.yaml", "closed-local.yaml", "coldstart-local.yaml", "sweep-local.yaml", "azure-flex-example.yaml" });
    }

    private static string[] ExampleFiles() =>
        Directory.GetFiles(TestWorkloads.ExamplesDirectory, "*.yaml").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public void LoadFile_HelloLocal_MapsEveryField()
    {
        var w = TestWorkloads.LoadExample("hello-local.yaml");

        Assert.Equal("hello-local", w.Name);
        Assert.StartsWith("Constant 200 req/s", w.Description, StringComparison.Ordinal);
        Assert.Equal("http://127.0.0.1:5080/api/hello", w.Target.Url);
        Assert.Equal("GET", w.Target.Method);
        Assert.Equal("text/plain", w.Target.Headers["Accept"]);
        Assert.Equal(WorkloadLoader.SampleTargetCommand, w.Target.Process!.Command);
        Assert.Equal(["--urls", "http://127.0.0.1:5080"], w.Target.Process.Args);
        Assert.Equal(TimeSpan.FromSeconds(30), w.Target.Process.ReadyTimeout);
        Assert.Equal(LoadModel.Open, w.Load.Model);
        Assert.Equal(200, w.Load.Rate!.Value.PerSecond);
        Assert.Equal(TimeSpan.FromSeconds(10), w.Load.Duration);
        Assert.Equal(TimeSpan.FromSeconds(2), w.Load.Warmup);
        Assert.Equal(2, w.Load.Shards);
        Assert.Equal(200, w.Load.MaxInFlight);
        Assert.Equal(TimeSpan.FromSeconds(5), w.Load.Timeout);
        Assert.Equal(["p(95) < 200ms", "errorRate < 1%"], w.Thresholds);
        Assert.Equal(["p50", "p95", "p99", "errorRate"], w.Compare.Metrics);
        Assert.Equal(0.05, w.Compare.Margin, 12);
        Assert.Equal(0.01, w.Compare.Alpha, 12);
        Assert.Equal(1, w.Compare.Repeat);
        Assert.Equal("current", w.Compare.Baseline);
        Assert.Equal("yardstick", w.Tags["team"]);
        Assert.Equal("smoke", w.Tags["purpose"]);
        Assert.Null(w.Cost);
        Assert.Null(w.Sweep);
        Assert.Null(w.Schedule);
        Assert.Equal(ColdStartStrategy.None, w.ColdStart.Strategy);
    }

    [Fact]
    public void LoadFile_RampLocal_MapsStagesAndDerivesDuration()
    {
        var w = TestWorkloads.LoadExample("ramp-local.yaml");

        Assert.Null(w.Load.Rate);
        Assert.Equal(Rate.Zero, w.Load.StartRate);
        Assert.Equal(
            [new StageSpec(TimeSpan.FromSeconds(5), new Rate(100)), new StageSpec(TimeSpan.FromSeconds(10), new Rate(400)), new StageSpec(TimeSpan.FromSeconds(10), new Rate(400)), new StageSpec(TimeSpan.FromSeconds(5), Rate.Zero)],
            w.Load.Stages);
        Assert.Equal(TimeSpan.FromSeconds(30), w.Load.Duration);
        Assert.Equal(ArrivalProcess.Uniform, w.Load.Arrivals);
        Assert.Equal("http://127.0.0.1:5081/api/work?ms=5", w.Target.Url);
    }

    [Fact]
    public void LoadFile_ClosedLocal_MapsConcurrencyAndThinkTime()
    {
        var w = TestWorkloads.LoadExample("closed-local.yaml");

        Assert.Equal(LoadModel.Closed, w.Load.Model);
        Assert.Equal(20, w.Load.Concurrency);
        Assert.Equal(TimeSpan.FromMilliseconds(10), w.Load.ThinkTime);
        Assert.Equal(20, w.Load.Connections);
        Assert.Contains("throughput", w.Compare.Metrics);
    }

    [Fact]
    public void LoadFile_ColdStartLocal_MapsProcessStrategy()
    {
        var w = TestWorkloads.LoadExample("coldstart-local.yaml");

        Assert.Equal(ColdStartStrategy.Process, w.ColdStart.Strategy);
        Assert.Equal(5, w.ColdStart.Probes);
        Assert.Equal(3, w.ColdStart.WarmRequests);
        Assert.Equal(TimeSpan.FromSeconds(30), w.ColdStart.ProbeTimeout);
        Assert.Equal(["--urls", "http://127.0.0.1:5083", "--init-delay-ms", "800"], w.Target.Process!.Args);
    }

    [Fact]
    public void LoadFile_EvictionLocal_MapsTheCurveOfAProcessTarget()
    {
        var w = TestWorkloads.LoadExample("eviction-local.yaml");

        Assert.Equal(ColdStartStrategy.Idle, w.ColdStart.Strategy);
        Assert.Equal([1, 2, 5], w.ColdStart.IdleTimes.Select(t => t.TotalSeconds));
        Assert.Null(w.Target.Azure);
        Assert.Contains("--idle-recycle-ms", w.Target.Process!.Args);
    }

    [Fact]
    public void LoadFile_SweepLocal_MapsAnAppSettingSweepOfAProcessTarget()
    {
        var w = TestWorkloads.LoadExample("sweep-local.yaml");

        Assert.Null(w.Target.Azure);
        Assert.Equal(WorkloadLoader.SampleTargetCommand, w.Target.Process!.Command);
        Assert.Equal("appSetting:YARDSTICK_EXTRA_LATENCY_MS", w.Sweep!.Parameter);
        Assert.Equal(["0", "10", "30"], w.Sweep.Values);
        Assert.Equal(TimeSpan.FromMinutes(1), w.Sweep.SettleTimeout);
        Assert.Equal(2, w.Compare.Repeat);
        Assert.Equal(HostingPlan.Consumption, w.Cost!.Plan);
        Assert.True(File.Exists(Path.GetFullPath(w.Cost.PricingFile!, TestWorkloads.ExamplesDirectory)), "the pricing file resolves against the workload's folder");
    }

    [Fact]
    public void LoadFile_AzureFlexExample_MapsAzureCostSweepAndKeepsSecretReferenceUnresolved()
    {
        var w = TestWorkloads.LoadExample("azure-flex-example.yaml");

        // The reference is checked, never substituted into the model (activities resolve it just before sending).
        Assert.Equal("${env:YARDSTICK_SECRET_FUNCTION_KEY}", w.Target.Headers["x-functions-key"]);
        Assert.EndsWith("/providers/Microsoft.Web/sites/yardstick-demo-app", w.Target.Azure!.ResourceId, StringComparison.Ordinal);
        Assert.Equal("00000000-0000-0000-0000-000000000000", w.Target.Azure.LogAnalyticsWorkspaceId);
        Assert.Equal(ColdStartStrategy.Restart, w.ColdStart.Strategy);
        Assert.Equal(10, w.ColdStart.Probes);
        Assert.Equal(TimeSpan.FromSeconds(5), w.ColdStart.Settle);
        Assert.Equal(HostingPlan.FlexConsumption, w.Cost!.Plan);
        Assert.Equal("eastus", w.Cost.Region);
        Assert.Equal(2048, w.Cost.InstanceMemoryMB);
        Assert.False(w.Cost.IncludeFreeGrant);
        Assert.Equal("instanceMemoryMB", w.Sweep!.Parameter);
        Assert.Equal(["512", "2048", "4096"], w.Sweep.Values);
        // Shipped with the deployed app, so not scheduled: it would load a demo URL every night.
        Assert.Null(w.Schedule);
        Assert.Equal("rolling(5)", w.Compare.Baseline);
        Assert.Equal("demo", w.Compare.Environment);
        Assert.Equal(3, w.Compare.Repeat);
    }

    [Fact]
    public void LoadFile_AzureFlexExample_WithoutFunctionKey_NamesTheVariable()
    {
        var path = Path.Combine(TestWorkloads.ExamplesDirectory, "azure-flex-example.yaml");

        var ex = Assert.Throws<WorkloadValidationException>(() => WorkloadLoader.LoadFile(path, environment: _ => null));

        var error = Assert.Single(ex.Errors);
        Assert.Equal("target.headers.x-functions-key", error.Path);
        Assert.Contains("'YARDSTICK_SECRET_FUNCTION_KEY'", error.Message, StringComparison.Ordinal);
    }
}
