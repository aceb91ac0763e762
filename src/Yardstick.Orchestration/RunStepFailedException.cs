namespace Yardstick.Orchestration;

/// <summary>
/// How a run's orchestration fails once a step after planning has failed for good (after its retries): the message is
/// the sentence recorded in the run's row, e.g. <c>PersistRunActivity failed: Run …: shard result … is missing.</c>
/// </summary>
public sealed class RunStepFailedException(string reason, Exception inner) : Exception(reason, inner);

/// <summary>
/// The log category of the orchestrator's "failed after planning" line. A host that reports a run's end in its own
/// words (the CLI's one line on stderr) silences it; the Functions host logs it as an error like any other.
/// </summary>
public static class RunFailureLog
{
    public const string Category = "Yardstick.Orchestration.RunFailure";
}
