using System.Text.RegularExpressions;

namespace Yardstick.Core.Workloads.Registry;

/// <summary>
/// Workload names as the schema allows them (<c>$defs/name</c>): lowercase letters, digits and dashes, starting and ending
/// with a letter or digit, at most 63 characters. Checked before a name from a URL or command line reaches a table key or a
/// blob path, so nothing like <c>..</c>, <c>/</c>, <c>%2F</c> or a control character gets that far.
/// </summary>
public static partial class WorkloadNames
{
    public const int MaxLength = 63;

    public static bool IsValid(string? name) => name is not null && Pattern().IsMatch(name);

    /// <summary>The name, or an <see cref="InputException"/> naming <paramref name="field"/>.</summary>
    public static string Check(string? name, string field = "workload") =>
        IsValid(name)
            ? name!
            : throw new InputException(field, $"'{Clip(name ?? "")}' is not a workload name (lowercase letters, digits and dashes, starting and ending with a letter or digit, at most {MaxLength} characters).");

    private static string Clip(string value)
    {
        var clean = new string(value.Where(c => !char.IsControl(c)).Take(65).ToArray());
        return clean.Length > 64 ? clean[..64] + "…" : clean;
    }

    [GeneratedRegex(@"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\z")]
    private static partial Regex Pattern();
}
