using System.Net;
using System.Text.Json.Nodes;
using Yardstick.Core.Alerts;
using Yardstick.Core.Workloads;

namespace Yardstick.Core.Tests.Alerts;

/// <summary>The channel bodies have the shapes Slack, Teams and GitHub document; the destination policy refuses what it must.</summary>
public sealed class AlertPayloadsTests
{
    private static readonly AlertMessage Message = new()
    {
        Workload = "checkout",
        RunId = "20261206-030000-abcdef",
        Condition = AlertCondition.Regression,
        Status = "completed",
        Verdict = "regression",
        Sentence = "p95 is 12.0% slower <than> the baseline (95% CI 8.1% .. 15.9%).",
        Facts = [new("p95", "212.4 ms"), new("errors", "0.10%")],
        FailedThresholds = ["p(95) < 200ms"],
        ReportUrl = "https://results.example.net/yardstick-runs/checkout/20261206-030000-abcdef/report.html",
        ArtifactsUrl = "https://results.example.net/yardstick-runs/checkout/20261206-030000-abcdef/",
    };

    [Fact]
    public void Slack_HasTextAndBlocks_WithMrkdwnEscaped()
    {
        var p = AlertPayloads.Slack(Message);

        Assert.Contains("checkout regressed", p["text"]!.GetValue<string>(), StringComparison.Ordinal);
        var blocks = p["blocks"]!.AsArray();
        Assert.Equal(["header", "section", "section", "context"], blocks.Select(b => b!["type"]!.GetValue<string>()));
        Assert.Equal("plain_text", blocks[0]!["text"]!["type"]!.GetValue<string>());
        var section = blocks[1]!["text"]!;
        Assert.Equal("mrkdwn", section["type"]!.GetValue<string>());
        Assert.Contains("&lt;than&gt;", section["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("p(95) < 200ms".Replace("<", "&lt;", StringComparison.Ordinal), section["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("<https://results.example.net/", blocks[3]!["elements"]![0]!["text"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public void Teams_IsAMessageWithOneAdaptiveCardAttachment()
    {
        var p = AlertPayloads.Teams(Message);

        Assert.Equal("message", p["type"]!.GetValue<string>());
        var attachment = Assert.Single(p["attachments"]!.AsArray())!;
        Assert.Equal("application/vnd.microsoft.card.adaptive", attachment["contentType"]!.GetValue<string>());
        var card = attachment["content"]!;
        Assert.Equal(("AdaptiveCard", "1.4"), (card["type"]!.GetValue<string>(), card["version"]!.GetValue<string>()));
        Assert.Contains(card["body"]!.AsArray(), b => b!["type"]!.GetValue<string>() == "FactSet" && b["facts"]!.AsArray().Count == 3);
        var action = Assert.Single(card["actions"]!.AsArray())!;
        Assert.Equal(("Action.OpenUrl", Message.ReportUrl), (action["type"]!.GetValue<string>(), action["url"]!.GetValue<string>()));
    }

    [Fact]
    public void Teams_LocalArtifacts_NoOpenUrlAction()
    {
        var card = AlertPayloads.Teams(Message with { ReportUrl = "/tmp/runs/report.html", ArtifactsUrl = "/tmp/runs/" })["attachments"]![0]!["content"]!;

        Assert.Null(card["actions"]);
    }

    [Fact]
    public void GithubIssue_HasTitleBodyAndLabel_CommentHasBody()
    {
        var issue = AlertPayloads.GithubIssue(Message);
        var comment = AlertPayloads.GithubComment(Message);

        Assert.Equal("Yardstick: checkout — regression", issue["title"]!.GetValue<string>());
        Assert.Contains("| p95 | 212.4 ms |", issue["body"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("[Report](https://results.example.net/", issue["body"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(["yardstick"], issue["labels"]!.AsArray().Select(l => l!.GetValue<string>()));
        Assert.Equal(issue["body"]!.GetValue<string>(), comment["body"]!.GetValue<string>());
    }

    [Fact]
    public void Webhook_CarriesConditionNumbersAndLinks()
    {
        var p = AlertPayloads.Webhook(Message);

        Assert.Equal(("yardstick.alert", "regression", "checkout"), (p["event"]!.GetValue<string>(), p["condition"]!.GetValue<string>(), p["workload"]!.GetValue<string>()));
        Assert.Equal("212.4 ms", p["numbers"]!["p95"]!.GetValue<string>());
        Assert.Equal(Message.ReportUrl, p["reportUrl"]!.GetValue<string>());
        Assert.Single(p["failedThresholds"]!.AsArray());
    }

    [Theory]
    [InlineData("http://hooks.example.net/x", "not https")]
    [InlineData("https://127.0.0.1/x", "loopback or private")]
    [InlineData("https://10.1.2.3/x", "loopback or private")]
    [InlineData("https://[::1]/x", "loopback or private")]
    [InlineData("https://169.254.169.254/metadata", "link-local")]
    [InlineData("https://2852039166/metadata", "link-local")]
    [InlineData("https://[::ffff:169.254.169.254]/", "link-local")]
    [InlineData("https://168.63.129.16/", "cloud metadata")]
    [InlineData("https://user:pw@hooks.example.net/", "credentials")]
    [InlineData("file:///etc/passwd", "not an absolute https URL")]
    [InlineData("not a url", "not an absolute https URL")]
    public void PublicHttpsOnly_HostileUrl_IsRefusedWithoutEchoingIt(string url, string reason)
    {
        var refusal = AlertDestinations.PublicHttpsOnly.Refusal(url);

        Assert.NotNull(refusal);
        Assert.Contains(reason, refusal, StringComparison.Ordinal);
        Assert.DoesNotContain("/x", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void PublicHttpsOnly_PublicHttps_IsAllowed_LoopbackOnlyForTests()
    {
        Assert.Null(AlertDestinations.PublicHttpsOnly.Refusal("https://hooks.example.net/services/x"));
        Assert.Null(AlertDestinations.PublicHttpsOnly.Refusal("https://20.1.2.3/x"));
        Assert.Null(AlertDestinations.PublicHttpsOrLoopback.Refusal("http://127.0.0.1:5000/x"));
        Assert.NotNull(AlertDestinations.PublicHttpsOrLoopback.Refusal("http://10.0.0.1:5000/x"));
        Assert.NotNull(AlertDestinations.PublicHttpsOrLoopback.Refusal(IPAddress.Parse("169.254.169.254")));
    }

    [Fact]
    public async Task PublicHttpsOnly_NameResolvingToLoopback_IsRefusedAtConnectTime()
    {
        // "localhost" passes the literal check (it is a name) but resolves to loopback: the connect callback refuses it.
        using var client = AlertDestinations.PublicHttpsOnly.CreateClient(TimeSpan.FromSeconds(30));

        var e = await Assert.ThrowsAsync<HttpRequestException>(() => client.PostAsync("https://localhost:1/hook", new StringContent("{}")));

        Assert.IsType<AlertDestinationRefusedException>(e.InnerException);
    }
}
