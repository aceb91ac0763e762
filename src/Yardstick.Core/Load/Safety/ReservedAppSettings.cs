namespace Yardstick.Core.Load.Safety;

/// <summary>
/// App settings a sweep may never change (case-insensitive): the platform's and the host's own
/// (<c>AzureWebJobs*</c>, <c>WEBSITE_*</c>, <c>FUNCTIONS_*</c>, <c>APPLICATIONINSIGHTS_*</c>), Yardstick's
/// (<c>YARDSTICK_*</c>), and anything that looks like a credential (<c>*KEY*</c>, <c>*SECRET*</c>, <c>*CONNECTION*</c>).
/// Changing them could break the app, move its storage or telemetry, or swap a credential under whoever holds a function key.
/// </summary>
public static class ReservedAppSettings
{
    private static readonly string[] Prefixes = ["AzureWebJobs", "WEBSITE_", "FUNCTIONS_", "APPLICATIONINSIGHTS_", "YARDSTICK_"];
    private static readonly string[] Fragments = ["KEY", "SECRET", "CONNECTION"];

    /// <summary>What a refusal says: the rule, in one line.</summary>
    public const string Rule = "AzureWebJobs*, WEBSITE_*, FUNCTIONS_*, APPLICATIONINSIGHTS_*, YARDSTICK_* and names containing KEY, SECRET or CONNECTION are reserved (any case)";

    public static bool IsReserved(string name) =>
        Prefixes.Any(p => name.StartsWith(p, StringComparison.OrdinalIgnoreCase))
        || Fragments.Any(f => name.Contains(f, StringComparison.OrdinalIgnoreCase));
}
