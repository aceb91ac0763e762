using Spectre.Console;
using Yardstick.Cli.Console;
using Yardstick.Core.Faults;

namespace Yardstick.Cli.Tests.Console;

public sealed class FaultsViewTests
{
    private static readonly PreFaultBand Band = new(8, 5.26, 0.96, 9.53, 0);

    [Fact]
    public void Render_ARowPerFault_TheBand_AndANoteForEachFaultThatDidNotRecover_MarkupEscaped()
    {
        var (console, output) = Console();

        FaultsView.Render(console, [
            new FaultRecovery { Index = 0, Kind = "stall", Description = "stall 300 ms for 4s", PlannedOffsetSeconds = 8, AppliedOffsetSeconds = 8.01, Band = Band, RequestsDuring = 500, TimeToFirstSuccessSeconds = 0.34, TimeToRecoverSeconds = 4.66, PeakP99Ms = 393 },
            new FaultRecovery { Index = 1, Kind = "fail", Description = "fail 100% for 3s", PlannedOffsetSeconds = 18, AppliedOffsetSeconds = 18, Band = Band, RequestsDuring = 300, ErrorsDuring = 300, NotRecoveredReason = "did not recover within the run [x]" },
            new FaultRecovery { Index = 2, Kind = "stall", Description = "stall 10 ms for 1s", PlannedOffsetSeconds = 30, Failure = "POST /admin/stall answered HTTP 404", NotRecoveredReason = "the fault was not applied" },
        ]);

        var text = output.ToString();
        Assert.Contains("[0] stall 300 ms for 4s", text, StringComparison.Ordinal);
        Assert.Matches(@"\[0\] stall 300 ms for 4s\s+8\.0 s\s+8\.0 s\s+0 of 500\s+393 ms\s+0\.34 s\s+4\.66 s", text);
        Assert.Matches(@"\[1\] fail 100% for 3s\s+18\.0 s\s+18\.0 s\s+300 of 300\s+-\s+-\s+not recovered", text);
        Assert.Matches(@"\[2\] stall 10 ms for 1s\s+30\.0 s\s+-\s+-\s+-\s+-\s+not applied", text);
        Assert.Contains("pre-fault band: p99 ≤ 9.53 ms, errors ≤ 0 % (median 5.26 ms, MAD 0.96 ms, 8 s before the first fault)", text, StringComparison.Ordinal);
        Assert.Contains("faults[1]: did not recover within the run [x]", text, StringComparison.Ordinal);
        Assert.Contains("faults[2]: not applied: POST /admin/stall answered HTTP 404", text, StringComparison.Ordinal);
        Assert.DoesNotContain("faults[0]:", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_NoFaults_WritesNothing()
    {
        var (console, output) = Console();

        FaultsView.Render(console, []);

        Assert.Equal("", output.ToString());
    }

    private static (IAnsiConsole Console, StringWriter Output) Console()
    {
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
        console.Profile.Width = 200;
        return (console, output);
    }
}
