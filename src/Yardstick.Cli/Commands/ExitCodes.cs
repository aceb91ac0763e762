namespace Yardstick.Cli.Commands;

/// <summary>Exit codes of the <c>yardstick</c> command (ARCHITECTURE.md → Interfaces).</summary>
public static class ExitCodes
{
    public const int Pass = 0;

    /// <summary>A regression against the baseline or a threshold breach.</summary>
    public const int Regression = 1;

    public const int InvalidInput = 2;

    public const int RunFailed = 3;

    /// <summary>Inconclusive verdict, when asked to fail on it (<c>--fail-on-inconclusive</c>).</summary>
    public const int Inconclusive = 4;

    /// <summary>Interrupted (Ctrl+C): the run stays in the task hub and <c>yardstick resume</c> finishes it.</summary>
    public const int Interrupted = 130;
}
