using System.Globalization;

namespace Yardstick.Core.Runs;

/// <summary>
/// Run ids are readable and sortable: <c>20261129-081502-3fa9c1</c> (UTC time + 6 hex). Table rows use a
/// time-descending row key so the newest run of a workload comes first.
/// </summary>
public static class RunIds
{
    /// <summary>Creates a run id from a time and a random source (pass a GUID from the orchestration context when replaying).</summary>
    public static string Create(DateTimeOffset createdAt, Guid entropy) =>
        createdAt.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "-" + entropy.ToString("N")[..6];

    public static bool IsValid(string? runId) =>
        runId is { Length: 22 } && runId[8] == '-' && runId[15] == '-'
        && runId.Take(8).All(char.IsAsciiDigit) && runId.Skip(9).Take(6).All(char.IsAsciiDigit)
        && runId.Skip(16).All(char.IsAsciiHexDigitLower);

    /// <summary>The creation time encoded in a run id.</summary>
    public static DateTimeOffset CreatedAt(string runId) =>
        new(DateTime.ParseExact(runId[..15], "yyyyMMdd-HHmmss", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal), TimeSpan.Zero);

    /// <summary>Row key that sorts newest first: inverted seconds, then the run id for uniqueness.</summary>
    public static string DescendingRowKey(string runId)
    {
        var seconds = CreatedAt(runId).ToUnixTimeSeconds();
        return (99_999_999_999L - seconds).ToString("D11", CultureInfo.InvariantCulture) + "_" + runId;
    }
}
