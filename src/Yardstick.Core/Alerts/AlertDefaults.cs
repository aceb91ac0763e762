using Yardstick.Core.Workloads;

namespace Yardstick.Core.Alerts;

/// <summary>
/// The host's default alerts (<c>YARDSTICK_ALERTS</c>): the same block as a workload's <c>alerts:</c>, in JSON or YAML
/// flow style, used for every workload that has none. Checked by the workload schema and rules, so errors name the field
/// exactly as in a workload (prefixed with the setting).
/// </summary>
public static class AlertDefaults
{
    public const string SettingName = "YARDSTICK_ALERTS";

    /// <summary>Parses the setting; null when it is unset or blank.</summary>
    /// <exception cref="InputException">The block is invalid (the message names the field and never echoes a secret value).</exception>
    public static AlertsSpec? Parse(string? text, Func<string, string?> environment)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        // A carrier workload that only holds the block: the loader applies the schema and the alerts rules to it.
        var carrier = "name: alert-defaults\ntarget: { url: \"http://127.0.0.1:1/\" }\nload: { rate: 1/s, duration: 1s }\nalerts: " + text.Replace('\n', ' ').Replace('\r', ' ') + "\n";
        try
        {
            return WorkloadLoader.LoadText(carrier, SettingName, [], environment).Alerts;
        }
        catch (WorkloadValidationException e)
        {
            var first = e.Errors.FirstOrDefault(error => error.Path.StartsWith("alerts", StringComparison.Ordinal)) ?? e.Errors[0];
            throw new InputException(SettingName, $"{first.Path}: {first.Message}");
        }
    }
}
