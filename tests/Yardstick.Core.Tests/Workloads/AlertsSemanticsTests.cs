using Yardstick.Core.Load.Safety;
using Yardstick.Core.Workloads;

namespace Yardstick.Core.Tests.Workloads;

/// <summary><c>alerts:</c> — mapping, and every rule naming its field (secrets as references, channel fields, silence windows).</summary>
public sealed class AlertsSemanticsTests
{
    [Fact]
    public void LoadText_FullAlertsBlock_MapsEveryField()
    {
        var w = WorkloadLoader.LoadText(TestWorkloads.Minimal + """

            alerts:
              on: [regression, failed]
              send:
                - { type: slack, url: "${env:SLACK_HOOK}" }
                - { type: webhook, url: "https://hooks.example.net/yardstick" }
                - { type: github, repo: octo/bench, token: "${env:YARDSTICK_SECRET_FUNCTION_KEY}" }
              silence:
                - { from: "2026-12-06T22:00:00Z", to: "2026-12-07T06:00:00+01:00", reason: load test of the DB }
            """, "test.yaml", null, n => n == "SLACK_HOOK" ? "https://hooks.slack.example/services/T/B/x" : TestWorkloads.Environment(n));

        var alerts = w.Alerts!;
        Assert.Equal([AlertCondition.Regression, AlertCondition.Failed], alerts.On);
        Assert.Equal([AlertChannelType.Slack, AlertChannelType.Webhook, AlertChannelType.Github], alerts.Send.Select(c => c.Type));
        Assert.Equal("${env:SLACK_HOOK}", alerts.Send[0].Url);
        Assert.Equal(("octo/bench", "${env:YARDSTICK_SECRET_FUNCTION_KEY}"), (alerts.Send[2].Repo, alerts.Send[2].Token));
        Assert.Equal("github-2", alerts.Send[2].Key(2));
        var window = Assert.Single(alerts.Silence);
        Assert.Equal((new DateTimeOffset(2026, 12, 6, 22, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 12, 7, 5, 0, 0, TimeSpan.Zero), "load test of the DB"), (window.From, window.To, window.Reason));
    }

    [Fact]
    public void LoadText_OnDrift_Accepted()
    {
        var w = WorkloadLoader.LoadText(TestWorkloads.Minimal + "\nalerts: { on: [drift, regression], send: [{ type: webhook, url: \"https://hooks.example.net/x\" }] }\n", "test.yaml", null, TestWorkloads.Environment);

        Assert.Equal([AlertCondition.Drift, AlertCondition.Regression], w.Alerts!.On);
        Assert.Contains(AlertCondition.Drift, AlertsSpec.AllConditions);
    }

    [Fact]
    public void LoadText_NoOn_DefaultsToEveryCondition()
    {
        var w = WorkloadLoader.LoadText(TestWorkloads.Minimal + "\nalerts: { send: [{ type: webhook, url: \"https://hooks.example.net/x\" }] }\n", "test.yaml", null, TestWorkloads.Environment);

        Assert.Equal(AlertsSpec.AllConditions, w.Alerts!.On);
    }

    [Theory]
    [InlineData("alerts: { send: [{ type: slack, url: \"https://hooks.slack.example/services/T/B/secret\" }] }", "alerts.send[0].url", "a slack webhook URL is a secret")]
    [InlineData("alerts: { send: [{ type: teams, url: \"https://x.example/workflows/abc\" }] }", "alerts.send[0].url", "a teams webhook URL is a secret")]
    [InlineData("alerts: { send: [{ type: slack, url: \"${env:NOT_SET_HOOK}\" }] }", "alerts.send[0].url", "environment variable 'NOT_SET_HOOK'")]
    [InlineData("alerts: { send: [{ type: github, repo: o/r, token: ghp_literal }] }", "alerts.send[0].token", "a GitHub token is a secret")]
    [InlineData("alerts: { send: [{ type: github, token: \"${env:FUNCTION_KEY}\" }] }", "alerts.send[0].repo", "is required for type github")]
    [InlineData("alerts: { send: [{ type: github, repo: o/r }] }", "alerts.send[0].token", "is required for type github")]
    [InlineData("alerts: { send: [{ type: github, repo: \"o/r/../../x\", token: \"${env:FUNCTION_KEY}\" }] }", "alerts.send[0].repo", "")]
    [InlineData("alerts: { send: [{ type: github, repo: \"octo/..\", token: \"${env:FUNCTION_KEY}\" }] }", "alerts.send[0].repo", "'.' and '..' are not repository names")]
    [InlineData("alerts: { send: [{ type: github, repo: \"octo/bench\\n\", token: \"${env:FUNCTION_KEY}\" }] }", "alerts.send[0].repo", "")]
    [InlineData("alerts: { send: [{ type: webhook }] }", "alerts.send[0].url", "is required for type webhook")]
    [InlineData("alerts: { send: [{ type: webhook, url: \"https://h.example/\", repo: o/r }] }", "alerts.send[0].repo", "applies to type github only")]
    [InlineData("alerts: { send: [{ type: webhook, url: \"ftp://h.example/\" }] }", "alerts.send[0].url", "is not an absolute https URL")]
    [InlineData("alerts: { send: [{ type: pager, url: \"https://h.example/\" }] }", "alerts.send[0].type", "")]
    [InlineData("alerts: { send: [] }", "alerts.send", "")]
    [InlineData("alerts: { on: [creep], send: [{ type: webhook, url: \"https://h.example/\" }] }", "alerts.on[0]", "")]
    [InlineData("alerts: { send: [{ type: webhook, url: \"https://h.example/\" }], silence: [{ from: tomorrow, to: \"2026-12-07T06:00:00Z\", reason: x }] }", "alerts.silence[0].from", "is not an ISO 8601 instant")]
    [InlineData("alerts: { send: [{ type: webhook, url: \"https://h.example/\" }], silence: [{ from: \"2026-12-07T06:00:00\", to: \"2026-12-08T06:00:00Z\", reason: x }] }", "alerts.silence[0].from", "with a zone")]
    [InlineData("alerts: { send: [{ type: webhook, url: \"https://h.example/\" }], silence: [{ from: \"2026-12-07T06:00:00Z\", to: \"2026-12-07T05:00:00Z\", reason: x }] }", "alerts.silence[0].to", "must be after 'from'")]
    [InlineData("alerts: { send: [{ type: webhook, url: \"https://h.example/\" }], silence: [{ from: \"2026-12-07T06:00:00Z\", to: \"2026-12-08T05:00:00Z\" }] }", "alerts.silence[0].reason", "")]
    [InlineData("alerts: { send: [{ type: webhook, url: \"https://h.example/\" }], silence: [{ from: \"2026-12-07T06:00:00Z\", to: \"2026-12-08T05:00:00Z\", reason: \"   \" }] }", "alerts.silence[0].reason", "is empty")]
    public void LoadText_AlertsRule_NamesTheField(string section, string path, string message)
    {
        var errors = TestWorkloads.Invalid(TestWorkloads.Minimal + "\n" + section + "\n").Errors;

        Assert.Contains(errors, e => e.Path == path && e.Message.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void LoadText_ReferencedSlackUrlResolvesToGarbage_ErrorNeverEchoesTheSecret()
    {
        var errors = Assert.Throws<WorkloadValidationException>(() => WorkloadLoader.LoadText(
            TestWorkloads.Minimal + "\nalerts: { send: [{ type: slack, url: \"${env:HOOK}\" }] }\n", "test.yaml", null, n => n == "HOOK" ? "not-a-url-s3cr3t" : null)).Errors;

        var error = Assert.Single(errors);
        Assert.Equal("alerts.send[0].url", error.Path);
        Assert.DoesNotContain("s3cr3t", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadText_HostileAlertsBlock_OversizedListsAndLongReason_AreRefusedByTheSchema()
    {
        var channels = string.Join(", ", Enumerable.Range(0, 9).Select(_ => "{ type: webhook, url: \"https://h.example/\" }"));
        var reason = new string('r', 201);
        var errors = TestWorkloads.Invalid(TestWorkloads.Minimal + $"\nalerts: {{ send: [{channels}], silence: [{{ from: \"2026-12-07T06:00:00Z\", to: \"2026-12-08T05:00:00Z\", reason: {reason} }}] }}\n").Errors;

        Assert.Contains(errors, e => e.Path == "alerts.send");
        Assert.Contains(errors, e => e.Path == "alerts.silence[0].reason");
    }

    [Fact]
    public void EnsureNoLiteralSecrets_LiteralWebhookQueryToken_IsRefusedOnTheDeployedHost()
    {
        var text = TestWorkloads.Minimal + "\nalerts: { send: [{ type: webhook, url: \"https://h.example/hook?token=abc123\" }] }\n";

        var e = Assert.Throws<InputException>(() => SecretHygiene.EnsureNoLiteralSecrets(text, "test.yaml", []));

        Assert.Equal("alerts.send[0].url", e.Field);
    }
}
