using Yardstick.Core;
using Yardstick.Core.Alerts;
using Yardstick.Core.Workloads;
using Yardstick.Orchestration.Hosting;

namespace Yardstick.Orchestration.Tests.Hosting;

/// <summary>Abuse cases at the front door: alert URLs a host would never send to are refused before a run starts.</summary>
public sealed class AlertPreflightTests
{
    [Theory]
    [InlineData("http://hooks.example.net/x", "not https")]
    [InlineData("https://10.0.0.5/s3cr3t", "loopback or private")]
    [InlineData("https://127.0.0.1:8080/s3cr3t", "loopback or private")]
    [InlineData("https://[fd00:ec2::254]/s3cr3t", "link-local, cloud metadata")]
    [InlineData("https://169.254.169.254/metadata/s3cr3t", "link-local")]
    public void Check_HostileAlertUrl_RefusedNamingTheField_NeverEchoingIt(string url, string reason)
    {
        var workload = Load(url);

        var e = Assert.Throws<InputException>(() => RunPreflight.Check(workload, Deployed(url)));

        Assert.Equal("alerts.send[1].url", e.Field);
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_PublicHttps_Passes_LoopbackOnlyWithTheTestOption()
    {
        RunPreflight.Check(Load("https://hooks.example.net/x"), Deployed("https://hooks.example.net/x"));
        RunPreflight.Check(Load("http://127.0.0.1:5000/x"), Deployed("http://127.0.0.1:5000/x") with { AlertDestinations = AlertDestinations.PublicHttpsOrLoopback });
    }

    private static YardstickHostOptions Deployed(string slackUrl) => new()
    {
        Environment = name => name == "HOOK" ? slackUrl : null,
        AlertDestinations = AlertDestinations.PublicHttpsOnly,
    };

    private static Workload Load(string slackUrl) => WorkloadLoader.LoadText(
        "name: w\ntarget: { url: \"http://127.0.0.1:1/\" }\nload: { rate: 1/s, duration: 1s }\n" +
        "alerts:\n  send:\n    - { type: webhook, url: \"https://hooks.example.net/ok\" }\n    - { type: slack, url: \"${env:HOOK}\" }\n",
        "test.yaml", [], name => name == "HOOK" ? slackUrl : null);
}
