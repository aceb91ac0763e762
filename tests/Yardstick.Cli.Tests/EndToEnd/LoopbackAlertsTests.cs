using Xunit.Abstractions;
using Yardstick.Testing;

namespace Yardstick.Cli.Tests.EndToEnd;

/// <summary>
/// <c>--alerts-to-loopback</c>: alerts go only to public https endpoints unless the CLI's user lets them reach a
/// receiver on this machine — then exactly one webhook per condition arrives; without the option the run is refused
/// before any load, naming the field. Other private addresses stay refused either way.
/// </summary>
public sealed class LoopbackAlertsTests(AzuriteFixture azurite, ITestOutputHelper output) : IClassFixture<AzuriteFixture>, IDisposable
{
    private readonly CliHarness _cli = new(azurite, output);

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Run_WithAlertsToLoopback_SendsOneWebhookPerCondition_WithoutIt_IsRefused()
    {
        using var receiver = TelemetryReceiver.Start();
        var port = TestPorts.Reserve();
        var name = AzuriteFixture.UniqueName("loopalert");
        // A threshold no run can meet: the run breaches it, so the `threshold` condition fires.
        var file = _cli.WriteWorkload(name, $"name: {name}\n" + CliHarness.SampleTargetBlock(port) + $$"""
            load:
              rate: 20/s
              duration: 1s
            thresholds:
              - p(50) < 0.001ms
            alerts:
              on: [threshold, regression]
              send:
                - { type: webhook, url: "{{receiver.BaseUrl}}/hooks/nightly" }
            """);

        var refused = await _cli.RunAsync("run", file, "--no-progress");

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("alerts.send[0].url", refused.Error, StringComparison.Ordinal);
        Assert.Empty(receiver.Paths);

        var sent = await _cli.RunAsync("run", file, "--no-progress", "--alerts-to-loopback");

        Assert.True(sent.ExitCode == 1, sent.ToString()); // the breached threshold fails the run's exit code, as always
        Assert.Contains("alert: threshold → webhook-0 sent", sent.Out, StringComparison.Ordinal);
        var bodies = receiver.Bodies("/hooks/nightly");
        var body = Assert.Single(bodies);
        Assert.Contains("\"condition\":\"threshold\"", body, StringComparison.Ordinal);
        Assert.Contains(CliHarness.RunIdFrom(sent), body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_AlertsToLoopback_StillRefusesOtherPrivateAddresses()
    {
        var file = _cli.WriteWorkload("loopalert-private", """
            name: loopalert-private
            target: { url: http://127.0.0.1:1/ }
            load: { rate: 1/s, duration: 1s }
            alerts:
              send:
                - { type: webhook, url: "http://10.0.0.5/hook" }
            """);

        var result = await _cli.RunAsync("validate", file, "--alerts-to-loopback");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("alerts.send[0].url", result.Error, StringComparison.Ordinal);
    }
}
