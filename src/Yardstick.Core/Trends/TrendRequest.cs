using System.Globalization;
using Yardstick.Core.Workloads.Registry;

namespace Yardstick.Core.Trends;

/// <summary>
/// What a trend shows: a workload's metrics over the last <see cref="Days"/> days, optionally only runs of one settings
/// hash. <see cref="Parse"/> is the one validation the CLI and the HTTP API share; its errors name the option or query
/// parameter to fix.
/// </summary>
/// <param name="Workload">Workload name (checked by <see cref="WorkloadNames"/>: no path characters, at most 63 characters).</param>
/// <param name="Metrics">The metrics to show.</param>
/// <param name="Days">Days back from now, 1 to <see cref="MaxDays"/>.</param>
/// <param name="SettingsHash">Lowercase hex prefix (4–16 digits) of the settings hash runs must have, or null.</param>
public sealed record TrendRequest(string Workload, IReadOnlyList<TrendMetric> Metrics, int Days, string? SettingsHash)
{
    public const int DefaultDays = 90;

    /// <summary>Longest window: ten years.</summary>
    public const int MaxDays = 3650;

    /// <summary>
    /// Validates raw inputs. <paramref name="prefix"/> is put before each field name (<c>--</c> on the command line, empty
    /// for query parameters); <paramref name="workloadField"/> names the workload (<c>workload</c> argument, <c>name</c> in URLs).
    /// </summary>
    public static TrendRequest Parse(string? workload, string? metric, string? days, string? settings, string prefix = "", string workloadField = "workload")
    {
        var name = WorkloadNames.Check(workload, workloadField);
        var metrics = TrendMetric.Parse(metric, prefix + "metric");
        var dayCount = DefaultDays;
        if (!string.IsNullOrEmpty(days))
        {
            if (days.Length > 6 || !days.All(char.IsAsciiDigit) || !int.TryParse(days, NumberStyles.None, CultureInfo.InvariantCulture, out dayCount))
            {
                throw new InputException(prefix + "days", $"'{Clip(days)}' is not a whole number of days (1 to {MaxDays}).");
            }
        }

        if (dayCount is < 1 or > MaxDays)
        {
            throw new InputException(prefix + "days", $"must be from 1 to {MaxDays} (was {dayCount}).");
        }

        string? hash = null;
        if (!string.IsNullOrEmpty(settings))
        {
            hash = settings.ToLowerInvariant();
            if (hash.Length is < 4 or > 16 || !hash.All(char.IsAsciiHexDigitLower))
            {
                throw new InputException(prefix + "settings", $"'{Clip(settings)}' is not a settings hash; give 4 to 16 hex digits of it (yardstick show prints it).");
            }
        }

        return new TrendRequest(name, metrics, dayCount, hash);
    }

    private static string Clip(string value)
    {
        var clean = new string(value.Where(c => !char.IsControl(c)).Take(41).ToArray());
        return clean.Length > 40 ? clean[..40] + "…" : clean;
    }
}
