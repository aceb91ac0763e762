using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Core;
using Yardstick.Azure.Rest;
using Yardstick.Core;
using Yardstick.Core.Ports;

namespace Yardstick.Azure.WebApps;

/// <summary>
/// ARM Web Apps (<c>Microsoft.Web/sites</c>, api-version 2024-04-01 as in the official samples): get the site,
/// restart it, read and write app settings without losing any, and read/update the Flex Consumption
/// <c>properties.functionAppConfig.scaleAndConcurrency</c> with a PATCH of just the changed members (AZURE-FACTS §5:
/// which call needs which permission).
/// </summary>
public sealed class WebAppsClient
{
    /// <summary>The app setting the <c>appSetting</c> cold-start strategy bumps.</summary>
    public const string ColdStartSettingName = Core.Environments.AppSettingsFingerprint.ColdStartCounter;

    private readonly WebAppsClientOptions _options;
    private readonly AzureRestPipeline _pipeline;
    private readonly ArmOperations _operations;

    public WebAppsClient(TokenCredential credential, WebAppsClientOptions? options = null, TimeProvider? timeProvider = null)
    {
        _options = options ?? new WebAppsClientOptions();
        _pipeline = new AzureRestPipeline(AzureApi.WebApps, credential, _options);
        _operations = new ArmOperations(_pipeline, _options, timeProvider ?? TimeProvider.System);
    }

    /// <summary>The site resource as JSON (<c>GET …/sites/{app}</c>).</summary>
    public async Task<JsonObject> GetSiteJsonAsync(string resourceId, CancellationToken cancellationToken)
    {
        var response = await _pipeline.SendAsync(RequestMethod.Get, SiteUri(resourceId), null, cancellationToken);
        return AsObject(response);
    }

    /// <summary>The site's main properties.</summary>
    public async Task<SiteInfo> GetSiteAsync(string resourceId, CancellationToken cancellationToken) =>
        SiteInfo.From(await GetSiteJsonAsync(resourceId, cancellationToken));

    /// <summary>
    /// <c>POST …/restart?softRestart=false&amp;synchronous=true</c>: a hard restart that returns when it is done.
    /// Whether a restart yields a new Flex instance (not just a host restart) is UNCONFIRMED: check instance ids.
    /// </summary>
    public async Task RestartAsync(string resourceId, CancellationToken cancellationToken, bool softRestart = false, bool synchronous = true)
    {
        var uri = AzureUris.Build(
            _options.Endpoint,
            AzureUris.SitePath(resourceId) + "/restart",
            ("api-version", _options.ApiVersion),
            ("softRestart", softRestart ? "true" : "false"),
            ("synchronous", synchronous ? "true" : "false"));
        var response = await _pipeline.SendAsync(RequestMethod.Post, uri, null, cancellationToken);
        await _operations.WaitAsync(response, cancellationToken);
    }

    /// <summary>All app settings (<c>POST …/config/appsettings/list</c>); values may be null.</summary>
    public async Task<IReadOnlyDictionary<string, string?>> ListAppSettingsAsync(string resourceId, CancellationToken cancellationToken)
    {
        var properties = await ListAppSettingsJsonAsync(resourceId, cancellationToken);
        return properties.ToDictionary(p => p.Key, p => p.Value is JsonValue v && v.TryGetValue<string>(out var s) ? s : p.Value?.ToJsonString(), StringComparer.Ordinal);
    }

    /// <summary>
    /// Sets the given app settings and keeps every other one: lists all settings, changes only these, and PUTs the
    /// whole set back (<c>PUT …/config/appsettings</c> replaces the set, so a partial PUT would delete settings).
    /// </summary>
    public Task SetAppSettingsAsync(string resourceId, IReadOnlyDictionary<string, string> changes, CancellationToken cancellationToken) =>
        UpdateAppSettingsAsync(resourceId, changes.ToDictionary(c => c.Key, c => (string?)c.Value, StringComparer.Ordinal), cancellationToken);

    /// <summary>
    /// Like <see cref="SetAppSettingsAsync"/>, where a null value removes the setting. Sends nothing when the settings
    /// already read that way (a repeated restore is free).
    /// </summary>
    public async Task UpdateAppSettingsAsync(string resourceId, IReadOnlyDictionary<string, string?> changes, CancellationToken cancellationToken)
    {
        var properties = await ListAppSettingsJsonAsync(resourceId, cancellationToken);
        var changed = false;
        foreach (var (name, value) in changes)
        {
            var present = properties.TryGetPropertyValue(name, out var old);
            var oldText = old is JsonValue v && v.TryGetValue<string>(out var text) ? text : null;
            if (value is null)
            {
                changed |= properties.Remove(name);
            }
            else if (!present || oldText != value)
            {
                properties[name] = value;
                changed = true;
            }
        }

        if (changed)
        {
            await PutAppSettingsAsync(resourceId, properties, cancellationToken);
        }
    }

    /// <summary>
    /// Writes <c>YARDSTICK_COLD_START=&lt;previous + 1&gt;</c> keeping every other setting (SeBS's method, which
    /// recycles the app), and returns the counter written.
    /// </summary>
    public async Task<long> BumpColdStartSettingAsync(string resourceId, CancellationToken cancellationToken)
    {
        var properties = await ListAppSettingsJsonAsync(resourceId, cancellationToken);
        var previous = properties[ColdStartSettingName] is JsonValue v && v.TryGetValue<string>(out var text)
            && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : 0;
        var counter = previous + 1;
        properties[ColdStartSettingName] = counter.ToString(CultureInfo.InvariantCulture);
        await PutAppSettingsAsync(resourceId, properties, cancellationToken);
        return counter;
    }

    /// <summary>The Flex scale settings, or null when the site has no <c>functionAppConfig</c> (not Flex Consumption).</summary>
    public async Task<FlexScaleSettings?> GetScaleSettingsAsync(string resourceId, CancellationToken cancellationToken) =>
        FlexScaleJson.Read(await GetSiteJsonAsync(resourceId, cancellationToken));

    /// <summary>
    /// Changes the Flex scale settings: GET the site, apply <paramref name="change"/>, then PATCH the site with only the
    /// changed members of <c>properties.functionAppConfig.scaleAndConcurrency</c> (no identity, no other property; nothing
    /// is sent when nothing changes) and wait for the operation. Under the default <c>Recreate</c> update strategy this
    /// ends running executions.
    /// </summary>
    /// <exception cref="InputException">The site is not a Flex Consumption app.</exception>
    public async Task<FlexScaleSettings> UpdateScaleSettingsAsync(string resourceId, Func<FlexScaleSettings, FlexScaleSettings> change, CancellationToken cancellationToken)
    {
        var site = await GetSiteJsonAsync(resourceId, cancellationToken);
        var current = FlexScaleJson.Read(site)
            ?? throw new InputException("target.azure.resourceId", $"{resourceId} has no properties.functionAppConfig: scale settings exist on Flex Consumption apps only");
        var wanted = change(current);
        if (FlexScaleJson.Patch(current, wanted) is { } patch)
        {
            var response = await _pipeline.SendAsync(RequestMethod.Patch, SiteUri(resourceId), BinaryData.FromString(patch.ToJsonString()), cancellationToken);
            await _operations.WaitAsync(response, cancellationToken);
        }

        return wanted;
    }

    private async Task<JsonObject> ListAppSettingsJsonAsync(string resourceId, CancellationToken cancellationToken)
    {
        var uri = AzureUris.Build(_options.Endpoint, AzureUris.SitePath(resourceId) + "/config/appsettings/list", ("api-version", _options.ApiVersion));
        var response = await _pipeline.SendAsync(RequestMethod.Post, uri, null, cancellationToken);
        var root = AsObject(response);
        return root["properties"] switch
        {
            JsonObject properties => (JsonObject)properties.DeepClone(),
            null => [],
            _ => throw response.Malformed("'properties' of the app settings is not an object"),
        };
    }

    private async Task PutAppSettingsAsync(string resourceId, JsonObject properties, CancellationToken cancellationToken)
    {
        var uri = AzureUris.Build(_options.Endpoint, AzureUris.SitePath(resourceId) + "/config/appsettings", ("api-version", _options.ApiVersion));
        var body = new JsonObject { ["properties"] = properties };
        var response = await _pipeline.SendAsync(RequestMethod.Put, uri, BinaryData.FromString(body.ToJsonString()), cancellationToken);
        await _operations.WaitAsync(response, cancellationToken);
    }

    private Uri SiteUri(string resourceId) =>
        AzureUris.Build(_options.Endpoint, AzureUris.SitePath(resourceId), ("api-version", _options.ApiVersion));

    private static JsonObject AsObject(AzureRestResponse response)
    {
        try
        {
            return JsonNode.Parse(response.Body) as JsonObject ?? throw response.Malformed("expected a JSON object");
        }
        catch (JsonException e)
        {
            throw response.Malformed(e.Message, e);
        }
    }
}

/// <summary>Main properties of a site.</summary>
public sealed record SiteInfo
{
    public string? Id { get; init; }

    public string? Name { get; init; }

    /// <summary>For example <c>functionapp,linux</c>.</summary>
    public string? Kind { get; init; }

    public string? Location { get; init; }

    /// <summary><c>Running</c>, <c>Stopped</c>…</summary>
    public string? State { get; init; }

    public string? DefaultHostName { get; init; }

    /// <summary><c>defaultHostName</c> and every entry of <c>hostNames</c> (custom domains), lower case, no duplicates.</summary>
    public IReadOnlyList<string> HostNames { get; init; } = [];

    public string? ServerFarmId { get; init; }

    public string? RuntimeName { get; init; }

    public string? RuntimeVersion { get; init; }

    /// <summary>Null when the site is not a Flex Consumption app.</summary>
    public FlexScaleSettings? Scale { get; init; }

    internal static SiteInfo From(JsonObject site)
    {
        var properties = site["properties"] as JsonObject;
        var runtime = properties?["functionAppConfig"]?["runtime"] as JsonObject;
        return new SiteInfo
        {
            Id = Text(site["id"]),
            Name = Text(site["name"]),
            Kind = Text(site["kind"]),
            Location = Text(site["location"]),
            State = Text(properties?["state"]),
            DefaultHostName = Text(properties?["defaultHostName"]),
            HostNames = new[] { Text(properties?["defaultHostName"]) }
                .Concat(properties?["hostNames"] is JsonArray names ? names.Select(Text) : [])
                .OfType<string>()
                .Where(h => h.Length > 0)
                .Select(h => h.ToLowerInvariant())
                .Distinct(StringComparer.Ordinal)
                .ToList(),
            ServerFarmId = Text(properties?["serverFarmId"]),
            RuntimeName = Text(runtime?["name"]),
            RuntimeVersion = Text(runtime?["version"]),
            Scale = FlexScaleJson.Read(site),
        };
    }

    internal static string? Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var s) ? s : null;
}
