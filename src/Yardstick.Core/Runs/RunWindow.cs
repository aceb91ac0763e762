namespace Yardstick.Core.Runs;

/// <summary>
/// Which runs of one workload a history read wants: those created from <see cref="Since"/> to <see cref="Until"/> (both
/// inclusive, whole seconds), optionally only those whose settings hash starts with <see cref="SettingsHashPrefix"/>, at
/// most <see cref="MaxRuns"/> of them (the newest). The <c>Runs</c> table answers it from one partition and one row-key
/// range (<c>TableRunStore.ListWindowAsync</c>), never by scanning the table.
/// </summary>
/// <param name="Workload">Workload name (the partition).</param>
/// <param name="Since">Oldest creation time wanted.</param>
/// <param name="Until">Newest creation time wanted.</param>
/// <param name="SettingsHashPrefix">Lowercase hex prefix of <see cref="RunRecord.SettingsHash"/>, or null for every settings hash.</param>
/// <param name="MaxRuns">Most runs returned (newest first); a read stops there.</param>
public sealed record RunWindow(string Workload, DateTimeOffset Since, DateTimeOffset Until, string? SettingsHashPrefix = null, int MaxRuns = RunWindow.DefaultMaxRuns)
{
    /// <summary>Default and largest <see cref="MaxRuns"/>: four years of nightly sweeps of ten settings variants fit.</summary>
    public const int DefaultMaxRuns = 20_000;

    /// <summary>True when <paramref name="run"/> falls in the window (the in-memory twin of the table query).</summary>
    public bool Contains(RunRecord run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var created = RunIds.IsValid(run.RunId) ? RunIds.CreatedAt(run.RunId) : run.CreatedAt;
        return run.Workload == Workload
            && created >= TruncateToSecond(Since) && created <= Until
            && (SettingsHashPrefix is null || run.SettingsHash.StartsWith(SettingsHashPrefix, StringComparison.Ordinal));
    }

    private static DateTimeOffset TruncateToSecond(DateTimeOffset time) =>
        DateTimeOffset.FromUnixTimeSeconds(time.ToUnixTimeSeconds());
}
