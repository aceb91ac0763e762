using System.Text.Json.Serialization;

namespace Yardstick.Core.Verdicts;

/// <summary>
/// Outcome of comparing a candidate with its baseline, per metric and overall. Written to files with the lowercase
/// dashed names of <see cref="VerdictKindNames.ToWireName"/> (<c>regression</c>, <c>no-baseline</c>, …).
/// </summary>
public enum VerdictKind
{
    /// <summary>The candidate is worse than the baseline, beyond the margin, with confidence.</summary>
    [JsonStringEnumMemberName("regression")]
    Regression,

    /// <summary>The difference lies within the margin with confidence.</summary>
    [JsonStringEnumMemberName("equivalent")]
    Equivalent,

    /// <summary>The candidate is better than the baseline, beyond the margin, with confidence.</summary>
    [JsonStringEnumMemberName("improvement")]
    Improvement,

    /// <summary>The data cannot tell yet; the verdict says how many more runs would likely decide.</summary>
    [JsonStringEnumMemberName("inconclusive")]
    Inconclusive,

    /// <summary>There is no baseline to compare with; absolute thresholds alone decide.</summary>
    [JsonStringEnumMemberName("no-baseline")]
    NoBaseline,
}

/// <summary>The names verdicts carry in files, tables and exit-code logic.</summary>
public static class VerdictKindNames
{
    /// <summary><c>regression</c>, <c>equivalent</c>, <c>improvement</c>, <c>inconclusive</c> or <c>no-baseline</c>.</summary>
    public static string ToWireName(this VerdictKind kind) => kind switch
    {
        VerdictKind.Regression => "regression",
        VerdictKind.Equivalent => "equivalent",
        VerdictKind.Improvement => "improvement",
        VerdictKind.Inconclusive => "inconclusive",
        VerdictKind.NoBaseline => "no-baseline",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown verdict kind."),
    };

    /// <summary>Parses a wire name (case-insensitive); false for anything else.</summary>
    public static bool TryParseWireName(string? text, out VerdictKind kind)
    {
        foreach (var candidate in Enum.GetValues<VerdictKind>())
        {
            if (string.Equals(text?.Trim(), candidate.ToWireName(), StringComparison.OrdinalIgnoreCase))
            {
                kind = candidate;
                return true;
            }
        }

        kind = default;
        return false;
    }

    /// <summary>Parses a wire name or throws an <see cref="InputException"/> naming <paramref name="field"/>.</summary>
    public static VerdictKind ParseWireName(string? text, string field = "verdict") =>
        TryParseWireName(text, out var kind)
            ? kind
            : throw new InputException(field, $"'{text}' is not a verdict; expected regression, equivalent, improvement, inconclusive or no-baseline.");
}
