using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Yardstick.Core;
using Yardstick.Core.Ports;
using Yardstick.Orchestration.Contracts;

namespace Yardstick.Orchestration.Activities;

/// <summary>
/// The end of a sweep, however the run ends: puts every setting the run changed on the Azure target back to the value
/// <see cref="ApplySettingsActivity"/> recorded before its first change (<see cref="OriginalSettings"/>), and records
/// which settings, the value written back and when (<see cref="SettingsRestore"/>). Nothing to do when the run changed
/// nothing (no record of originals, or a local process target, which Yardstick starts and stops itself).
/// </summary>
/// <remarks>
/// Idempotent: a restore writes only what differs, so a retry or a second restore (a terminated run picked up later)
/// sends nothing. When a setting cannot be restored the record says so and the activity fails, so the retry policy tries
/// again; the orchestrator logs a final failure and keeps the run's own outcome.
/// </remarks>
public sealed class RestoreSettingsActivity(
    IArtifactStore artifacts,
    TimeProvider time,
    ILogger<RestoreSettingsActivity> logger,
    ITargetControl? targetControl = null) : TaskActivity<RestoreSettingsTask, SettingsRestore>
{
    public override async Task<SettingsRestore> RunAsync(TaskActivityContext context, RestoreSettingsTask input)
    {
        // Not the host's shutdown token: putting a production app's settings back is worth finishing.
        var cancellationToken = CancellationToken.None;
        var bytes = await artifacts.GetAsync(input.Workload, input.RunId, OriginalSettings.BlobName, cancellationToken);
        if (bytes is null)
        {
            return new SettingsRestore { Reason = input.Reason };
        }

        var originals = YardstickJson.Deserialize<OriginalSettings>(bytes);
        if (targetControl is null)
        {
            throw new InputException("target.azure", $"run {input.RunId} changed settings of {originals.ResourceId}, but this host has no Azure target control (ARM) to put them back.");
        }

        var restored = new List<RestoredSetting>();
        foreach (var original in originals.Settings)
        {
            string? error = null;
            try
            {
                await targetControl.RestoreSettingAsync(originals.ResourceId, original.Parameter, original.Value, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                error = e.Message;
            }

            restored.Add(new RestoredSetting { Parameter = original.Parameter, Value = original.Value, RestoredAt = time.GetUtcNow(), Error = error });
        }

        var record = new SettingsRestore { ResourceId = originals.ResourceId, Reason = input.Reason, Settings = restored };
        await artifacts.PutAsync(input.Workload, input.RunId, input.RecordName ?? SettingsRestore.BlobName, YardstickJson.ToUtf8(record, indented: true), "application/json", cancellationToken);
        Log.SettingsRestored(logger, input.RunId, input.Reason, restored.Count(r => r.Error is null), restored.Count);
        if (!record.Complete)
        {
            throw new SettingsNotRestoredException(
                $"run {input.RunId}: could not put back " + string.Join("; ", restored.Where(r => r.Error is not null).Select(r => $"{r.Parameter} ({r.Error})")));
        }

        return record;
    }
}

/// <summary>A setting the run changed could not be put back; thrown so Durable's retry policy tries again.</summary>
public sealed class SettingsNotRestoredException(string message) : Exception(message);
