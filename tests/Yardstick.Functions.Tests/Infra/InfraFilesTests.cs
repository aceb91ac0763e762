using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Yardstick.Functions.Tests.Infra;

/// <summary>
/// Checks the deployment files against each other: azure.yaml, infra/main.parameters.json,
/// infra/app-settings.json vs the Bicep, and the pipeline examples vs the CLI. Compiling and
/// linting the Bicep itself is scripts/bicep-check.sh (real Bicep CLI), run by CI.
/// </summary>
public sealed partial class InfraFilesTests
{
    private const string ApiBicep = "infra/app/api.bicep";

    [Fact]
    public void AzureYaml_ApiService_PointsAtFunctionsProjectWithDotnetFunctionHost()
    {
        var root = LoadYaml(RepoPaths.ReadText("azure.yaml"));

        Assert.Equal("yardstick", Scalar(root, "name"));
        var services = Assert.IsType<YamlMappingNode>(root.Children[new YamlScalarNode("services")]);
        var api = Assert.IsType<YamlMappingNode>(Assert.Single(services.Children, kv => Scalar(kv.Key) == "api").Value);
        Assert.Equal("dotnet", Scalar(api, "language"));
        Assert.Equal("function", Scalar(api, "host"));

        var project = Scalar(api, "project");
        Assert.Equal("src/Yardstick.Functions", project.TrimStart('.', '/').TrimEnd('/'));
        var projectDir = RepoPaths.Of(project.TrimStart('.', '/'));
        Assert.True(File.Exists(Path.Combine(projectDir, "Yardstick.Functions.csproj")), $"no project file in {projectDir}");
    }

    [Fact]
    public void AzureYaml_ServiceKey_MatchesAzdServiceNameTagInBicep()
    {
        var bicep = RepoPaths.ReadText(ApiBicep);

        Assert.Contains("'azd-service-name': 'api'", bicep, StringComparison.Ordinal);
    }

    [Fact]
    public void MainParameters_AzdVariables_MappedToTheirParameters()
    {
        var parameters = LoadParameters();

        Assert.Equal("${AZURE_ENV_NAME}", parameters["environmentName"]);
        Assert.Equal("${AZURE_LOCATION}", parameters["location"]);
        Assert.Equal("${AZURE_PRINCIPAL_ID}", parameters["principalId"]);
        foreach (var name in new[] { "targetResourceGroupName", "allowedTargetHosts", "nightlySchedule", "deploySampleTarget" })
        {
            Assert.True(parameters.ContainsKey(name), $"main.parameters.json lacks {name}");
        }
    }

    [Fact]
    public void MainParameters_EveryParameter_IsDeclaredInMainBicepAndEveryRequiredOneIsSupplied()
    {
        var parameters = LoadParameters();
        var declared = BicepParams().Matches(RepoPaths.ReadText("infra/main.bicep"))
            .ToDictionary(m => m.Groups["name"].Value, m => m.Groups["default"].Success);

        Assert.NotEmpty(declared);
        Assert.All(parameters.Keys, name => Assert.True(declared.ContainsKey(name), $"{name} is not a param of main.bicep"));
        var withoutDefault = declared.Where(d => !d.Value).Select(d => d.Key);
        Assert.All(withoutDefault, name => Assert.True(parameters.ContainsKey(name), $"main.bicep param {name} has no default and no value in main.parameters.json"));
    }

    [Fact]
    public void AppSettingsCatalog_Entries_AreUniqueAndDescribed()
    {
        var catalog = AppSettingsCatalog.Load();

        Assert.NotEmpty(catalog);
        Assert.Equal(catalog.Count, catalog.Select(e => e.Name).Distinct(StringComparer.Ordinal).Count());
        Assert.All(catalog, e => Assert.False(string.IsNullOrWhiteSpace(e.Description), $"{e.Name}: no description"));
        Assert.All(catalog, e => Assert.False(string.IsNullOrWhiteSpace(e.SetBy), $"{e.Name}: no setBy"));
    }

    [Fact]
    public void AppSettingsCatalog_EveryRequiredSetting_IsSetByTheBicepFileItNames()
    {
        var catalog = AppSettingsCatalog.Load();

        foreach (var entry in catalog.Where(e => e.Required))
        {
            Assert.True(entry.SetBy.StartsWith("infra/", StringComparison.Ordinal) && entry.SetBy.EndsWith(".bicep", StringComparison.Ordinal),
                $"{entry.Name}: a required setting must name the Bicep file that sets it, not '{entry.SetBy}'");
            var names = BicepAppSettingsScanner.ReadAppSettingNames(RepoPaths.ReadText(entry.SetBy));
            Assert.True(names.Contains(entry.Name), $"{entry.Name} is required but {entry.SetBy} does not set it");
        }
    }

    [Fact]
    public void ApiBicep_EverySettingItSets_IsInTheCatalog()
    {
        var catalog = AppSettingsCatalog.Load().Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        var set = BicepAppSettingsScanner.ReadAppSettingNames(RepoPaths.ReadText(ApiBicep));

        Assert.NotEmpty(set);
        Assert.All(set, name => Assert.True(catalog.Contains(name), $"{ApiBicep} sets {name}, which infra/app-settings.json does not document"));
    }

    [Fact]
    public void AppBicepModules_RequiredSettings_AreSetSomewhereUnderInfraApp()
    {
        // The brief's wording, independent of setBy: every required setting is set in infra/app/*.bicep.
        var setAnywhere = Directory.EnumerateFiles(RepoPaths.Of("infra/app"), "*.bicep")
            .SelectMany(f => BicepAppSettingsScanner.ReadAppSettingNames(File.ReadAllText(f)))
            .ToHashSet(StringComparer.Ordinal);

        Assert.All(AppSettingsCatalog.Load().Where(e => e.Required),
            e => Assert.True(setAnywhere.Contains(e.Name), $"{e.Name} is required but no infra/app/*.bicep sets it"));
    }

    [Theory]
    [InlineData("actions/gate/action.yml")]
    [InlineData("actions/gate/azure-pipelines.yml")]
    public void GateActionAndTemplate_Parse_AndCallOnlyKnownCliCommandsAndOptions(string path)
    {
        var scripts = PipelineCommandScanner.ReadScripts(RepoPaths.ReadText(path));
        var calls = scripts.SelectMany(PipelineCommandScanner.FindInvocations).ToList();

        Assert.NotEmpty(calls);
        Assert.All(calls, c => Assert.True(KnownCli.Commands.Contains(c.Command), $"{path}: unknown command '{c.Command}' in: {c.Line}"));
        Assert.All(calls, c => Assert.All(c.Options, o => Assert.True(KnownCli.OptionsOf(c.Command).Contains(o), $"{path}: '{c.Command}' has no option '--{o}' in: {c.Line}")));
    }

    [Theory]
    [InlineData("docs/pipelines/github-actions.yml", "secrets.YARDSTICK_FUNCTION_KEY")]
    [InlineData("docs/pipelines/azure-devops.yml", "$(YardstickFunctionKey)")]
    public void PipelineExample_PublishesJunitXml_AndPassesTheFunctionKeyFromASecret(string path, string secret)
    {
        // The gate itself (actions/gate, GateActionTests) writes report.md to the job summary.
        var text = RepoPaths.ReadText(path);

        Assert.Contains("junit.xml", text, StringComparison.Ordinal);
        Assert.Contains(secret, text, StringComparison.Ordinal);
    }

    private static Dictionary<string, string> LoadParameters()
    {
        var doc = JsonNode.Parse(RepoPaths.ReadText("infra/main.parameters.json"))!;
        var parameters = doc["parameters"]!.AsObject();
        return parameters.ToDictionary(p => p.Key, p => p.Value!["value"]!.GetValue<string>(), StringComparer.Ordinal);
    }

    private static YamlMappingNode LoadYaml(string text)
    {
        var stream = new YamlStream();
        using var reader = new StringReader(text);
        stream.Load(reader);
        return Assert.IsType<YamlMappingNode>(Assert.Single(stream.Documents).RootNode);
    }

    private static string Scalar(YamlMappingNode map, string key) =>
        Scalar(map.Children[new YamlScalarNode(key)]);

    private static string Scalar(YamlNode node) => Assert.IsType<YamlScalarNode>(node).Value ?? "";

    // `param name type` with an optional `= default` on the same line (decorators sit on lines above).
    [GeneratedRegex(@"^param\s+(?<name>\w+)\s+[\w\[\]]+(?<default>\s*=)?", RegexOptions.Multiline)]
    private static partial Regex BicepParams();
}
