using Yardstick.Core.Load;
using Yardstick.Core.Workloads;

namespace Yardstick.Core.Tests.Workloads;

/// <summary>checks: in workload files: mapping, planning, and validation errors naming the field.</summary>
public sealed class CheckSemanticsTests
{
    private const string Mix = """
        name: mix
        target:
          url: http://127.0.0.1:5080/api/hello
          checks: [ "status in [200, 201]" ]
        requests:
          - name: items
            url: /api/items
            checks:
              - header content-type ~ json
              - { name: status-ok, expect: 'json $.status == "ok"' }
          - { name: hello }
        load: { rate: 30/s, duration: 2s }
        """;

    private const string Single = """
        name: single
        target:
          url: http://127.0.0.1:5080/api/items
          checks:
            - json $.items.length > 0
            - latency < 2s
        load: { rate: 10/s, duration: 1s }
        """;

    [Fact]
    public void LoadText_Mix_TargetChecksComeFirstThenTheRequestsOwn()
    {
        var plan = ShardPlanner.Plan(WorkloadLoader.LoadText(Mix, "t.yaml"), "run", RunPhase.Measured, 0, "", default, 1)[0];

        Assert.Equal(["status in [200, 201]", "header content-type ~ json", "json $.status == \"ok\""], plan.Requests[0].Checks.Select(c => c.Expression));
        Assert.Equal([null, null, "status-ok"], plan.Requests[0].Checks.Select(c => c.Name));
        Assert.Equal(["status in [200, 201]"], plan.Requests[1].Checks.Select(c => c.Expression));
    }

    [Fact]
    public void LoadText_SingleTarget_PlansTheTargetsChecks()
    {
        var plan = ShardPlanner.Plan(WorkloadLoader.LoadText(Single, "t.yaml"), "run", RunPhase.Measured, 0, "", default, 1)[0];

        Assert.Equal(["json $.items.length > 0", "latency < 2s"], Assert.Single(plan.Requests).Checks.Select(c => c.Expression));
    }

    [Fact]
    public void BuildRequest_ForProbes_CarriesNoChecks() =>
        Assert.Empty(ShardPlanner.BuildRequest(WorkloadLoader.LoadText(Single, "t.yaml").Target).Checks);

    [Theory]
    [InlineData("      - json $.x >\n", "requests[0].checks[2]", "cannot parse 'json $.x >'")]
    [InlineData("      - status = 200\n", "requests[0].checks[2]", "'=' is not an operator")]
    [InlineData("      - { name: status-ok, expect: status == 200 }\n", "requests[0].checks[2]", "also named 'status-ok'")]
    [InlineData("      - { name: x }\n", "requests[0].checks[2].expect", "")]
    [InlineData("      - { expect: status == 200, extra: 1 }\n", "requests[0].checks[2].extra", "")]
    public void LoadText_BadRequestCheck_ErrorNamesTheField(string extra, string path, string message)
    {
        var text = Mix.Replace("  - { name: hello }\n", extra + "  - { name: hello }\n", StringComparison.Ordinal);

        var error = Assert.Single(TestWorkloads.Invalid(text).Errors, e => e.Path.StartsWith("requests[0].checks", StringComparison.Ordinal));

        Assert.Equal(path, error.Path);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadText_BadTargetCheck_ErrorNamesTheField()
    {
        var error = Assert.Single(TestWorkloads.Invalid(Single.Replace("latency < 2s", "latency > 2s", StringComparison.Ordinal)).Errors);

        Assert.Equal("target.checks[1]", error.Path);
        Assert.Contains("bounded from above", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadText_AbsurdlyLongCheck_Refused()
    {
        var error = Assert.Single(TestWorkloads.Invalid(Single.Replace("latency < 2s", "body contains " + new string('x', 100_000), StringComparison.Ordinal)).Errors);

        Assert.Equal("target.checks[1]", error.Path);
    }

    [Fact]
    public void LoadText_TooManyChecksWithTheTargets_Refused()
    {
        var many = string.Concat(Enumerable.Range(0, 32).Select(i => $"      - size < {i + 1}\n"));
        var text = Mix.Replace("  - { name: hello }\n", many + "  - { name: hello }\n", StringComparison.Ordinal);

        Assert.Contains(TestWorkloads.Invalid(text).Errors, e => e.Path == "requests[0].checks");
    }

    [Fact]
    public void LoadText_ChecksThresholds_AcceptedWithChecksRefusedWithout()
    {
        var w = WorkloadLoader.LoadText(Mix + "\nthresholds: ['checks > 99.9%', 'items.checks >= 0.99']\n", "t.yaml");
        Assert.Equal(2, w.Thresholds.Count);

        var none = Assert.Single(TestWorkloads.Invalid(TestWorkloads.Minimal + "\nthresholds: ['checks > 99%']\n").Errors);
        Assert.Equal("thresholds[0]", none.Path);
        Assert.Contains("no request has any", none.Message, StringComparison.Ordinal);
    }
}
