using System.Text.Json;
using System.Text.Json.Serialization;

namespace Yardstick.Functions.Tests.Infra;

/// <summary>One row of infra/app-settings.json: an app setting the Functions code reads.</summary>
/// <param name="Name">Setting name as the code reads it (e.g. <c>YARDSTICK_STORAGE</c>).</param>
/// <param name="Required">True when the Bicep must set it; false when it is optional with a default.</param>
/// <param name="Description">What it is for.</param>
/// <param name="SetBy">The Bicep file that sets it, or how an optional setting is set.</param>
internal sealed record AppSettingEntry(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("required")] bool Required,
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("setBy")] string SetBy);

/// <summary>Reads infra/app-settings.json, the documented list of the Functions app's settings.</summary>
internal static class AppSettingsCatalog
{
    /// <summary>Repository-relative path of the catalog.</summary>
    public const string RelativePath = "infra/app-settings.json";

    private static readonly JsonSerializerOptions Options = new()
    {
        RespectRequiredConstructorParameters = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>Parses a catalog document; throws <see cref="JsonException"/> on a malformed one.</summary>
    public static IReadOnlyList<AppSettingEntry> Parse(string json) =>
        JsonSerializer.Deserialize<List<AppSettingEntry>>(json, Options)
        ?? throw new JsonException("app-settings.json is null.");

    /// <summary>Loads the repository's catalog.</summary>
    public static IReadOnlyList<AppSettingEntry> Load() => Parse(RepoPaths.ReadText(RelativePath));
}
