using Spectre.Console;
using Yardstick.Cli.Console;
using Yardstick.Orchestration.Contracts;

namespace Yardstick.Cli.Tests.Console;

public sealed class AlertsViewTests
{
    [Fact]
    public void Render_OneLinePerAlert_StateAndDetail_MarkupInDetailEscaped()
    {
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });

        AlertsView.Render(console, [
            new AlertResult("threshold", "webhook-0", "sent", "delivered"),
            new AlertResult("regression", "slack-1", "failed", "HTTP 500 after 3 attempts [x]"),
            new AlertResult("regression", "github-2", "suppressed", null),
        ]);

        Assert.Equal(
            "alert: threshold → webhook-0 sent (delivered)\nalert: regression → slack-1 failed (HTTP 500 after 3 attempts [x])\nalert: regression → github-2 suppressed\n",
            output.ToString().Replace("\r\n", "\n", StringComparison.Ordinal));
    }
}
