using Spectre.Console;
using Yardstick.Core.Runs;
using Yardstick.Orchestration.Contracts;

namespace Yardstick.Cli.Commands;

/// <summary>The exit code of a finished run and the one line that says why.</summary>
internal sealed record ExitDecision(int ExitCode, string Reason);

/// <summary>
/// How <c>run</c>, <c>gate</c>, <c>compare</c> and the remote modes turn an outcome into an exit code (ARCHITECTURE.md →
/// Interfaces): a run refused at planning on bad input → 2; failed run → 3; threshold breach or regression → 1; inconclusive → 4 when asked to fail on it, else 0;
/// no-baseline, equivalent, improvement → 0 (with no baseline the thresholds alone decide).
/// </summary>
internal static class GateDecision
{
    public static ExitDecision Decide(RunOutcome outcome, bool failOnInconclusive)
    {
        if (outcome is { Status: RunStatus.Failed, InvalidInput: true })
        {
            // Bad input the front door could not see (it needed the storage or ARM): exit 2 like any other bad input.
            return new(ExitCodes.InvalidInput, $"run {outcome.RunId} refused: {outcome.FailureReason}");
        }

        if (outcome.Status is RunStatus.Failed or RunStatus.Cancelled)
        {
            return new(ExitCodes.RunFailed, $"run {outcome.RunId} {outcome.Status.ToString().ToLowerInvariant()}: {outcome.FailureReason ?? "no reason was given"}");
        }

        return Decide(outcome.Verdict, outcome.FailedThresholds, failOnInconclusive);
    }

    /// <summary>The decision for a verdict and the breached thresholds of a run that did not fail.</summary>
    public static ExitDecision Decide(string? verdict, IReadOnlyList<string> failedThresholds, bool failOnInconclusive)
    {
        if (failedThresholds.Count > 0)
        {
            return new(ExitCodes.Regression, $"threshold breached: {string.Join("; ", failedThresholds)}");
        }

        return verdict switch
        {
            "regression" => new(ExitCodes.Regression, "regression against the baseline"),
            "inconclusive" when failOnInconclusive => new(ExitCodes.Inconclusive, "inconclusive against the baseline (--fail-on-inconclusive)"),
            "inconclusive" => new(ExitCodes.Pass, "inconclusive against the baseline; passing (add --fail-on-inconclusive to fail on it)"),
            "no-baseline" or null => new(ExitCodes.Pass, "no baseline yet; thresholds passed"),
            var other => new(ExitCodes.Pass, $"{other} against the baseline; thresholds passed"),
        };
    }

    /// <summary>A pass on the console; anything else as one line on the error writer, so CI logs show why.</summary>
    public static async Task ReportAsync(CliContext context, string command, ExitDecision decision)
    {
        if (decision.ExitCode == ExitCodes.Pass)
        {
            context.Console.MarkupLine($"[green]{command} passed[/]: {Markup.Escape(decision.Reason)}");
        }
        else
        {
            await context.Error.WriteLineAsync($"yardstick: {command} failed (exit {decision.ExitCode}): {decision.Reason}");
        }
    }
}
