using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;
using Yardstick.Core.Workloads;

namespace Yardstick.Functions.Tests.Infra;

/// <summary>
/// The gate action (<c>actions/gate/action.yml</c>) and its Azure DevOps template: both parse, declare the same inputs,
/// every gate input reaches an option <c>yardstick gate</c> really has (read from the CLI's command tree), the outputs
/// are set, and the pipeline examples use them instead of building Yardstick from source.
/// </summary>
public sealed class GateActionTests
{
    private const string ActionPath = "actions/gate/action.yml";
    private const string TemplatePath = "actions/gate/azure-pipelines.yml";

    [Theory]
    [InlineData(ActionPath)]
    [InlineData(TemplatePath)]
    public void GateDefinition_EveryInput_MapsToAnExistingGateOption(string path)
    {
        var definition = GateInputMap.Read(RepoPaths.ReadText(path));

        Assert.Empty(GateInputMap.Problems(definition, KnownCli.OptionsOf("gate"), IsWorkloadPath));
        var workload = Assert.Single(definition.Inputs, i => GateInputMap.Use(definition, i).IsFileArgument);
        Assert.Equal("workload", workload);
        Assert.Contains("file", GateArguments());
    }

    [Fact]
    public void GateDefinition_InputsOfTheIssue_MapToTheirOptions()
    {
        var action = GateInputMap.Read(RepoPaths.ReadText(ActionPath));

        Assert.Equal(["endpoint"], GateInputMap.Use(action, "endpoint").Options);
        Assert.Equal(["fail-on-inconclusive"], GateInputMap.Use(action, "fail-on-inconclusive").Options);
        Assert.Equal(["out"], GateInputMap.Use(action, "out").Options);
        Assert.Equal(["target.url"], GateInputMap.Use(action, "target-url").SetPaths);
        Assert.Equal(["against"], GateInputMap.Use(action, "against-url").Options);
    }

    [Fact]
    public void ActionAndTemplate_DeclareTheSameInputs()
    {
        var action = GateInputMap.Read(RepoPaths.ReadText(ActionPath)).Inputs.ToHashSet(StringComparer.Ordinal);
        var template = GateInputMap.Read(RepoPaths.ReadText(TemplatePath)).Inputs.Select(GateInputMap.Kebab).ToHashSet(StringComparer.Ordinal);

        // The template alone needs to be told where Yardstick's sources are; the action knows its own path.
        template.Remove("yardstick-sources");
        Assert.Equal(action.Order(StringComparer.Ordinal), template.Order(StringComparer.Ordinal));
        Assert.Superset(new HashSet<string>(StringComparer.Ordinal) { "workload", "endpoint", "against-url", "fail-on-inconclusive", "out" }, action);
    }

    [Fact]
    public void Action_InstallsTheToolThenGates_AndSetsVerdictAndReportOutputs()
    {
        var action = GateInputMap.Read(RepoPaths.ReadText(ActionPath));
        Assert.Equal("composite", GateInputMap.Text(Map(action.Root, "runs"), "using"));
        AssertInstallsTheTool(action.InstallScript);

        var id = GateInputMap.Text(action.GateStep, "id");
        var outputs = Map(action.Root, "outputs");
        foreach (var output in new[] { "verdict", "report" })
        {
            Assert.Equal($"${{{{ steps.{id}.outputs.{output} }}}}", GateInputMap.Text(Map(outputs, output), "value"));
            Assert.Contains($"echo \"{output}=", action.GateScript, StringComparison.Ordinal);
        }

        Assert.Contains("\"$GITHUB_OUTPUT\"", action.GateScript, StringComparison.Ordinal);
        Assert.Contains("\"$GITHUB_PATH\"", action.InstallScript, StringComparison.Ordinal);
    }

    [Fact]
    public void Template_InstallsTheToolThenGates_AndSetsVerdictAndReportOutputVariables()
    {
        var template = GateInputMap.Read(RepoPaths.ReadText(TemplatePath));
        AssertInstallsTheTool(template.InstallScript);

        Assert.Equal("yardstickGate", GateInputMap.Text(template.GateStep, "name"));
        foreach (var output in new[] { "verdict", "report" })
        {
            Assert.Contains($"##vso[task.setvariable variable={output};isoutput=true]", template.GateScript, StringComparison.Ordinal);
        }

        Assert.Contains("##vso[task.uploadsummary]", template.GateScript, StringComparison.Ordinal);
        Assert.Contains("##vso[task.prependpath]", template.InstallScript, StringComparison.Ordinal);
    }

    [Fact]
    public void Problems_InputsThatReachNothingOrAnUnknownOption_AreNamed()
    {
        // The checker itself: a definition with each kind of mistake must be caught.
        var broken = GateInputMap.Read("""
            inputs:
              workload: { required: true }
              speed: { default: "" }
              unused: { default: "" }
              url: { default: "" }
              tool-source: { default: "" }
            runs:
              using: composite
              steps:
                - shell: bash
                  env:
                    SOURCE: ${{ inputs.tool-source }}
                  run: dotnet tool install --tool-path t --add-source "$SOURCE" Yardstick.Cli
                - shell: bash
                  env:
                    W: ${{ inputs.workload }}
                    S: ${{ inputs.speed }}
                    U: ${{ inputs.url }}
                    T: ${{ inputs.typo }}
                  run: |
                    args=()
                    if [ -n "$S" ]; then args+=(--speed "$S"); fi
                    if [ -n "$U" ]; then args+=(--set "target.nowhere=$U"); fi
                    yardstick gate "$W" "${args[@]}"
            """);

        var problems = GateInputMap.Problems(broken, KnownCli.OptionsOf("gate"), IsWorkloadPath);

        Assert.Contains(problems, p => p.Contains("--speed", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("'unused' reaches no option", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("'target.nowhere'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("'typo', which is not a declared input", StringComparison.Ordinal));
        Assert.Equal(4, problems.Count);
    }

    [Theory]
    [InlineData("failOnInconclusive", "fail-on-inconclusive")]
    [InlineData("againstUrl", "against-url")]
    [InlineData("out", "out")]
    public void Kebab_CamelCaseNames_BecomeTheActionsNames(string camel, string kebab) =>
        Assert.Equal(kebab, GateInputMap.Kebab(camel));

    [Fact]
    public void GitHubExample_GatesWithTheAction_RemoteAndLocal()
    {
        var root = LoadYaml(RepoPaths.ReadText("docs/pipelines/github-actions.yml"));
        var jobs = Map(root, "jobs");
        var remote = GateStep(Map(jobs, "gate-remote"), s => GateInputMap.Text(s, "uses"), "/actions/gate@");
        var local = GateStep(Map(jobs, "gate-local"), s => GateInputMap.Text(s, "uses"), "/actions/gate@");

        AssertGateInputs(Map(remote, "with"), ActionPath, name => name);
        AssertGateInputs(Map(local, "with"), ActionPath, name => name);
        Assert.StartsWith("https://", GateInputMap.Text(Map(remote, "with"), "endpoint"), StringComparison.Ordinal);
        Assert.Contains("secrets.YARDSTICK_FUNCTION_KEY", GateInputMap.Text(Map(remote, "with"), "function-key"), StringComparison.Ordinal);
        Assert.Null(GateInputMap.Text(Map(local, "with"), "endpoint"));
        Assert.Equal("true", GateInputMap.Text(Map(local, "with"), "fail-on-inconclusive"));
    }

    [Fact]
    public void AzureDevOpsExample_GatesWithTheTemplate_RemoteAndLocal()
    {
        var root = LoadYaml(RepoPaths.ReadText("docs/pipelines/azure-devops.yml"));
        var gateStage = ((YamlSequenceNode)root.Children[new YamlScalarNode("stages")]).Children.Cast<YamlMappingNode>().Single(s => GateInputMap.Text(s, "stage") == "Gate");
        var jobs = ((YamlSequenceNode)gateStage.Children[new YamlScalarNode("jobs")]).Children.Cast<YamlMappingNode>().ToList();
        var remote = GateStep(jobs.Single(j => GateInputMap.Text(j, "job") == "GateRemote"), s => GateInputMap.Text(s, "template"), "actions/gate/azure-pipelines.yml@");
        var local = GateStep(jobs.Single(j => GateInputMap.Text(j, "job") == "GateLocal"), s => GateInputMap.Text(s, "template"), "actions/gate/azure-pipelines.yml@");

        AssertGateInputs(Map(remote, "parameters"), TemplatePath, GateInputMap.Kebab);
        AssertGateInputs(Map(local, "parameters"), TemplatePath, GateInputMap.Kebab);
        Assert.Equal("$(YardstickFunctionKey)", GateInputMap.Text(Map(remote, "parameters"), "functionKey"));
        Assert.Equal("true", GateInputMap.Text(Map(local, "parameters"), "failOnInconclusive"));

        // The template resolves in the repository resource it names.
        var alias = GateInputMap.Text(remote, "template")!.Split('@')[1];
        var repositories = (YamlSequenceNode)Map(root, "resources").Children[new YamlScalarNode("repositories")];
        Assert.Contains(repositories.Children.Cast<YamlMappingNode>(), r => GateInputMap.Text(r, "repository") == alias);
    }

    [Theory]
    [InlineData("docs/pipelines/github-actions.yml")]
    [InlineData("docs/pipelines/azure-devops.yml")]
    [InlineData("README.md")]
    public void Examples_NoLongerBuildYardstickFromSource(string path)
    {
        var text = RepoPaths.ReadText(path);

        Assert.DoesNotMatch(@"dotnet\s+publish\s+src/Yardstick\.Cli", text);
        Assert.DoesNotMatch(@"dotnet\s+run\s+--project\s+src/Yardstick\.Cli[^\n]*\bgate\b", text);
    }

    private static void AssertInstallsTheTool(string script)
    {
        Assert.Matches(@"dotnet\s+pack\s+src/Yardstick\.Cli", script);
        Assert.Matches(@"dotnet\s+tool\s+install\s+--tool-path\s", script);
        Assert.Contains("Yardstick.Cli", script, StringComparison.Ordinal);
        Assert.Contains("yardstick\" --version", script, StringComparison.Ordinal);
    }

    /// <summary>Every input the example gives is declared by the action or template, and the required workload is given.</summary>
    private static void AssertGateInputs(YamlMappingNode given, string definitionPath, Func<string, string> normalize)
    {
        var declared = GateInputMap.Read(RepoPaths.ReadText(definitionPath)).Inputs.Select(normalize).ToHashSet(StringComparer.Ordinal);
        Assert.All(given.Children.Keys.Select(k => normalize(((YamlScalarNode)k).Value!)), name => Assert.Contains(name, declared));
        Assert.False(string.IsNullOrWhiteSpace(GateInputMap.Text(given, "workload")));
        Assert.False(string.IsNullOrWhiteSpace(GateInputMap.Text(given, "out")));
    }

    private static YamlMappingNode GateStep(YamlMappingNode job, Func<YamlMappingNode, string?> reference, string marker) =>
        Assert.Single(((YamlSequenceNode)job.Children[new YamlScalarNode("steps")]).Children.Cast<YamlMappingNode>(), s => reference(s)?.Contains(marker, StringComparison.Ordinal) == true);

    private static bool IsWorkloadPath(string path)
    {
        try
        {
            WorkloadLoader.LoadFile(RepoPaths.Of("workloads/hello-local.yaml"), [$"{path}=http://127.0.0.1:9/api/x"]);
            return true;
        }
        catch (Yardstick.Core.InputException)
        {
            return false;
        }
    }

    private static IReadOnlyList<string> GateArguments()
    {
        var console = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings { Out = new Spectre.Console.AnsiConsoleOutput(TextWriter.Null) });
        var gate = Yardstick.Cli.Commands.YardstickCli.CreateRoot(console, TextWriter.Null).Subcommands.Single(c => c.Name == "gate");
        return [.. gate.Arguments.Select(a => a.Name)];
    }

    private static YamlMappingNode Map(YamlMappingNode map, string key) =>
        Assert.IsType<YamlMappingNode>(map.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : null);

    private static YamlMappingNode LoadYaml(string text)
    {
        var stream = new YamlStream();
        using var reader = new StringReader(text);
        stream.Load(reader);
        return Assert.IsType<YamlMappingNode>(Assert.Single(stream.Documents).RootNode);
    }
}
