using Yardstick.Core.Workloads;

namespace Yardstick.Core.Ports;

/// <summary>Where one alert (a run, a condition, a channel) stands.</summary>
public enum AlertDeliveryState
{
    /// <summary>Claimed by an attempt that is sending it (or died while sending: the next attempt takes it over).</summary>
    Sending,

    /// <summary>Delivered; never sent again.</summary>
    Sent,

    /// <summary>Every retry failed; recorded, never sent again for this run, and the run is not failed by it.</summary>
    Failed,

    /// <summary>A silence window covered it: not sent, the reason recorded.</summary>
    Suppressed,
}

/// <summary>
/// One alert's row: keyed by run id and <see cref="Key"/> (<c>{condition}-{channel}</c>, for example
/// <c>regression-slack-0</c>). <see cref="Detail"/> holds what happened (<c>issue #12 opened</c>, <c>HTTP 500 after 3
/// attempts</c>, the silence reason) and never a URL or token. <see cref="ETag"/> is the store's version of the row.
/// </summary>
public sealed record AlertDelivery
{
    public required string RunId { get; init; }

    public required string Key { get; init; }

    public required string Workload { get; init; }

    public required string Condition { get; init; }

    /// <summary>The channel's type and position (<c>slack-0</c>), never its URL.</summary>
    public required string Channel { get; init; }

    public AlertDeliveryState State { get; init; }

    /// <summary>Attempts that claimed the row (1 unless an attempt died while sending).</summary>
    public int Claims { get; init; }

    /// <summary>HTTP attempts of the last send (retries included).</summary>
    public int Attempts { get; init; }

    public string? Detail { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public string? ETag { get; init; }

    public bool IsFinal => State is not AlertDeliveryState.Sending;
}

/// <summary>
/// The alert-delivery state machine's storage: absent → <c>Sending</c> (insert-if-absent: exactly one attempt claims an
/// alert) → <c>Sent</c> | <c>Failed</c> (a replace conditional on the claim's ETag); absent → <c>Suppressed</c>. A row
/// left <c>Sending</c> by an attempt that died is taken over by the next attempt with a conditional replace, so two
/// attempts can never both hold it. Also remembers which GitHub issue a workload's condition files into.
/// </summary>
public interface IAlertDeliveryStore
{
    Task<AlertDelivery?> GetAsync(string runId, string key, CancellationToken cancellationToken);

    /// <summary>Inserts <paramref name="delivery"/> unless a row exists; returns it with its ETag, or null when one existed.</summary>
    Task<AlertDelivery?> TryAddAsync(AlertDelivery delivery, CancellationToken cancellationToken);

    /// <summary>Replaces the row if it still has <paramref name="delivery"/>'s ETag; returns it with the new ETag, or null when it changed.</summary>
    Task<AlertDelivery?> TryReplaceAsync(AlertDelivery delivery, CancellationToken cancellationToken);

    /// <summary>The issue number alerts of <paramref name="thread"/> (workload, condition, repository) file into, if any.</summary>
    Task<int?> GetIssueAsync(string thread, CancellationToken cancellationToken);

    Task SetIssueAsync(string thread, int issue, CancellationToken cancellationToken);

    /// <summary>Stores a silence window for <paramref name="workload"/> (<c>yardstick alerts silence</c>), next to the workload's own.</summary>
    Task AddSilenceAsync(string workload, SilenceWindow window, CancellationToken cancellationToken);

    /// <summary>The stored silence windows of <paramref name="workload"/> that end after <paramref name="after"/>, earliest start first.</summary>
    Task<IReadOnlyList<SilenceWindow>> ListSilencesAsync(string workload, DateTimeOffset after, CancellationToken cancellationToken);
}
