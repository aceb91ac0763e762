using Yardstick.Core.Measurements;
using Yardstick.Core.Summaries;
using Yardstick.Core.Verdicts;

namespace Yardstick.Core.Tests.Verdicts;

/// <summary>Thresholds on response checks: 'checks > 99.9%' and a request's own 'items.checks'.</summary>
public sealed class CheckThresholdTests
{
    private static RunSummary Summary(params CheckSummary[] checks) => new()
    {
        RunId = "r",
        Workload = "w",
        Status = "completed",
        Requests = 1000,
        LatencyMs = new LatencySummary(),
        SchedulingLagMs = new LagSummary(),
        Checks = checks,
    };

    private static CheckSummary Check(string? request, string name, long passed, long failed) =>
        new() { Request = request, Name = name, Expression = name, Passed = passed, Failed = failed, PassRate = (double)passed / (passed + failed) };

    [Theory]
    [InlineData("checks > 99.9%", 0.999)]
    [InlineData("checks >= 0.99", 0.99)]
    [InlineData("items.checks > 99%", 0.99)]
    public void Parse_Checks_IsAFraction(string text, double bound)
    {
        var threshold = ThresholdParser.Parse(text);

        Assert.Equal(bound, threshold.Value, 12);
        Assert.Equal(MetricKeys.Checks, MetricKeys.Base(threshold.Metric));
    }

    [Theory]
    [InlineData("checks > 120%", "above 100 %")]
    [InlineData("checks > 5ms", "does not apply")]
    [InlineData("chekcs > 99%", "did you mean 'checks'")]
    public void Parse_BadChecksThreshold_SaysWhy(string text, string message)
    {
        var e = Assert.Throws<InputException>(() => ThresholdParser.Parse(text, "thresholds[0]"));

        Assert.Equal("thresholds[0]", e.Field);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_PassRateBelowTheBound_FailsTheThreshold()
    {
        // items: 1,000 + 988 passed of 2,000 evaluations; hello: 1,000 of 1,000. Run-wide 2,988 / 3,000 = 99.6 %.
        var summary = Summary(Check("items", "status", 1000, 0), Check("items", "ok", 988, 12), Check("hello", "status", 1000, 0));
        var thresholds = new[] { ThresholdParser.Parse("checks > 99.9%"), ThresholdParser.Parse("hello.checks >= 100%"), ThresholdParser.Parse("items.checks > 99.5%") };

        var values = ThresholdValues.From(thresholds, summary, latency: null);
        var results = ThresholdEvaluator.Evaluate(thresholds, values);

        Assert.Equal(2988.0 / 3000, values["checks"], 12);
        Assert.Equal(1.0, values["hello.checks"]);
        Assert.Equal(1988.0 / 2000, values["items.checks"], 12);
        Assert.False(results[0].Passed);
        Assert.Equal("checks = 99.6%, required > 99.9%: failed.", results[0].Explanation);
        Assert.True(results[1].Passed);
        Assert.False(results[2].Passed);
    }

    [Fact]
    public void Evaluate_NoChecksRan_FailsAsNotMeasured()
    {
        var thresholds = new[] { ThresholdParser.Parse("checks > 99%") };

        var results = ThresholdEvaluator.Evaluate(thresholds, ThresholdValues.From(thresholds, Summary(), latency: null));

        Assert.False(results[0].Passed);
        Assert.Contains("not measured", results[0].Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void SummaryBuilder_ChecksAndTheCheckErrorClass_ComeFromTheMergedShards()
    {
        var merged = ShardMerger.Merge([
            Shard(new CheckResult { Name = "ok", Request = "items", Expression = "json $.status == \"ok\"", Passed = 90, Failed = 10 }),
            Shard(new CheckResult { Name = "ok", Request = "items", Expression = "json $.status == \"ok\"", Passed = 100, Failed = 0 }),
        ]);

        var summary = RunSummaryBuilder.Build(new RunSummaryContext { RunId = "r", Workload = "w", Status = "completed" }, merged, []);

        var check = Assert.Single(summary.Checks);
        Assert.Equal((190L, 10L, 0.95), (check.Passed, check.Failed, check.PassRate));
        Assert.Equal(10, summary.ErrorBreakdown.Check);
        Assert.Equal(10, summary.Errors);
    }

    private static ShardResult Shard(CheckResult check) => new()
    {
        RunId = "r",
        Requests = check.Total,
        Successes = check.Passed,
        Errors = new ErrorCounts { Check = check.Failed },
        Latency = EncodedHistogram.Empty,
        ServiceTime = EncodedHistogram.Empty,
        SchedulingLag = EncodedHistogram.Empty,
        Checks = [check],
    };
}
