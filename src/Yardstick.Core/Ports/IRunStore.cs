using Yardstick.Core.Runs;

namespace Yardstick.Core.Ports;

/// <summary>The <c>Runs</c> table: one row per run, written by upsert (activities are idempotent).</summary>
public interface IRunStore
{
    /// <summary>Creates or replaces the row of <paramref name="run"/>.</summary>
    Task UpsertAsync(RunRecord run, CancellationToken cancellationToken);

    /// <summary>The run with this id, or null.</summary>
    Task<RunRecord?> GetAsync(string runId, CancellationToken cancellationToken);

    /// <summary>The newest <paramref name="last"/> runs of a workload, newest first.</summary>
    Task<IReadOnlyList<RunRecord>> ListAsync(string workload, int last, CancellationToken cancellationToken);

    /// <summary>
    /// The runs of <see cref="RunWindow.Workload"/> created inside <paramref name="window"/>, newest first, at most
    /// <see cref="RunWindow.MaxRuns"/>. Implementations read only the workload's rows in the window's time range.
    /// </summary>
    Task<IReadOnlyList<RunRecord>> ListWindowAsync(RunWindow window, CancellationToken cancellationToken);
}
