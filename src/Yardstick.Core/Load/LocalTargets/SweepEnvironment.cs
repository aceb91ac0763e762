using Yardstick.Core.Ports;
using Yardstick.Core.Workloads;

namespace Yardstick.Core.Load.LocalTargets;

/// <summary>
/// What a sweep variant means for a local process target: an <c>appSetting:NAME</c> sweep runs the process with
/// <c>NAME=value</c> in its environment (how Azure hands app settings to a function app), so a local sweep measures
/// the same knob a deployed one would.
/// </summary>
public static class SweepEnvironment
{
    private static readonly IReadOnlyDictionary<string, string> None = new Dictionary<string, string>();

    /// <summary>
    /// The environment overrides of <paramref name="variant"/>: <c>{NAME: value}</c> for an <c>appSetting:NAME</c> sweep
    /// (one per parameter for a grid cell), empty without a sweep or for the empty (no-sweep) variant.
    /// </summary>
    /// <exception cref="InputException">The sweep changes a setting a local process does not have (<c>sweep.parameter</c>).</exception>
    public static IReadOnlyDictionary<string, string> For(SweepSpec? sweep, string variant)
    {
        if (sweep is null || string.IsNullOrEmpty(variant))
        {
            return None;
        }

        // A grid cell sets several app settings at once: all of them go into the environment.
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var setting in SweepCell.SettingsOf(sweep, variant))
        {
            environment[EnvironmentName(setting)] = setting.Value;
        }

        return environment;
    }

    private static string EnvironmentName(SweepSetting setting) => TargetSetting.Parse(setting.Parameter, setting.Value) switch
    {
        AppSettingTargetSetting app => app.Name,
        _ => throw new InputException(
            "sweep.parameter",
            $"{setting.Parameter} is a setting of the Azure function app; a local target.process can only sweep appSetting:NAME (set in its environment)."),
    };

    /// <summary>Whether two override sets are the same (same names, same values).</summary>
    public static bool Same(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var value) && string.Equals(value, kv.Value, StringComparison.Ordinal));
}
