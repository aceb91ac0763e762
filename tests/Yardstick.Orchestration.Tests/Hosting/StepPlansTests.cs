using Yardstick.Core;
using Yardstick.Core.Workloads;
using Yardstick.Orchestration.Hosting;
using Yardstick.Orchestration.Tests.TestSupport;

namespace Yardstick.Orchestration.Tests.Hosting;

/// <summary>What planning decides for the cold-start and cost steps, and the front door's Azure-access check.</summary>
public sealed class StepPlansTests
{
    private static Workload Load(string coldStart, string cost = "", bool azure = true, string workspace = "") => WorkloadLoader.LoadText($"""
        name: plans
        target:
          url: http://127.0.0.1:5080/api/hello
        {(azure ? $"  azure:\n    resourceId: {TestRuns.ResourceId}\n{workspace}" : "")}load:
          rate: 1/s
          duration: 1s
        coldStart:
          strategy: {coldStart}
        {cost}
        """, "plans.yaml", [], _ => null);

    [Theory]
    [InlineData("restart")]
    [InlineData("appSetting")]
    public void Preflight_ArmStrategyWithoutAzureAccess_InputExceptionNamingTheStrategy(string strategy)
    {
        var e = Assert.Throws<InputException>(() => RunPreflight.Check(Load(strategy), new YardstickHostOptions { AzureAccess = false }));

        Assert.Equal("coldStart.strategy", e.Field);
        Assert.Contains("--azure", e.Message, StringComparison.Ordinal);
        RunPreflight.Check(Load(strategy), new YardstickHostOptions { AzureAccess = true });
    }

    [Fact]
    public void Preflight_IdleWithoutAzureAccess_Allowed()
    {
        RunPreflight.Check(Load("idle"), new YardstickHostOptions { AzureAccess = false });
    }

    [Fact]
    public void ColdStart_None_NoPlan_Restart_PlanWithTelemetryOnlyWithWorkspaceAndAccess()
    {
        var options = new YardstickHostOptions { AzureAccess = true, MeteredCostDelay = TimeSpan.FromSeconds(42) };

        Assert.Null(StepPlans.ColdStart(Load("none"), options));
        var plain = StepPlans.ColdStart(Load("restart"), options)!;
        Assert.Equal(ColdStartStrategy.Restart, plain.Strategy);
        Assert.Equal(5, plain.Probes);
        Assert.False(plain.UseTelemetry);
        var withWorkspace = StepPlans.ColdStart(Load("restart", workspace: "    logAnalyticsWorkspaceId: 00000000-0000-0000-0000-000000000001\n"), options)!;
        Assert.True(withWorkspace.UseTelemetry);
        Assert.Equal(TimeSpan.FromSeconds(42), withWorkspace.TelemetryDelay);
    }

    [Fact]
    public void ColdStart_EvictionCurve_ProbesEachIdleTimeInTurn()
    {
        var plan = StepPlans.ColdStart(Load("idle\n  probes: 3\n  idleTimes: [1m, 5m]", azure: false), new YardstickHostOptions())!;

        Assert.Equal(6, plan.Probes);
        Assert.Equal(
            [1, 5, 1, 5, 1, 5],
            Enumerable.Range(0, plan.Probes).Select(i => plan.IdleTimeOf(i).TotalMinutes));
        var single = StepPlans.ColdStart(Load("idle\n  probes: 3\n  idleTime: 7m", azure: false), new YardstickHostOptions())!;
        Assert.Equal((3, 7.0), (single.Probes, single.IdleTimeOf(2).TotalMinutes));
        Assert.Empty(StepPlans.ColdStart(Load("restart"), new YardstickHostOptions())!.IdleTimes);
    }

    [Fact]
    public void Cost_MeteredOnlyForAzureTargetsWithAMeteredPlanAndAccess()
    {
        const string flex = "cost:\n  plan: flexConsumption\n";
        const string premium = "cost:\n  plan: premium\n";
        var access = new YardstickHostOptions { AzureAccess = true };

        Assert.Null(StepPlans.Cost(Load("none"), access));
        Assert.True(StepPlans.Cost(Load("none", flex), access)!.Metered);
        Assert.Contains("no target.azure", Assert.Single(StepPlans.Cost(Load("none", flex, azure: false), access)!.Notes), StringComparison.Ordinal);
        Assert.Contains("not available for the premium plan", Assert.Single(StepPlans.Cost(Load("none", premium), access)!.Notes), StringComparison.Ordinal);
        Assert.Contains("--azure", Assert.Single(StepPlans.Cost(Load("none", flex), new YardstickHostOptions())!.Notes), StringComparison.Ordinal);
    }
}
