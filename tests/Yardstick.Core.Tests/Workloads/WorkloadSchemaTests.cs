using System.Text.Json;
using Yardstick.Core.Workloads;

namespace Yardstick.Core.Tests.Workloads;

public sealed class WorkloadSchemaTests
{
    private static JsonElement Schema => JsonDocument.Parse(WorkloadSchema.Text).RootElement;

    [Fact]
    public void Text_EmbeddedSchema_IsTheFileInTheRepository()
    {
        var file = File.ReadAllText(Path.Combine(TestWorkloads.RepoRoot, "workloads", "schema", "workload.schema.json"));

        Assert.Equal(file, WorkloadSchema.Text);
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", Schema.GetProperty("$schema").GetString());
    }

    [Fact]
    public void Schema_EveryObjectForbidsUnknownFieldsAndEveryPropertyIsDescribed()
    {
        var problems = new List<string>();
        Walk(Schema, "#", problems);

        Assert.Empty(problems);
    }

    [Fact]
    public void Schema_CostRegionPatternAcceptsEveryKnownRegion()
    {
        var pattern = new System.Text.RegularExpressions.Regex(Schema.GetProperty("$defs").GetProperty("cost").GetProperty("properties").GetProperty("region").GetProperty("pattern").GetString()!);

        Assert.All(Yardstick.Core.Cost.AzureRegions.All, r => Assert.Matches(pattern, r));
    }

    private static void Walk(JsonElement node, string where, List<string> problems)
    {
        if (node.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        if (node.TryGetProperty("properties", out var properties))
        {
            if (!node.TryGetProperty("additionalProperties", out var additional) || additional.ValueKind != JsonValueKind.False)
            {
                problems.Add($"{where}: additionalProperties is not false");
            }

            foreach (var property in properties.EnumerateObject())
            {
                if (!HasDescription(property.Value))
                {
                    problems.Add($"{where}/properties/{property.Name}: no description");
                }
            }
        }

        foreach (var child in node.EnumerateObject())
        {
            Walk(child.Value, $"{where}/{child.Name}", problems);
        }
    }

    private static bool HasDescription(JsonElement property)
    {
        if (property.TryGetProperty("description", out _))
        {
            return true;
        }

        // A property that is only a $ref takes the description of its definition.
        return property.TryGetProperty("$ref", out var reference)
            && Schema.GetProperty("$defs").GetProperty(reference.GetString()!.Split('/')[^1]).TryGetProperty("description", out _);
    }
}
