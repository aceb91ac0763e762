using System.Globalization;

namespace Yardstick.Core.Ports;

/// <summary>
/// The <c>Baselines</c> table: per workload + settings key (+ optional environment) a <c>current</c> baseline and
/// an append-only history. Promotion is optimistic: it names the ETag of the current baseline it replaces, and
/// of two concurrent promotions exactly one wins.
/// </summary>
public interface IBaselineStore
{
    /// <summary>The current baseline of <paramref name="key"/>, or null when none was promoted yet.</summary>
    Task<Baseline?> GetCurrentAsync(BaselineKey key, CancellationToken cancellationToken);

    /// <summary>The current baselines of every settings key and environment of a workload.</summary>
    Task<IReadOnlyList<Baseline>> ListCurrentAsync(string workload, CancellationToken cancellationToken);

    /// <summary>Promotes <paramref name="runIds"/> as the <see cref="BaselineModes.Current"/> baseline of <paramref name="key"/>.</summary>
    /// <remarks>
    /// <c>expectedETag</c> is the <see cref="Baseline.ETag"/> of the current baseline being replaced; <c>null</c> when
    /// there must be no current baseline yet; <c>"*"</c> to replace whatever is current (still recorded in the history).
    /// Every successful promotion appends one history row, in the same atomic write as the new current row.
    /// </remarks>
    /// <returns>The new current baseline (with its new ETag).</returns>
    /// <exception cref="BaselineConflictException">Another promotion changed the current baseline first.</exception>
    Task<Baseline> PromoteAsync(BaselineKey key, IReadOnlyList<string> runIds, string? promotedBy, string? reason, string? expectedETag, CancellationToken cancellationToken) =>
        PromoteAsync(key, runIds, BaselineModes.Current, promotedBy, reason, expectedETag, cancellationToken);

    /// <summary>Promotes <paramref name="runIds"/> with an explicit mode (<c>current</c> or <c>rolling(N)</c>).</summary>
    /// <exception cref="BaselineConflictException">Another promotion changed the current baseline first.</exception>
    Task<Baseline> PromoteAsync(BaselineKey key, IReadOnlyList<string> runIds, string mode, string? promotedBy, string? reason, string? expectedETag, CancellationToken cancellationToken);

    /// <summary>The newest <paramref name="last"/> promotions of <paramref name="key"/>, newest first. History rows are never updated.</summary>
    Task<IReadOnlyList<Baseline>> HistoryAsync(BaselineKey key, int last, CancellationToken cancellationToken);
}

/// <summary>What a baseline is kept per: a workload, its settings variant and optionally an environment tag.</summary>
/// <param name="Workload">Workload name.</param>
/// <param name="SettingsKey">Settings variant (sweep value) or <c>default</c>.</param>
/// <param name="Environment">Optional environment tag (for example <c>staging</c>); empty counts as none.</param>
public sealed record BaselineKey(string Workload, string SettingsKey, string? Environment = null)
{
    public override string ToString() =>
        string.IsNullOrEmpty(Environment) ? $"{Workload}/{SettingsKey}" : $"{Workload}/{SettingsKey}@{Environment}";
}

/// <summary>A promoted baseline: the runs that candidates are compared with.</summary>
/// <param name="Key">What the baseline is kept per.</param>
/// <param name="RunIds">The baseline runs, oldest first.</param>
/// <param name="Mode"><c>current</c> (promoted by hand or by a pipeline) or <c>rolling(N)</c> (the last N accepted runs).</param>
/// <param name="PromotedAt">When the promotion was stored.</param>
/// <param name="PromotedBy">Who or what promoted it (user, pipeline), when known.</param>
/// <param name="Reason">Why, when given.</param>
/// <param name="ETag">Concurrency token of the stored row; pass it back to <see cref="IBaselineStore.PromoteAsync(BaselineKey, IReadOnlyList{string}, string?, string?, string?, CancellationToken)"/>.</param>
public sealed record Baseline(
    BaselineKey Key,
    IReadOnlyList<string> RunIds,
    string Mode,
    DateTimeOffset PromotedAt,
    string? PromotedBy,
    string? Reason,
    string ETag);

/// <summary>Baseline modes as written in workload files and stored on baseline rows.</summary>
public static class BaselineModes
{
    public const string Current = "current";

    /// <summary><c>rolling(N)</c>: the last N accepted runs form the baseline.</summary>
    public static string Rolling(int runs) =>
        runs >= 1 ? $"rolling({runs.ToString(CultureInfo.InvariantCulture)})" : throw new ArgumentOutOfRangeException(nameof(runs), runs, "A rolling baseline needs at least one run.");

    /// <summary>True for <c>current</c> and <c>rolling(N)</c> with N ≥ 1; <paramref name="rollingRuns"/> is N, or null for <c>current</c>.</summary>
    public static bool TryParse(string? mode, out int? rollingRuns)
    {
        rollingRuns = null;
        if (mode == Current)
        {
            return true;
        }

        if (mode is null || !mode.StartsWith("rolling(", StringComparison.Ordinal) || !mode.EndsWith(')'))
        {
            return false;
        }

        var digits = mode["rolling(".Length..^1];
        if (digits.Length > 0 && digits.All(char.IsAsciiDigit)
            && int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1)
        {
            rollingRuns = n;
            return true;
        }

        return false;
    }
}

/// <summary>
/// A promotion lost an optimistic-concurrency race: the current baseline is not the one the caller expected.
/// Re-read the current baseline and decide again. The HTTP API answers 409; the CLI prints one line.
/// </summary>
public sealed class BaselineConflictException : Exception
{
    public BaselineConflictException(BaselineKey key, string? expectedETag, Exception? innerException = null)
        : base(expectedETag is null
            ? $"Baseline {key} was promoted concurrently: a current baseline now exists. Re-read it and promote again."
            : $"Baseline {key} changed since it was read (expected ETag {expectedETag}). Re-read it and promote again.", innerException)
    {
        Key = key;
        ExpectedETag = expectedETag;
    }

    public BaselineKey Key { get; }

    public string? ExpectedETag { get; }
}
