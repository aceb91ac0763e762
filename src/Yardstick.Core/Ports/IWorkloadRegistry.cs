using Yardstick.Core.Workloads.Registry;

namespace Yardstick.Core.Ports;

/// <summary>
/// Registered workloads and their versions, kept in the results account (the deployed app's and the local host's alike):
/// a push stores a new version (content hash, author, time) unless the newest active version already has the same text;
/// retiring a version keeps it in the history but never runs it again. Callers validate the text before pushing.
/// </summary>
public interface IWorkloadRegistry
{
    /// <summary>Stores <paramref name="text"/> as the next version of <paramref name="workload"/> (or finds it newest already).</summary>
    /// <param name="workload">The name, equal to the text's <c>name:</c> (the caller checked both).</param>
    /// <param name="text">The workload file's text, validated.</param>
    /// <param name="schedule">The text's <c>schedule:</c>, when it has one (kept on the row so timers need not parse every version).</param>
    /// <param name="author">Author tag, or null.</param>
    /// <param name="cancellationToken">Cancels storage calls.</param>
    Task<WorkloadPushResult> PushAsync(string workload, string text, string? schedule, string? author, CancellationToken cancellationToken);

    /// <summary>Every version of <paramref name="workload"/>, retired ones included, newest first; empty when none was pushed.</summary>
    Task<IReadOnlyList<WorkloadVersion>> VersionsAsync(string workload, CancellationToken cancellationToken);

    /// <summary>The newest version that is not retired, or null.</summary>
    Task<WorkloadVersion?> NewestAsync(string workload, CancellationToken cancellationToken);

    /// <summary>The text of a version, or null when that version does not exist.</summary>
    Task<string?> GetTextAsync(string workload, int version, CancellationToken cancellationToken);

    /// <summary>Retires a version (idempotent: retiring a retired version changes nothing); null when it does not exist.</summary>
    Task<WorkloadVersion?> RetireAsync(string workload, int version, string? retiredBy, CancellationToken cancellationToken);

    /// <summary>The newest active version of every registered workload that has one, by name.</summary>
    Task<IReadOnlyList<WorkloadVersion>> ListNewestAsync(CancellationToken cancellationToken);
}
