using System.Text.Json.Nodes;
using Yardstick.Core.Ports;

namespace Yardstick.Azure.WebApps;

/// <summary>
/// Reads <c>properties.functionAppConfig.scaleAndConcurrency</c> of a site document and builds the PATCH body that
/// changes only the members that differ (deployment, runtime, identity and unknown members are never sent).
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

    /// <summary>
    /// The body of a site PATCH that changes only the members of <c>scaleAndConcurrency</c> that differ between
    /// <paramref name="current"/> and <paramref name="wanted"/>, or null when nothing differs. Nothing else of the site
    /// (identity, deployment storage, runtime, site config) is sent: a PUT of the whole site makes ARM check
    /// <c>Microsoft.ManagedIdentity/userAssignedIdentities/*/assign/action</c> for the identity it carries.
    /// </summary>
    public static JsonObject? Patch(FlexScaleSettings current, FlexScaleSettings wanted)
    {
        var scale = new JsonObject();
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
            // An array in a PATCH replaces the whole array, so it carries every group that stays.
            var groups = new JsonArray();
            foreach (var group in wanted.AlwaysReady)
            {
                groups.Add(new JsonObject { ["name"] = group.Name, ["instanceCount"] = group.InstanceCount });
            }

            scale["alwaysReady"] = groups;
        }

        if (wanted.HttpPerInstanceConcurrency != current.HttpPerInstanceConcurrency)
        {
            scale["triggers"] = new JsonObject { ["http"] = new JsonObject { ["perInstanceConcurrency"] = wanted.HttpPerInstanceConcurrency } };
        }

        return scale.Count == 0
            ? null
            : new JsonObject { ["properties"] = new JsonObject { ["functionAppConfig"] = new JsonObject { ["scaleAndConcurrency"] = scale } } };
    }

    private static int? Int(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<int>(out var n) ? n
        : node is JsonValue other && other.TryGetValue<double>(out var d) ? (int)d
        : null;
}
