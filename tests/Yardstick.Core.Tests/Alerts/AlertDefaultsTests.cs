using Yardstick.Core.Alerts;
using Yardstick.Core.Workloads;

namespace Yardstick.Core.Tests.Alerts;

/// <summary><c>YARDSTICK_ALERTS</c>: the workload's block as JSON, checked by the same rules, errors naming the setting and field.</summary>
public sealed class AlertDefaultsTests
{
    [Fact]
    public void Parse_JsonBlock_MapsLikeAWorkload()
    {
        var alerts = AlertDefaults.Parse("""{"on": ["failed"], "send": [{"type": "slack", "url": "${env:YARDSTICK_SECRET_SLACK}"}]}""", n => n == "YARDSTICK_SECRET_SLACK" ? "https://hooks.slack.example/services/x" : null);

        Assert.Equal([AlertCondition.Failed], alerts!.On);
        Assert.Equal(AlertChannelType.Slack, Assert.Single(alerts.Send).Type);
    }

    [Fact]
    public void Parse_Unset_IsNull() => Assert.Null(AlertDefaults.Parse("  ", _ => null));

    [Theory]
    [InlineData("""{"send": [{"type": "slack", "url": "https://hooks.slack.example/services/s3cr3t"}]}""", "alerts.send[0].url: a slack webhook URL is a secret")]
    [InlineData("""{"send": [{"type": "teams", "url": "${env:NOT_SET}"}]}""", "alerts.send[0].url: environment variable 'NOT_SET'")]
    [InlineData("""{"sned": []}""", "alerts")]
    [InlineData("""{"send": [""", "")]
    public void Parse_Invalid_NamesTheSettingAndField_NeverTheSecret(string text, string message)
    {
        var e = Assert.Throws<InputException>(() => AlertDefaults.Parse(text, _ => null));

        Assert.Equal(AlertDefaults.SettingName, e.Field);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", e.Message, StringComparison.Ordinal);
    }
}
