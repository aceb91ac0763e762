using System.Text.RegularExpressions;

namespace Yardstick.Functions.Tests.Infra;

/// <summary>
/// What the Bicep grants and allows, read from the files (scripts/bicep-check.sh compiles and lints them): least-privilege
/// ARM rights on targets, no basic publishing credentials, the hub name checked, the settings the cost step reads.
/// </summary>
public sealed partial class InfraSafetyTests
{
    private const string WebsiteContributor = "de139f84-1756-47ae-9be6-808fbbe84772";

    /// <summary>The ARM actions Yardstick's calls need (AZURE-FACTS.md §5 maps each call to its action).</summary>
    private static readonly string[] OperatorActions =
    [
        "Microsoft.Web/sites/read",
        "Microsoft.Web/sites/write",
        "Microsoft.Web/sites/operationresults/read",
        "Microsoft.Web/sites/restart/action",
        "Microsoft.Web/sites/config/read",
        "Microsoft.Web/sites/config/list/action",
        "Microsoft.Web/sites/config/write",
    ];

    [Fact]
    public void TargetRbac_NoWebsiteContributor_ACustomRoleWithExactlyTheActionsYardstickCalls()
    {
        var bicep = RepoPaths.ReadText("infra/app/target-rbac.bicep");

        Assert.DoesNotContain(WebsiteContributor, bicep, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("'Microsoft.Authorization/roleDefinitions@", bicep, StringComparison.Ordinal);
        Assert.Contains("type: 'CustomRole'", bicep, StringComparison.Ordinal);
        var actions = Regex.Match(bicep, @"actions: \[(?<list>[^\]]*)\]").Groups["list"].Value;
        Assert.Equal(OperatorActions.Order(StringComparer.Ordinal), QuotedStrings().Matches(actions).Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal));
        Assert.DoesNotContain("*", actions, StringComparison.Ordinal);
        Assert.Contains("assignableScopes: [\n      resourceGroup().id\n    ]", bicep.ReplaceLineEndings("\n"), StringComparison.Ordinal);

        var facts = RepoPaths.ReadText("docs/design/AZURE-FACTS.md");
        Assert.All(OperatorActions, a => Assert.Contains(a, facts, StringComparison.Ordinal));
    }

    [Fact]
    public void Infra_NowhereGrantsWebsiteContributor()
    {
        foreach (var file in Directory.EnumerateFiles(RepoPaths.Of("infra"), "*.bicep", SearchOption.AllDirectories))
        {
            Assert.DoesNotContain(WebsiteContributor, File.ReadAllText(file), StringComparison.OrdinalIgnoreCase);
        }
    }

    [Theory]
    [InlineData("scm")]
    [InlineData("ftp")]
    public void FlexFunctionApp_BasicPublishingCredentials_Disabled(string kind)
    {
        var bicep = RepoPaths.ReadText("infra/app/flex-function-app.bicep").ReplaceLineEndings("\n");

        Assert.Matches(
            $@"'Microsoft\.Web/sites/basicPublishingCredentialsPolicies@[0-9-]+' = \{{\n  parent: site\n  name: '{kind}'\n  properties: \{{\n    allow: false\n",
            bicep);
    }

    [Fact]
    public void Rbac_LogAnalyticsReaderOnYardsticksOwnWorkspace_AndTheWorkspaceIdIsAnAzdOutput()
    {
        var rbac = RepoPaths.ReadText("infra/app/rbac.bicep");
        var main = RepoPaths.ReadText("infra/main.bicep");

        Assert.Contains("scope: logAnalytics", rbac, StringComparison.Ordinal);
        Assert.Contains("roles.logAnalyticsReader", rbac, StringComparison.Ordinal);
        Assert.Contains("logAnalyticsReader: '73c42c96-874c-492b-b04d-ab87d138a893'", rbac, StringComparison.Ordinal);
        Assert.Contains("output YARDSTICK_LOG_ANALYTICS_WORKSPACE_ID string = monitoring.outputs.logAnalyticsCustomerId", main, StringComparison.Ordinal);
        Assert.Contains("logAnalytics.properties.customerId", RepoPaths.ReadText("infra/app/monitoring.bicep"), StringComparison.Ordinal);
    }

    [Fact]
    public void ApiBicep_BenchmarkCostSettings_ComeFromTheParameters()
    {
        var api = RepoPaths.ReadText("infra/app/api.bicep");

        Assert.Contains("YARDSTICK_INSTANCE_MEMORY_MB: string(instanceMemoryMB)", api, StringComparison.Ordinal);
        Assert.Contains("YARDSTICK_REGION: location", api, StringComparison.Ordinal);
        Assert.Contains("allowOwnResourceGroup: resolvedTargetResourceGroupName == rg.name", RepoPaths.ReadText("infra/main.bicep"), StringComparison.Ordinal);
    }

    [Fact]
    public void MainBicep_TaskHubName_LengthBoundAndLettersCheckedBeforeUse()
    {
        var main = RepoPaths.ReadText("infra/main.bicep").ReplaceLineEndings("\n");

        Assert.Contains("@minLength(3)\n@maxLength(45)\nparam taskHubName string", main, StringComparison.Ordinal);
        Assert.Contains("taskHubName: taskHubNameIsValid ? taskHubName : fail(", main, StringComparison.Ordinal);
        Assert.Contains("var taskHubNameIsValid = contains(letters, toLower(substring(taskHubName, 0, 1)))", main, StringComparison.Ordinal);
    }

    [GeneratedRegex("'([^']+)'")]
    private static partial Regex QuotedStrings();
}
