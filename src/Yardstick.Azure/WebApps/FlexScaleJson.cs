using System.Text.Json.Nodes;
using Yardstick.Core.Ports;

namespace Yardstick.Azure.WebApps;

/// <summary>
/// Reads and writes <c>properties.functionAppConfig.scaleAndConcurrency</c> of a site document in place, touching
/// only the members that change (so deployment, runtime and unknown members survive the PUT).
/// </summary>
internal static class FlexScaleJson
{
    public static FlexScaleSettings? Read(JsonObject site)
    {
        if (site["properties"]?["functionAppConfig"] is not JsonObject config)
        {
            return null;
        }

        var scale = config["scaleAndConcurrency"] as JsonObject;
        return new FlexScaleSettings
        {
            InstanceMemoryMB = Int(scale?["instanceMemoryMB"]),
            MaximumInstanceCount = Int(scale?["maximumInstanceCount"]),
            HttpPerInstanceConcurrency = Int(scale?["triggers"]?["http"]?["perInstanceConcurrency"]),
            AlwaysReady = scale?["alwaysReady"] is JsonArray groups
                ? groups.OfType<JsonObject>()
                    .Select(g => new AlwaysReadySetting(SiteInfo.Text(g["name"]) ?? "", Int(g["instanceCount"]) ?? 0))
                    .Where(g => g.Name.Length > 0)
                    .ToList()
                : [],
        };
    }

    public static void Write(JsonObject site, FlexScaleSettings current, FlexScaleSettings wanted)
    {
        var config = (JsonObject)site["properties"]!["functionAppConfig"]!;
        if (config["scaleAndConcurrency"] is not JsonObject scale)
        {
            scale = [];
            config["scaleAndConcurrency"] = scale;
        }

        if (wanted.InstanceMemoryMB != current.InstanceMemoryMB)
        {
            scale["instanceMemoryMB"] = wanted.InstanceMemoryMB;
        }

        if (wanted.MaximumInstanceCount != current.MaximumInstanceCount)
        {
            scale["maximumInstanceCount"] = wanted.MaximumInstanceCount;
        }

        if (!wanted.AlwaysReady.SequenceEqual(current.AlwaysReady))
        {
            var groups = new JsonArray();
            foreach (var group in wanted.AlwaysReady)
            {
                groups.Add(new JsonObject { ["name"] = group.Name, ["instanceCount"] = group.InstanceCount });
            }

            scale["alwaysReady"] = groups;
        }

        if (wanted.HttpPerInstanceConcurrency != current.HttpPerInstanceConcurrency)
        {
            if (scale["triggers"] is not JsonObject triggers)
            {
                triggers = [];
                scale["triggers"] = triggers;
            }

            if (triggers["http"] is not JsonObject http)
            {
                http = [];
                triggers["http"] = http;
            }

            http["perInstanceConcurrency"] = wanted.HttpPerInstanceConcurrency;
        }
    }

    private static int? Int(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<int>(out var n) ? n
        : node is JsonValue other && other.TryGetValue<double>(out var d) ? (int)d
        : null;
}
