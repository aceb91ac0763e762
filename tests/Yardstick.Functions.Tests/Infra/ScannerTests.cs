namespace Yardstick.Functions.Tests.Infra;

/// <summary>The text scanners the infra tests rely on: each must find what is there and nothing else.</summary>
public sealed class ScannerTests
{
    [Fact]
    public void ReadAppSettingNames_ObjectLiteral_ReturnsTopLevelKeysOnly()
    {
        const string bicep = """
            module app 'x.bicep' = {
              params: {
                appSettings: {
                  // COMMENTED_OUT: 'no'
                  FIRST: 'a{b}'
                  SECOND__part: '${x}-${y['k']}'
                  'quoted-name': 1
                  NESTED: { INNER: 2 }
                  /* BLOCK: 3 */
                  LAST: concat('c', ':')
                }
                other: { NOT_A_SETTING: 1 }
              }
            }
            """;

        var names = BicepAppSettingsScanner.ReadAppSettingNames(bicep);

        Assert.Equal(["FIRST", "SECOND__part", "quoted-name", "NESTED", "LAST"], names);
    }

    [Fact]
    public void ReadAppSettingNames_ArrayOfNameValue_ReturnsLiteralNames()
    {
        const string bicep = """
            siteConfig: {
              appSettings: [
                { name: 'ONE', value: '1' }
                {
                  name: 'TWO'
                  value: 'name: \'NOT_THIS\''
                }
              ]
            }
            """;

        Assert.Equal(["ONE", "TWO"], BicepAppSettingsScanner.ReadAppSettingNames(bicep));
    }

    [Fact]
    public void ReadAppSettingNames_ForExpressionOrParameter_ReturnsNothing()
    {
        const string bicep = """
            param appSettings object
            var x = [for setting in items(appSettings): { name: setting.key, value: setting.value }]
            resource s 'a@1' = { properties: { appSettings: [for s in items(appSettings): { name: s.key }] } }
            """;

        Assert.Empty(BicepAppSettingsScanner.ReadAppSettingNames(bicep));
    }

    [Fact]
    public void FindInvocations_InstalledAndDotnetRun_ReturnsCommandsAndOptions()
    {
        const string script = """
            echo "$RUNNER_TEMP/yardstick" >> "$GITHUB_PATH"
            yardstick gate workloads/a.yaml --endpoint https://x --set tags.commit=1
            dotnet run --project src/Yardstick.Cli -c Release -- \
              baseline promote w --json
            dotnet run --project src/Other -- gate x
            """;

        var calls = PipelineCommandScanner.FindInvocations(script);

        Assert.Equal(2, calls.Count);
        Assert.Equal("gate", calls[0].Command);
        Assert.Equal(["endpoint", "set"], calls[0].Options);
        Assert.Equal("baseline", calls[1].Command);
        Assert.Equal(["json"], calls[1].Options);
    }

    [Fact]
    public void ReadScripts_GitHubAndAzureDevOpsShapes_ReturnsScriptBodies()
    {
        const string yaml = """
            jobs:
              a:
                steps:
                  - run: yardstick validate w.yaml
                  - name: x
                    with:
                      path: not-a-script
            stages:
              - stage: S
                jobs:
                  - job: J
                    steps:
                      - script: >-
                          yardstick
                          report r1
            """;

        var scripts = PipelineCommandScanner.ReadScripts(yaml);

        Assert.Equal(["yardstick validate w.yaml", "yardstick report r1"], scripts);
    }
}
