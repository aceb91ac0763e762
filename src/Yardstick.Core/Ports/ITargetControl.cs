namespace Yardstick.Core.Ports;

/// <summary>
/// Control of a deployed target for cold-start strategies and settings sweeps (ARM for Azure function apps).
/// Implemented in Yardstick.Azure; every method is safe to retry (activities are idempotent).
/// </summary>
public interface ITargetControl
{
    /// <summary>Hard restart of the app (<c>softRestart=false</c>), returning when the platform says it is done.</summary>
    Task RestartAsync(string resourceId, CancellationToken cancellationToken);

    /// <summary>
    /// Writes <c>YARDSTICK_COLD_START=&lt;counter&gt;</c> (the previous counter + 1), keeping every other app setting,
    /// which recycles the app. Returns the counter written.
    /// </summary>
    Task<long> BumpColdStartSettingAsync(string resourceId, CancellationToken cancellationToken);

    /// <summary>
    /// Applies one sweep value: <c>instanceMemoryMB</c>, <c>perInstanceConcurrency</c>, <c>maximumInstanceCount</c>,
    /// <c>alwaysReady</c> (<c>N</c> for the http group, or <c>name=N,name=N</c>) or <c>appSetting:NAME</c>.
    /// </summary>
    /// <exception cref="InputException">The parameter or value is not valid (field <c>sweep.parameter</c> / <c>sweep.values</c>).</exception>
    Task ApplySettingAsync(string resourceId, string parameter, string value, CancellationToken cancellationToken);

    /// <summary>
    /// The value a sweep parameter has now, in the text a sweep value uses (null when unset: an app setting that does not
    /// exist, a scale member the platform defaults). <c>alwaysReady</c> reads as every group, <c>name=N,name=N</c>
    /// (empty when there is none). Sweeps record it before the first change, to put it back when the run ends.
    /// </summary>
    Task<string?> ReadSettingAsync(string resourceId, string parameter, CancellationToken cancellationToken);

    /// <summary>
    /// Puts a sweep parameter back to a value <see cref="ReadSettingAsync"/> returned: null removes an app setting;
    /// <c>alwaysReady</c> becomes exactly the listed groups. Safe to repeat.
    /// </summary>
    Task RestoreSettingAsync(string resourceId, string parameter, string? value, CancellationToken cancellationToken);

    /// <summary>The site's host names as ARM reports them (<c>defaultHostName</c> and <c>hostNames</c>), lower case.</summary>
    Task<IReadOnlyList<string>> GetHostNamesAsync(string resourceId, CancellationToken cancellationToken);

    /// <summary>
    /// The app settings as a fingerprint (<see cref="Environments.AppSettingsFingerprint"/>: names and a hash of the
    /// values; the values themselves are read only to hash them, never returned).
    /// </summary>
    Task<Environments.AppSettingsFingerprint> GetAppSettingsFingerprintAsync(string resourceId, CancellationToken cancellationToken);

    /// <summary>The Flex scale settings now in force (null on plans without them).</summary>
    Task<FlexScaleSettings?> GetScaleSettingsAsync(string resourceId, CancellationToken cancellationToken);

    /// <summary>
    /// Waits until the app reports it is running and, when <paramref name="probeUrl"/> is given, answers it with 2xx.
    /// Returns false when <paramref name="timeout"/> passes first.
    /// </summary>
    Task<bool> WaitUntilServingAsync(string resourceId, Uri? probeUrl, TimeSpan timeout, CancellationToken cancellationToken);
}

/// <summary>
/// <c>properties.functionAppConfig.scaleAndConcurrency</c> of a Flex Consumption app (AZURE-FACTS §5).
/// Null members are unset (the platform default applies).
/// </summary>
public sealed record FlexScaleSettings
{
    /// <summary>512, 2048 or 4096.</summary>
    public int? InstanceMemoryMB { get; init; }

    /// <summary>40–1000.</summary>
    public int? MaximumInstanceCount { get; init; }

    /// <summary>Always-ready instance counts per group (<c>http</c>, <c>durable</c>, <c>blob</c>, <c>function:&lt;Name&gt;</c>).</summary>
    public IReadOnlyList<AlwaysReadySetting> AlwaysReady { get; init; } = [];

    /// <summary><c>triggers.http.perInstanceConcurrency</c>.</summary>
    public int? HttpPerInstanceConcurrency { get; init; }
}

/// <summary>One always-ready group.</summary>
public sealed record AlwaysReadySetting(string Name, int InstanceCount);
