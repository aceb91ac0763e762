namespace Yardstick.Core.Workloads;

/// <summary>One setting a sweep variant applies: a parameter (as in <c>sweep.parameter</c>) and its value.</summary>
public sealed record SweepSetting(string Parameter, string Value);

/// <summary>
/// One variant of a sweep: the value of a one-parameter sweep, or one combination of a grid. <see cref="Key"/> names it
/// everywhere a variant is named (shard keys and blobs, <c>summary.json</c>, reports): the value itself for a
/// one-parameter sweep (as before grids existed), <c>name=value,name=value</c> for a grid cell (app settings by their NAME).
/// </summary>
public sealed record SweepCell(string Key, IReadOnlyList<SweepSetting> Settings)
{
    /// <summary>The cells of <paramref name="sweep"/> in workload order; for a grid the first parameter varies slowest.</summary>
    public static IReadOnlyList<SweepCell> Of(SweepSpec sweep)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        if (sweep.Grid.Count == 0)
        {
            return sweep.Values.Select(v => new SweepCell(v, [new SweepSetting(sweep.Parameter, v)])).ToList();
        }

        IEnumerable<IReadOnlyList<SweepSetting>> combinations = [[]];
        foreach (var dimension in sweep.Grid)
        {
            combinations = combinations.SelectMany(prefix => dimension.Values.Select(v => (IReadOnlyList<SweepSetting>)[.. prefix, new SweepSetting(dimension.Parameter, v)]));
        }

        return combinations.Select(settings => new SweepCell(KeyOf(settings), settings)).ToList();
    }

    /// <summary>The settings of the variant named <paramref name="key"/>; empty for the no-sweep variant.</summary>
    /// <exception cref="InputException">No cell of the sweep has that key (a plan from another workload version).</exception>
    public static IReadOnlyList<SweepSetting> SettingsOf(SweepSpec? sweep, string key)
    {
        if (sweep is null || string.IsNullOrEmpty(key))
        {
            return [];
        }

        // A one-parameter sweep's variant is its value (checked where it is parsed, TargetSetting.Parse).
        if (sweep.Grid.Count == 0)
        {
            return [new SweepSetting(sweep.Parameter, key)];
        }

        return Of(sweep).FirstOrDefault(c => c.Key == key)?.Settings
            ?? throw new InputException("sweep", $"'{key}' is not a variant of this sweep ({sweep.Label}).");
    }

    /// <summary>The key of a grid cell: <c>name=value</c> pairs joined with commas (see <see cref="ShortName"/>).</summary>
    public static string KeyOf(IReadOnlyList<SweepSetting> settings) =>
        string.Join(",", settings.Select(s => ShortName(s.Parameter) + "=" + s.Value));

    /// <summary>A parameter as cell keys and table headers show it: <c>appSetting:NAME</c> → <c>NAME</c>, others as written.</summary>
    public static string ShortName(string parameter) =>
        parameter.StartsWith(Ports.TargetSetting.AppSettingPrefix, StringComparison.Ordinal) ? parameter[Ports.TargetSetting.AppSettingPrefix.Length..] : parameter;
}
