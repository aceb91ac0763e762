using Yardstick.Core;
using Yardstick.Core.Workloads;
using Yardstick.Orchestration.Hosting;

namespace Yardstick.Orchestration.Tests.Hosting;

/// <summary>
/// A capacity study (a sweep with <c>capacity:</c>) on a host that caps capacity steps: its steps add up across the
/// variants, so a function-key holder cannot multiply the per-search cap by a long list of sweep values.
/// </summary>
public sealed class CapacityStudyPreflightTests
{
    private static readonly YardstickHostOptions Capped = new() { Host = "functions", AllowLocalProcesses = true, MaxCapacitySteps = 12, MaxSweepVariants = 16 };

    [Fact]
    public void Check_StudyBeyondFourSearchesOfSteps_RefusedNamingMaxSteps()
    {
        var e = Assert.Throws<InputException>(() => RunPreflight.Check(Study(maxSteps: 12, values: 5), Capped));

        Assert.Equal("capacity.maxSteps", e.Field);
        Assert.Contains("12 steps × 5 sweep variants = 60 steps", e.Message, StringComparison.Ordinal);
        Assert.Contains("at most 48", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_StudyWithinTheCap_Passes()
    {
        RunPreflight.Check(Study(maxSteps: 12, values: 4), Capped);
        RunPreflight.Check(Study(maxSteps: 6, values: 8), Capped);
    }

    private static Workload Study(int maxSteps, int values) => WorkloadLoader.LoadText(
        "name: study\ntarget:\n  url: http://127.0.0.1:5080/api/hello\n  process: { command: sample-target, args: [\"--urls\", \"http://127.0.0.1:5080\"] }\n"
        + "load: { rate: 10/s, duration: 2s }\n"
        + $"capacity: {{ slo: [\"p(99) < 300ms\"], maxRate: 100/s, maxSteps: {maxSteps} }}\n"
        + $"sweep: {{ parameter: \"appSetting:YARDSTICK_MAX_CONCURRENCY\", values: [{string.Join(", ", Enumerable.Range(1, values))}] }}\n",
        "test.yaml", [], _ => null);
}
