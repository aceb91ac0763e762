using Xunit.Abstractions;
using Yardstick.Cli.Commands;
using Yardstick.Cli.Tests.EndToEnd;
using Yardstick.Core;
using Yardstick.Testing;

namespace Yardstick.Cli.Tests.Commands;

/// <summary><c>yardstick alerts silence|silences</c> through the real command tree, storing on Azurite.</summary>
public sealed class AlertsCommandTests(AzuriteFixture azurite, ITestOutputHelper output) : IClassFixture<AzuriteFixture>, IDisposable
{
    private readonly CliHarness _cli = new(azurite, output);

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Silence_ThenSilences_StoresTheWindowTheAlertsActivityReads()
    {
        var name = AzuriteFixture.UniqueName("quiet");

        var silence = await _cli.RunAsync("alerts", "silence", name, "--for", "2h", "--reason", "load test of the DB");
        var list = await _cli.RunAsync("alerts", "silences", name);

        Assert.True(silence.ExitCode == 0, silence.ToString());
        Assert.Contains($"Alerts of {name} are silenced from ", silence.Out, StringComparison.Ordinal);
        Assert.Equal(0, list.ExitCode);
        Assert.Contains("load test of the DB", list.Out, StringComparison.Ordinal);
        var window = Assert.Single(await _cli.Storage.Alerts.ListSilencesAsync(name, DateTimeOffset.UtcNow, CancellationToken.None));
        Assert.True(window.Covers(DateTimeOffset.UtcNow));
        Assert.Equal(TimeSpan.FromHours(2), window.To - window.From);
    }

    [Theory]
    [InlineData("--for", "forever", "--for")]
    [InlineData("--for", "40d", "--for")]
    [InlineData("--reason", "   ", "--reason")]
    [InlineData("--from", "tomorrow", "--from")]
    public async Task Silence_BadOption_Exit2NamingTheOption(string option, string value, string named)
    {
        var args = new List<string> { "alerts", "silence", "w", "--for", "2h", "--reason", "x" };
        var at = args.IndexOf(option);
        if (at >= 0)
        {
            args[at + 1] = value;
        }
        else
        {
            args.AddRange([option, value]);
        }

        var result = await _cli.RunAsync([.. args]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(named, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_AlertWebhookOnLoopback_RefusedBeforeTheRunNamingTheField()
    {
        // The CLI applies the same destination policy as the deployed app: no loopback or http alert URLs.
        var name = AzuriteFixture.UniqueName("alertrun");
        var file = _cli.WriteWorkload(name, $$"""
            name: {{name}}
            target:
              url: http://127.0.0.1:5080/api/hello
            load:
              rate: 10/s
              duration: 1s
            alerts:
              send:
                - { type: webhook, url: "http://127.0.0.1:9/hook" }
            """);

        var run = await _cli.RunAsync("run", file);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("alerts.send[0].url", run.Error, StringComparison.Ordinal);
        Assert.Contains("not https", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Window_HostileReason_OversizedOrMultiline_Refused()
    {
        var now = DateTimeOffset.UtcNow;

        Assert.Equal("--reason", Assert.Throws<InputException>(() => AlertsCommand.Window(null, "1h", new string('r', 201), now)).Field);
        Assert.Equal("--reason", Assert.Throws<InputException>(() => AlertsCommand.Window(null, "1h", "a\nb", now)).Field);
        Assert.Equal(now.AddHours(1), AlertsCommand.Window(null, "1h", "ok", now).To);
    }
}
