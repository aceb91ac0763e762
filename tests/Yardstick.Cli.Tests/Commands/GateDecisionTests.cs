using Yardstick.Cli.Commands;
using Yardstick.Core.Runs;
using Yardstick.Orchestration.Contracts;

namespace Yardstick.Cli.Tests.Commands;

/// <summary>Outcome → exit code: bad input found at planning is exit 2 like any other bad input; a broken run is 3.</summary>
public sealed class GateDecisionTests
{
    [Fact]
    public void Decide_RefusedAtPlanningOnBadInput_Exit2NamingTheField()
    {
        var outcome = new RunOutcome { RunId = "r1", Workload = "w", Status = RunStatus.Failed, InvalidInput = true, FailureReason = "planning failed: data.blob: 'datasets/x.csv' does not exist" };

        var decision = GateDecision.Decide(outcome, failOnInconclusive: false);

        Assert.Equal(ExitCodes.InvalidInput, decision.ExitCode);
        Assert.Equal("run r1 refused: planning failed: data.blob: 'datasets/x.csv' does not exist", decision.Reason);
    }

    [Fact]
    public void Decide_FailedOtherwise_Exit3()
    {
        var outcome = new RunOutcome { RunId = "r1", Workload = "w", Status = RunStatus.Failed, FailureReason = "planning failed: Azurite unreachable" };

        Assert.Equal(ExitCodes.RunFailed, GateDecision.Decide(outcome, failOnInconclusive: false).ExitCode);
    }
}
