using System.Globalization;
using Yardstick.Core;
using Yardstick.Core.Load.Safety;
using Yardstick.Core.Ports;

namespace Yardstick.Azure.WebApps;

/// <summary>
/// <see cref="ITargetControl"/> for Azure function apps over ARM. <paramref name="probeClient"/> sends the
/// readiness probes of <see cref="WaitUntilServingAsync"/> (inject the same handler the load engine uses).
/// </summary>
public sealed class AzureTargetControl(WebAppsClient webApps, HttpClient probeClient, TimeProvider? timeProvider = null) : ITargetControl
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    /// <summary>Pause between readiness checks.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);

    public Task RestartAsync(string resourceId, CancellationToken cancellationToken) =>
        webApps.RestartAsync(resourceId, cancellationToken);

    public Task<long> BumpColdStartSettingAsync(string resourceId, CancellationToken cancellationToken) =>
        webApps.BumpColdStartSettingAsync(resourceId, cancellationToken);

    public Task<FlexScaleSettings?> GetScaleSettingsAsync(string resourceId, CancellationToken cancellationToken) =>
        webApps.GetScaleSettingsAsync(resourceId, cancellationToken);

    public async Task<Core.Environments.AppSettingsFingerprint> GetAppSettingsFingerprintAsync(string resourceId, CancellationToken cancellationToken) =>
        Core.Environments.AppSettingsFingerprint.Of(await webApps.ListAppSettingsAsync(resourceId, cancellationToken));

    public async Task ApplySettingAsync(string resourceId, string parameter, string value, CancellationToken cancellationToken)
    {
        // Parse first: a bad value fails before anything on the target changes.
        var setting = TargetSetting.Parse(parameter, value);
        switch (setting)
        {
            // Validation refuses these too; checked again where the ARM write happens.
            case AppSettingTargetSetting app when ReservedAppSettings.IsReserved(app.Name):
                throw new InputException("sweep.parameter", $"'{app.Name}' may not be swept: {ReservedAppSettings.Rule}.");
            case AppSettingTargetSetting app:
                await webApps.SetAppSettingsAsync(resourceId, new Dictionary<string, string> { [app.Name] = app.Value }, cancellationToken);
                break;
            default:
                await webApps.UpdateScaleSettingsAsync(resourceId, current => Apply(current, setting), cancellationToken);
                break;
        }
    }

    public async Task<string?> ReadSettingAsync(string resourceId, string parameter, CancellationToken cancellationToken)
    {
        if (parameter.StartsWith(TargetSetting.AppSettingPrefix, StringComparison.Ordinal))
        {
            var app = (AppSettingTargetSetting)TargetSetting.Parse(parameter, "");
            var settings = await webApps.ListAppSettingsAsync(resourceId, cancellationToken);
            return settings.TryGetValue(app.Name, out var value) ? value ?? "" : null;
        }

        if (parameter is not (TargetSetting.InstanceMemoryParameter or TargetSetting.MaximumInstanceCountParameter or TargetSetting.PerInstanceConcurrencyParameter or TargetSetting.AlwaysReadyParameter))
        {
            throw new InputException("sweep.parameter", $"unknown sweep parameter '{parameter}'");
        }

        var scale = await webApps.GetScaleSettingsAsync(resourceId, cancellationToken)
            ?? throw new InputException("target.azure.resourceId", $"{resourceId} has no properties.functionAppConfig: scale settings exist on Flex Consumption apps only");
        return parameter switch
        {
            TargetSetting.InstanceMemoryParameter => Text(scale.InstanceMemoryMB),
            TargetSetting.MaximumInstanceCountParameter => Text(scale.MaximumInstanceCount),
            TargetSetting.PerInstanceConcurrencyParameter => Text(scale.HttpPerInstanceConcurrency),
            _ => string.Join(",", scale.AlwaysReady.Select(g => $"{g.Name}={g.InstanceCount.ToString(CultureInfo.InvariantCulture)}")),
        };
    }

    public async Task RestoreSettingAsync(string resourceId, string parameter, string? value, CancellationToken cancellationToken)
    {
        if (parameter.StartsWith(TargetSetting.AppSettingPrefix, StringComparison.Ordinal))
        {
            var app = (AppSettingTargetSetting)TargetSetting.Parse(parameter, value ?? "");
            await webApps.UpdateAppSettingsAsync(resourceId, new Dictionary<string, string?> { [app.Name] = value }, cancellationToken);
            return;
        }

        if (parameter == TargetSetting.AlwaysReadyParameter)
        {
            // Exactly the recorded groups: a sweep may have added a group the app did not have.
            var groups = string.IsNullOrEmpty(value) ? [] : ((AlwaysReadyTargetSetting)TargetSetting.Parse(parameter, value)).Groups.Where(g => g.InstanceCount > 0).ToList();
            await webApps.UpdateScaleSettingsAsync(resourceId, current => current with { AlwaysReady = groups }, cancellationToken);
            return;
        }

        if (value is null)
        {
            // The member was unset (platform default) before the run: say so, rather than guess a value.
            await webApps.UpdateScaleSettingsAsync(resourceId, current => parameter switch
            {
                TargetSetting.InstanceMemoryParameter => current with { InstanceMemoryMB = null },
                TargetSetting.MaximumInstanceCountParameter => current with { MaximumInstanceCount = null },
                TargetSetting.PerInstanceConcurrencyParameter => current with { HttpPerInstanceConcurrency = null },
                _ => throw new InputException("sweep.parameter", $"unknown sweep parameter '{parameter}'"),
            }, cancellationToken);
            return;
        }

        await ApplySettingAsync(resourceId, parameter, value, cancellationToken);
    }

    public async Task<IReadOnlyList<string>> GetHostNamesAsync(string resourceId, CancellationToken cancellationToken)
    {
        var site = await webApps.GetSiteAsync(resourceId, cancellationToken);
        return site.HostNames;
    }

    public async Task<bool> WaitUntilServingAsync(string resourceId, Uri? probeUrl, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = _time.GetUtcNow() + timeout;
        var running = false;
        while (_time.GetUtcNow() < deadline)
        {
            if (!running)
            {
                var site = await webApps.GetSiteAsync(resourceId, cancellationToken);
                running = string.Equals(site.State, "Running", StringComparison.OrdinalIgnoreCase);
            }

            if (running && (probeUrl is null || await ProbeAsync(probeUrl, deadline, cancellationToken)))
            {
                return true;
            }

            await Task.Delay(PollInterval, _time, cancellationToken);
        }

        return false;
    }

    /// <summary>The scale settings with one sweep value applied.</summary>
    internal static FlexScaleSettings Apply(FlexScaleSettings current, TargetSetting setting) => setting switch
    {
        InstanceMemorySetting m => current with { InstanceMemoryMB = m.MemoryMB },
        MaximumInstanceCountSetting c => current with { MaximumInstanceCount = c.Count },
        PerInstanceConcurrencySetting p => current with { HttpPerInstanceConcurrency = p.Concurrency },
        AlwaysReadyTargetSetting a => current with
        {
            AlwaysReady = current.AlwaysReady
                .Where(g => !a.Groups.Any(n => string.Equals(n.Name, g.Name, StringComparison.OrdinalIgnoreCase)))
                .Concat(a.Groups.Where(g => g.InstanceCount > 0))
                .ToList(),
        },
        _ => throw new ArgumentException($"{setting.GetType().Name} is not a scale setting", nameof(setting)),
    };

    private static string? Text(int? value) => value?.ToString(CultureInfo.InvariantCulture);

    private async Task<bool> ProbeAsync(Uri probeUrl, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var remaining = deadline - _time.GetUtcNow();
        if (remaining <= TimeSpan.Zero)
        {
            return false;
        }

        cts.CancelAfter(remaining);
        try
        {
            using var response = await probeClient.GetAsync(probeUrl, HttpCompletionOption.ResponseHeadersRead, cts.Token);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return false;
        }
    }
}
