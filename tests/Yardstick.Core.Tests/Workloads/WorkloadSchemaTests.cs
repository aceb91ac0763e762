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

    [Theory]
    [InlineData("name: \"hello\\n\"\ntarget: { url: http://127.0.0.1:5080/api/hello }\nload: { rate: 10/s, duration: 5s }\n", "name")]
    [InlineData("name: hello\ntarget: { url: http://127.0.0.1:5080/api/hello, headers: { \"X-A\\n\": b } }\nload: { rate: 10/s, duration: 5s }\n", "target.headers")]
    public void LoadText_ValueThatMatchesOnlyBeforeAFinalLineBreak_IsRefused(string yaml, string field)
    {
        // .NET's $ also matches before a final "\n"; the schema's patterns must end at the end of the text, as in ECMA-262.
        var errors = Assert.Throws<WorkloadValidationException>(() => WorkloadLoader.LoadText(yaml, "nl.yaml")).Errors;

        Assert.Contains(errors, e => e.Path.StartsWith(field, StringComparison.Ordinal));
    }

    [Fact]
    public void WithStrictPatternEnds_EveryTrailingDollarBecomesEndOfText_EscapedDollarKept()
    {
        var strict = WorkloadSchema.WithStrictPatternEnds(JsonDocument.Parse("""{ "a": { "pattern": "^x$" }, "b": [ { "pattern": "^y\\$" } ] }""").RootElement);

        Assert.Equal("^x\\z", strict.GetProperty("a").GetProperty("pattern").GetString());
        Assert.Equal("^y\\$", strict.GetProperty("b")[0].GetProperty("pattern").GetString());
    }
}
