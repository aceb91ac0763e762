using Yardstick.Core;
using Yardstick.Core.Ports;
using Yardstick.Core.Verdicts;

namespace Yardstick.Orchestration.Analysis;

/// <summary>
/// Calibrations in the workload's reserved folder <c>{workload}/_calibration/</c>: <c>latest.json</c> (the newest of any
/// shape, for people), a dated copy per calibration (history), and <c>settings-{hash}[.{environment}].json</c>, the newest
/// for one settings hash and environment, which is what the analysis looks up.
/// </summary>
public sealed class CalibrationStore(IArtifactStore artifacts)
{
    /// <summary>Stores <paramref name="calibration"/> under all three names (overwriting: idempotent).</summary>
    public async Task SaveAsync(StoredCalibration calibration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(calibration);
        var bytes = YardstickJson.ToUtf8(calibration, indented: true);
        foreach (var name in new[] { calibration.DatedBlobName, ForSettings(calibration.SettingsHash, calibration.Environment), StoredCalibration.LatestBlobName })
        {
            await artifacts.PutAsync(calibration.Workload, ArtifactFolders.Calibration, name, bytes, "application/json", cancellationToken);
        }
    }

    /// <summary>The newest calibration of <paramref name="workload"/> for this settings hash and environment, or null.</summary>
    public async Task<StoredCalibration?> FindAsync(string workload, string settingsHash, string? environment, CancellationToken cancellationToken)
    {
        var bytes = await artifacts.GetAsync(workload, ArtifactFolders.Calibration, ForSettings(settingsHash, environment), cancellationToken);
        if (bytes is null)
        {
            return null;
        }

        var calibration = YardstickJson.Deserialize<StoredCalibration>(bytes);
        return calibration.AppliesTo(settingsHash, environment) ? calibration : null;
    }

    /// <summary>The newest calibration of any shape, or null.</summary>
    public async Task<StoredCalibration?> LatestAsync(string workload, CancellationToken cancellationToken)
    {
        var bytes = await artifacts.GetAsync(workload, ArtifactFolders.Calibration, StoredCalibration.LatestBlobName, cancellationToken);
        return bytes is null ? null : YardstickJson.Deserialize<StoredCalibration>(bytes);
    }

    /// <summary>Blob name of the newest calibration for a settings hash and environment.</summary>
    public static string ForSettings(string settingsHash, string? environment) =>
        "settings-" + (settingsHash.Length > 0 ? settingsHash : "none") + (string.IsNullOrEmpty(environment) ? "" : "." + environment) + ".json";
}
