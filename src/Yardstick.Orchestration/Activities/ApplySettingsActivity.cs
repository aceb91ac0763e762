using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Yardstick.Core;
using Yardstick.Core.Load.LocalTargets;
using Yardstick.Core.Load.Safety;
using Yardstick.Core.Ports;
using Yardstick.Core.Workloads;
using Yardstick.Orchestration.Contracts;
using Yardstick.Orchestration.Hosting;

namespace Yardstick.Orchestration.Activities;

/// <summary>
/// Step 2 of a sweep: applies one sweep value to the target and waits until it serves again, before that variant's
/// shards of a round. Azure targets go through <see cref="ITargetControl"/> (ARM), then
/// <see cref="ITargetControl.WaitUntilServingAsync"/> up to <c>sweep.settleTimeout</c>; a local process target
/// (<c>appSetting:NAME</c> sweeps only) is restarted with <c>NAME=value</c> in its environment. Records the timings in
/// the run's <c>settings/</c> blobs; before the first change to an Azure target it records the values it found
/// (<see cref="OriginalSettings"/>), which <see cref="RestoreSettingsActivity"/> puts back when the run ends.
/// </summary>
/// <remarks>
/// Idempotent: setting a value twice leaves the same state (a retry may restart the target once more). The
/// orchestrator calls it only between variants, when no load is running: a Flex Consumption site update with the
/// <c>Recreate</c> strategy terminates running executions, and a setting change recycles the app anyway.
/// </remarks>
public sealed class ApplySettingsActivity(
    IArtifactStore artifacts,
    PlanReader plans,
    YardstickHostOptions options,
    TimeProvider time,
    ILogger<ApplySettingsActivity> logger,
    ILocalTargets? localTargets = null,
    ITargetControl? targetControl = null) : TaskActivity<ApplySettingsTask, ApplySettingsResult>
{
    public override async Task<ApplySettingsResult> RunAsync(TaskActivityContext context, ApplySettingsTask input)
    {
        var cancellationToken = options.Shutdown;
        var stored = await plans.GetAsync(input.Workload, input.RunId, cancellationToken);
        var workload = stored.Workload;
        var sweep = workload.Sweep ?? throw new InputException("sweep", "this run has no sweep, so there is no setting to apply.");
        var startedAt = time.GetUtcNow();
        var started = time.GetTimestamp();
        TimeSpan settle;
        string target;

        if (workload.Target.Azure is { } azure)
        {
            if (targetControl is null)
            {
                throw new InputException("target.azure", "this host has no Azure target control (ARM) configured, so it cannot apply sweep settings (on the CLI, run with --azure).");
            }

            // The probe URL may carry a function key (${env:…}); it is resolved here, on the worker, and never logged.
            var probeUrl = SecretReferences.Resolve(workload.Target.Url, "target.url", options.Environment);
            options.TargetPolicy.EnsureUrlAllowed(probeUrl, "target.url");
            await RecordOriginalsAsync(input, azure.ResourceId, sweep, targetControl, cancellationToken);

            // A grid cell changes several settings: each in turn, then one wait until the app serves again.
            foreach (var setting in SweepCell.SettingsOf(sweep, input.Variant))
            {
                await targetControl.ApplySettingAsync(azure.ResourceId, setting.Parameter, setting.Value, cancellationToken);
            }

            var changed = time.GetTimestamp();
            if (!await targetControl.WaitUntilServingAsync(azure.ResourceId, new Uri(probeUrl), sweep.SettleTimeout, cancellationToken))
            {
                throw new SettingsNotServingException(
                    $"after setting {Describe(sweep, input.Variant)} the app did not serve 2xx within {Core.Load.DurationText.Format(sweep.SettleTimeout)} (sweep.settleTimeout)");
            }

            settle = time.GetElapsedTime(changed);
            target = "azure";
        }
        else if (workload.Target.Process is { } process)
        {
            if (localTargets is null)
            {
                throw new InputException("target.process", "this host cannot start local target processes.");
            }

            var environment = SweepEnvironment.For(sweep, input.Variant);
            settle = await localTargets.RestartAsync(input.RunId, process, environment, process.ReadyUrl ?? workload.Target.Url, stored.WorkloadDirectory, cancellationToken);
            target = "process";
        }
        else
        {
            throw new InputException("sweep", "a sweep needs target.azure, or target.process for appSetting:NAME.");
        }

        var result = new ApplySettingsResult
        {
            Variant = input.Variant,
            Round = input.Round,
            Parameter = sweep.Label,
            Target = target,
            StartedAt = startedAt,
            ApplySeconds = time.GetElapsedTime(started).TotalSeconds,
            SettleSeconds = settle.TotalSeconds,
        };
        await artifacts.PutAsync(input.Workload, input.RunId, input.RecordName, YardstickJson.ToUtf8(result, indented: true), "application/json", cancellationToken);
        Log.SettingsApplied(logger, input.RunId, sweep.Label, input.Variant, input.Round, result.ApplySeconds, result.SettleSeconds);
        return result;
    }

    /// <summary>
    /// Before the run's first change: what every swept parameter is now, so <see cref="RestoreSettingsActivity"/> can put
    /// it back. Written once; a retry (or a later turn) finds the record and keeps it, so it never holds a value the run set.
    /// </summary>
    private async Task RecordOriginalsAsync(ApplySettingsTask input, string resourceId, SweepSpec sweep, ITargetControl control, CancellationToken cancellationToken)
    {
        if (await artifacts.GetAsync(input.Workload, input.RunId, OriginalSettings.BlobName, cancellationToken) is not null)
        {
            return;
        }

        var settings = new List<OriginalSetting>();
        foreach (var parameter in sweep.Dimensions.Select(d => d.Parameter).Distinct(StringComparer.Ordinal))
        {
            settings.Add(new OriginalSetting { Parameter = parameter, Value = await control.ReadSettingAsync(resourceId, parameter, cancellationToken), ReadAt = time.GetUtcNow() });
        }

        var record = new OriginalSettings { ResourceId = resourceId, Settings = settings };
        await artifacts.PutAsync(input.Workload, input.RunId, OriginalSettings.BlobName, YardstickJson.ToUtf8(record, indented: true), "application/json", cancellationToken);
    }

    /// <summary><c>param=value</c> for a one-parameter sweep; a grid cell's key already reads that way.</summary>
    private static string Describe(SweepSpec sweep, string variant) => sweep.Grid.Count > 0 ? variant : $"{sweep.Parameter}={variant}";
}

/// <summary>The target did not serve again within <c>sweep.settleTimeout</c>; thrown so Durable's retry policy tries again.</summary>
public sealed class SettingsNotServingException(string message) : Exception(message);
