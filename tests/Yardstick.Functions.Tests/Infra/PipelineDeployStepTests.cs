using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Yardstick.Functions.Tests.Infra;

/// <summary>
/// The pipeline examples deploy the user's function app for real before gating it: a publish step, a sign-in without a
/// stored password, and the platform's Functions deploy step fed with the published folder; no echo placeholder.
/// </summary>
public sealed partial class PipelineDeployStepTests
{
    private const string GitHubPath = "docs/pipelines/github-actions.yml";
    private const string AzureDevOpsPath = "docs/pipelines/azure-devops.yml";

    [Fact]
    public void GitHubActions_DeployJob_PublishesThenSignsInWithOidcThenDeploysThePublishedFolder()
    {
        var root = Load(GitHubPath);
        var steps = Steps(Map(Map(root, "jobs"), "deploy-target"));
        AssertNoPlaceholder(steps, "run", "name");

        var publish = IndexOf(steps, s => Text(s, "run")?.Contains("dotnet publish", StringComparison.Ordinal) == true);
        var login = IndexOf(steps, s => Uses(s, "azure/login@"));
        var deploy = IndexOf(steps, s => Uses(s, "azure/functions-action@"));
        Assert.True(publish < login && login < deploy, $"expected publish, sign-in, deploy in that order; got {publish}, {login}, {deploy}");

        // OIDC: the three identifiers and no client secret or credentials JSON.
        var loginWith = Map(steps[login], "with");
        foreach (var key in new[] { "client-id", "tenant-id", "subscription-id" })
        {
            Assert.Matches(@"^\$\{\{\s*secrets\.\w+\s*\}\}$", Text(loginWith, key) ?? "");
        }

        Assert.DoesNotContain(loginWith.Children.Keys, k => k.ToString() is "creds" or "client-secret");
        Assert.Equal("write", Text(Map(root, "permissions"), "id-token"));

        // The deploy step names the app through the workflow's variable and deploys exactly what the publish step wrote.
        var deployWith = Map(steps[deploy], "with");
        var env = Map(root, "env");
        Assert.Equal("${{ env.TARGET_FUNCTION_APP }}", Text(deployWith, "app-name"));
        Assert.False(string.IsNullOrWhiteSpace(Text(env, "TARGET_FUNCTION_APP")));
        Assert.Contains("$TARGET_PROJECT", Text(steps[publish], "run"), StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(Text(env, "TARGET_PROJECT")));
        var published = PublishOutput(Text(steps[publish], "run")!).Replace("$RUNNER_TEMP", "<temp>", StringComparison.Ordinal);
        var package = (Text(deployWith, "package") ?? "").Replace("${{ runner.temp }}", "<temp>", StringComparison.Ordinal);
        Assert.Equal(published, package);

        // Both gates wait for the deployment.
        Assert.All(new[] { "gate-remote", "gate-local" }, job => Assert.Equal("deploy-target", Text(Map(Map(root, "jobs"), job), "needs")));
    }

    [Fact]
    public void AzureDevOps_DeployStage_PublishesThenDeploysThePublishedFolderWithAzureFunctionApp2()
    {
        var root = Load(AzureDevOpsPath);
        var stages = Assert.IsType<YamlSequenceNode>(root.Children[new YamlScalarNode("stages")]).Children.Cast<YamlMappingNode>().ToList();
        var deployStage = Assert.Single(stages, s => Text(s, "stage") == "Deploy");
        var job = Assert.IsType<YamlMappingNode>(Assert.Single(Assert.IsType<YamlSequenceNode>(deployStage.Children[new YamlScalarNode("jobs")]).Children));
        var steps = Steps(job);
        AssertNoPlaceholder(steps, "script", "displayName");

        var publish = IndexOf(steps, s => Text(s, "script")?.Contains("dotnet publish", StringComparison.Ordinal) == true);
        var deploy = IndexOf(steps, s => Text(s, "task") == "AzureFunctionApp@2");
        Assert.True(publish < deploy, "the deploy task runs before the publish step");

        var inputs = Map(steps[deploy], "inputs");
        var variables = Map(root, "variables");
        // A service connection must be known when the run is queued: a compile-time expression over a declared variable.
        var connection = VariableReference(@"^\$\{\{\s*variables\.(?<name>\w+)\s*\}\}$", Text(inputs, "azureSubscription"));
        var app = VariableReference(@"^\$\((?<name>\w+)\)$", Text(inputs, "appName"));
        foreach (var name in new[] { connection, app })
        {
            Assert.False(string.IsNullOrWhiteSpace(Text(variables, name)), $"variable {name} is not declared");
        }

        Assert.Equal("functionAppLinux", Text(inputs, "appType"));
        Assert.Equal(PublishOutput(Text(steps[publish], "script")!), Text(inputs, "package"));
        Assert.Equal("Deploy", Text(Assert.Single(stages, s => Text(s, "stage") == "Gate"), "dependsOn"));
    }

    [Theory]
    [InlineData("echo \"Deploy <your-app> here\"", true)]
    [InlineData("# deploy\necho one\n  echo two\n", true)]
    [InlineData("dotnet publish src/App -o out", false)]
    [InlineData("echo start\naz functionapp deploy -n app --src-path app.zip", false)]
    public void IsEchoOnly_Scripts_TellPlaceholdersFromWork(string script, bool expected)
    {
        Assert.Equal(expected, IsEchoOnly(script));
    }

    /// <summary>True when every command line of the script is an <c>echo</c> (comments and blank lines aside).</summary>
    internal static bool IsEchoOnly(string script) =>
        script.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).All(l => l == "echo" || l.StartsWith("echo ", StringComparison.Ordinal));

    private static void AssertNoPlaceholder(IReadOnlyList<YamlMappingNode> steps, string scriptKey, string nameKey)
    {
        Assert.NotEmpty(steps);
        Assert.All(steps, s => Assert.False(Text(s, scriptKey) is { } script && IsEchoOnly(script), $"an echo-only step: {Text(s, scriptKey)}"));
        Assert.All(steps, s => Assert.DoesNotContain("placeholder", Text(s, nameKey) ?? "", StringComparison.OrdinalIgnoreCase));
    }

    private static string PublishOutput(string script)
    {
        var match = PublishOutputPattern().Match(script);
        Assert.True(match.Success, $"no -o/--output in: {script}");
        return match.Groups["out"].Value;
    }

    private static string VariableReference(string pattern, string? value)
    {
        var match = Regex.Match(value ?? "", pattern);
        Assert.True(match.Success, $"'{value}' does not match {pattern}");
        return match.Groups["name"].Value;
    }

    private static bool Uses(YamlMappingNode step, string prefix) =>
        Text(step, "uses")?.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) == true;

    private static int IndexOf(IReadOnlyList<YamlMappingNode> steps, Func<YamlMappingNode, bool> predicate)
    {
        var matching = steps.Select((s, i) => (s, i)).Where(p => predicate(p.s)).ToList();
        return Assert.Single(matching).i;
    }

    private static List<YamlMappingNode> Steps(YamlMappingNode job) =>
        Assert.IsType<YamlSequenceNode>(job.Children[new YamlScalarNode("steps")]).Children.Select(Assert.IsType<YamlMappingNode>).ToList();

    private static YamlMappingNode Map(YamlMappingNode map, string key) =>
        Assert.IsType<YamlMappingNode>(map.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : null);

    private static string? Text(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlScalarNode scalar ? scalar.Value : null;

    private static YamlMappingNode Load(string path)
    {
        var stream = new YamlStream();
        using var reader = new StringReader(RepoPaths.ReadText(path));
        stream.Load(reader);
        return Assert.IsType<YamlMappingNode>(Assert.Single(stream.Documents).RootNode);
    }

    // `-o <path>` or `--output <path>`, the path optionally in double quotes.
    [GeneratedRegex("""(?:^|\s)(?:-o|--output)\s+"?(?<out>[^"\s]+)"?""")]
    private static partial Regex PublishOutputPattern();
}
