namespace Yardstick.Core.Verdicts;

/// <summary>
/// A calibration as <c>yardstick calibrate</c> stores it (blob <c>{workload}/_calibration/latest.json</c>, plus a dated
/// copy): the A/A result and what it was measured for. The analysis step uses it as the noise prior
/// (<see cref="VerdictPolicy.Noise"/>) of candidates with the same settings hash and environment.
/// </summary>
public sealed record StoredCalibration
{
    public const int CurrentSchemaVersion = 1;

    /// <summary>Blob name of the newest calibration inside the workload's calibration folder.</summary>
    public const string LatestBlobName = "latest.json";

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    public required string Workload { get; init; }

    /// <summary>Settings hash of the calibrated workload: noise of one load shape says little about another.</summary>
    public string SettingsHash { get; init; } = "";

    /// <summary>The <c>compare.environment</c> it was measured in, if any.</summary>
    public string? Environment { get; init; }

    /// <summary>Measured rounds per A/A run (<c>compare.repeat</c>) during the calibration.</summary>
    public int Repeat { get; init; } = 1;

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>The A/A runs.</summary>
    public IReadOnlyList<string> RunIds { get; init; } = [];

    public required CalibrationResult Result { get; init; }

    /// <summary>Dated blob name of this calibration (kept beside <see cref="LatestBlobName"/> as history).</summary>
    public string DatedBlobName => CreatedAt.UtcDateTime.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture) + ".json";

    /// <summary>Whether a candidate with this settings hash and environment may use the calibration as its noise prior.</summary>
    public bool AppliesTo(string settingsHash, string? environment) =>
        string.Equals(SettingsHash, settingsHash, StringComparison.Ordinal)
        && string.Equals(Environment ?? "", environment ?? "", StringComparison.Ordinal);
}
