using Yardstick.Core.Load;
using Yardstick.Core.Workloads;

namespace Yardstick.Core.Tests.Workloads;

/// <summary>requests:, steps: and correlation in workload files: mapping, planning and the errors naming the field.</summary>
public sealed class RequestMixSemanticsTests
{
    private const string Mix = """
        name: mix
        target:
          url: http://127.0.0.1:5080/api/hello
          headers: { Accept: application/json, x-team: payments }
        requests:
          - { name: browse, url: /api/items?count=3, weight: 6 }
          - { name: echo, method: POST, url: "http://127.0.0.1:5080/api/echo", headers: { x-team: checkout }, body: '{"a":1}', weight: 3 }
          - { name: hello }
        load: { rate: 30/s, duration: 2s }
        """;

    private const string Journey = """
        name: journey
        target: { url: http://127.0.0.1:5080/api/hello }
        requests:
          - { name: login, method: POST, url: /api/echo }
          - { name: browse, url: /api/items }
        steps:
          - { request: login, thinkTime: 1s }
          - { request: browse }
          - { request: browse, thinkTime: 250ms }
        load: { model: closed, concurrency: 4, thinkTime: 100ms, duration: 2s }
        """;

    [Fact]
    public void LoadText_Mix_MapsRequestsAndPlansThemWithTheTargetsDefaults()
    {
        var w = WorkloadLoader.LoadText(Mix, "t.yaml");
        var plan = ShardPlanner.Plan(w, "run", RunPhase.Measured, 0, "", default, 1)[0];

        Assert.Equal(["browse", "echo", "hello"], plan.Requests.Select(r => r.Name));
        Assert.Equal("http://127.0.0.1:5080/api/items?count=3", plan.Requests[0].Url);
        Assert.Equal("http://127.0.0.1:5080/api/hello", plan.Requests[2].Url);
        Assert.Equal(["GET", "POST", "GET"], plan.Requests.Select(r => r.Method));
        Assert.Equal([6.0, 3.0, 1.0], plan.Requests.Select(r => r.Weight));
        Assert.Equal("checkout", plan.Requests[1].Headers.Single(h => h.Name == "x-team").Value);
        Assert.Equal("payments", plan.Requests[0].Headers.Single(h => h.Name == "x-team").Value);
        Assert.Contains(plan.Requests[1].Headers, h => h.Name == "Accept");
        Assert.Null(plan.Requests[0].Body);
        Assert.True(plan.Correlation);
        Assert.Empty(plan.Steps);
    }

    [Fact]
    public void LoadText_Journey_StepsBecomeRequestIndicesWithTheirThinkTimes()
    {
        var plan = ShardPlanner.Plan(WorkloadLoader.LoadText(Journey, "t.yaml"), "run", RunPhase.Measured, 0, "", default, 1)[0];

        Assert.Equal([0, 1, 1], plan.Steps.Select(s => s.Request));
        Assert.Equal([TimeSpan.FromSeconds(1), (TimeSpan?)null, TimeSpan.FromMilliseconds(250)], plan.Steps.Select(s => s.ThinkTime));
        Assert.Equal(TimeSpan.FromMilliseconds(100), plan.ThinkTime);
    }

    [Fact]
    public void LoadText_SingleTarget_IsAMixOfOneUnnamed()
    {
        var plan = ShardPlanner.Plan(WorkloadLoader.LoadText(TestWorkloads.Minimal + "\n", "t.yaml"), "run", RunPhase.Measured, 0, "", default, 1)[0];

        var request = Assert.Single(plan.Requests);
        Assert.Null(request.Name);
    }

    [Fact]
    public void LoadText_CorrelationFalse_PlansNoCorrelation()
    {
        var w = WorkloadLoader.LoadText(TestWorkloads.Minimal.Replace("api/hello", "api/hello\n  correlation: false", StringComparison.Ordinal), "t.yaml");

        Assert.False(ShardPlanner.Plan(w, "run", RunPhase.Measured, 0, "", default, 1)[0].Correlation);
    }

    [Theory]
    [InlineData("  - { name: hello, url: /api/x }\n", "requests[3].name", "is used by another request")]
    [InlineData("  - { name: p95 }\n", "requests[3].name", "reads like a percentile")]
    [InlineData("  - { name: other, url: 'http://127.0.0.1:5081/x' }\n", "requests[3].url", "not on the target's origin")]
    [InlineData("  - { name: other, url: 'http://${data.host}/x' }\n", "requests[3].url", "needs a dataset")]
    [InlineData("  - { name: bad, headers: { traceparent: '00-x' } }\n", "requests[3].headers.traceparent", "Yardstick sets this header")]
    [InlineData("  - { name: bad, url: '/u/${data.}' }\n", "requests[3].url", "is not a valid data reference")]
    public void LoadText_BadRequest_ErrorNamesTheField(string extra, string path, string message)
    {
        var text = Mix.Replace("  - { name: hello }\n", "  - { name: hello }\n" + extra, StringComparison.Ordinal);

        var error = Assert.Single(TestWorkloads.Invalid(text).Errors, e => e.Path == path);

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadText_StepsWithTheOpenModel_Refused()
    {
        var error = Assert.Single(TestWorkloads.Invalid(Mix + "\nsteps: [ { request: hello } ]\n").Errors);

        Assert.Equal("steps", error.Path);
        Assert.Contains("closed model", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadText_StepNamingNoRequest_RefusedWithASuggestion()
    {
        var error = Assert.Single(TestWorkloads.Invalid(Journey.Replace("- { request: browse }", "- { request: browze }", StringComparison.Ordinal)).Errors);

        Assert.Equal("steps[1].request", error.Path);
        Assert.Contains("did you mean 'browse'?", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("compare: { metrics: [browse.p95, checkout.p95] }", "compare.metrics[1]")]
    [InlineData("thresholds: ['browse.p(95) < 300ms', 'chekout.errorRate < 1%']", "thresholds[1]")]
    public void LoadText_MetricOfAnUnknownRequest_Refused(string section, string path)
    {
        var error = Assert.Single(TestWorkloads.Invalid(Mix + "\n" + section + "\n").Errors);

        Assert.Equal(path, error.Path);
        Assert.Contains("which is not in requests:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadText_RequestMetricsAndThresholds_Accepted()
    {
        var w = WorkloadLoader.LoadText(Mix + "\ncompare: { metrics: [p95, browse.p95, echo.errorRate] }\nthresholds: [\"browse.p(99.9) < 1s\", \"echo.rps > 1\"]\n", "t.yaml");

        Assert.Equal(["p95", "browse.p95", "echo.errorRate"], w.Compare.Metrics);
    }

    [Fact]
    public void LoadText_RequestMetricWithoutAMix_Refused()
    {
        var error = Assert.Single(TestWorkloads.Invalid(TestWorkloads.Minimal + "\ncompare: { metrics: [checkout.p95] }\n").Errors);

        Assert.Contains("the workload has no requests:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SettingsHash_MixChanges_HashChanges_PlainWorkloadUnaffectedByTheNewFields()
    {
        var a = WorkloadFingerprint.SettingsHash(WorkloadLoader.LoadText(Mix, "t.yaml"));
        var b = WorkloadFingerprint.SettingsHash(WorkloadLoader.LoadText(Mix.Replace("weight: 6", "weight: 5", StringComparison.Ordinal), "t.yaml"));
        var plain = WorkloadFingerprint.CanonicalJson(WorkloadLoader.LoadText(TestWorkloads.Minimal, "t.yaml"));

        Assert.NotEqual(a, b);
        Assert.DoesNotContain("requests", plain, StringComparison.Ordinal);
        Assert.DoesNotContain("correlation", plain, StringComparison.Ordinal);
    }
}
