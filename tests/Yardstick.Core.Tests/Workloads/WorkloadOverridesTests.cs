using Yardstick.Core.Load;
using Yardstick.Core.Workloads;

namespace Yardstick.Core.Tests.Workloads;

public sealed class WorkloadOverridesTests
{
    [Fact]
    public void LoadFile_Overrides_ApplyBeforeValidation()
    {
        var w = TestWorkloads.LoadExample(
            "hello-local.yaml",
            "load.rate=300/s",
            "target.url=http://127.0.0.1:5099/api/hello",
            "tags.commit=abc123",
            "compare.repeat=3",
            "target.process.args[2]=--extra-latency-ms",
            "target.process.args[3]=20");

        Assert.Equal(new Rate(300), w.Load.Rate);
        Assert.Equal("http://127.0.0.1:5099/api/hello", w.Target.Url);
        Assert.Equal("abc123", w.Tags["commit"]);
        Assert.Equal("yardstick", w.Tags["team"]);
        Assert.Equal(3, w.Compare.Repeat);
        Assert.Equal(["--urls", "http://127.0.0.1:5080", "--extra-latency-ms", "20"], w.Target.Process!.Args);
    }

    [Fact]
    public void LoadFile_OverrideOfAnExistingListItem_ReplacesIt()
    {
        var w = TestWorkloads.LoadExample("coldstart-local.yaml", "target.process.args[3]=1200");

        Assert.Equal(["--urls", "http://127.0.0.1:5083", "--init-delay-ms", "1200"], w.Target.Process!.Args);
    }

    [Fact]
    public void LoadText_DigitsWhereTheSchemaWantsAString_StayAString()
    {
        var w = WorkloadLoader.LoadText(TestWorkloads.Minimal, "t.yaml", ["tags.commit=1234567", "tags.dirty=true"]);

        Assert.Equal("1234567", w.Tags["commit"]);
        Assert.Equal("true", w.Tags["dirty"]);
    }

    [Fact]
    public void LoadText_MissingSections_AreCreated()
    {
        var w = WorkloadLoader.LoadText(TestWorkloads.Minimal, "t.yaml", ["cost.plan=premium", "cost.premiumInstances=2", "compare.metrics=[p50, p99]"]);

        Assert.Equal(HostingPlan.Premium, w.Cost!.Plan);
        Assert.Equal(2, w.Cost.PremiumInstances);
        Assert.Equal(["p50", "p99"], w.Compare.Metrics);
    }

    [Fact]
    public void LoadText_EmptyValue_RemovesTheField()
    {
        var w = WorkloadLoader.LoadText(TestWorkloads.Minimal + "\n  warmup: 3s\n", "t.yaml", ["load.warmup="]);

        Assert.Equal(TimeSpan.Zero, w.Load.Warmup);
    }

    [Fact]
    public void LoadText_QuotedValue_IsAString()
    {
        var w = WorkloadLoader.LoadText(TestWorkloads.Minimal, "t.yaml", ["description=\"a: b # not a comment\""]);

        Assert.Equal("a: b # not a comment", w.Description);
    }

    [Fact]
    public void LoadText_LaterOverrideWins()
    {
        var w = WorkloadLoader.LoadText(TestWorkloads.Minimal, "t.yaml", ["load.rate=20/s", "load.rate=30/s"]);

        Assert.Equal(new Rate(30), w.Load.Rate);
    }

    [Theory]
    [InlineData("load.rate=fast", "--set load.rate", "load.rate", "'fast' is not valid: An arrival rate")]
    [InlineData("load.rat=5/s", "--set load.rat", "load.rat", "did you mean 'rate'?")]
    [InlineData("load.shards=1000", "--set load.shards", "load.shards", "above the cap of 256")]
    [InlineData("compare.repeat=many", "--set compare.repeat", "compare.repeat", "expected a whole number, found a string")]
    [InlineData("name.first=x", "--set name.first", "name.first", "cannot set 'name.first': 'name' is a string, not a mapping")]
    [InlineData("thresholds[5]=p(95) < 1s", "--set thresholds[5]", "thresholds[5]", "index 5 is past the end of the list (0 items)")]
    [InlineData("load.rate", "--set load.rate", "", "expected path=value")]
    [InlineData("load..rate=1/s", "--set load..rate", "", "is not a field path")]
    [InlineData("target.url=http://169.254.169.254/", "--set target.url", "target.url", "link-local")]
    public void LoadText_BadOverride_NamesTheOverride(string setting, string source, string path, string message)
    {
        var ex = TestWorkloads.Invalid(TestWorkloads.Minimal, setting);

        var error = Assert.Single(ex.Errors);
        Assert.Equal(source, error.Source);
        Assert.Equal(path, error.Path);
        Assert.Null(error.Line);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.StartsWith(source + ": ", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void LoadText_OverrideErrorsAndFileErrors_AreBothReported()
    {
        var ex = TestWorkloads.Invalid(TestWorkloads.Minimal + "\n  shards: 0\n", "load.rate=fast");

        Assert.Equal(["load.shards", "load.rate"], ex.Errors.Select(e => e.Path));
        Assert.Equal("test.yaml", ex.Errors[0].Source);
        Assert.Equal(7, ex.Errors[0].Line);
        Assert.Equal("--set load.rate", ex.Errors[1].Source);
    }
}
